from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "zhengxie.core"
    label = "core"
    verbose_name = "平台核心"

    def ready(self):
        from zhengxie.core import signals  # noqa: F401  (login audit receivers)
