from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "zhengxie.performance"
    label = "performance"
    verbose_name = "委员履职"
