from django.apps import AppConfig


class ArchivesConfig(AppConfig):
    name = "zhengxie.archives"
    label = "archives"
    verbose_name = "文史资料"
