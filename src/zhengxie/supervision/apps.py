from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhengxie.supervision"
    label = "supervision"
    verbose_name = "民主监督"

    def ready(self):
        from zhengxie.supervision.grades import register_settings

        register_settings()
