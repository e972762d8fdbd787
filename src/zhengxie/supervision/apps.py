from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "zhengxie.supervision"
    label = "supervision"
    verbose_name = "民主监督"
