from django.apps import AppConfig


class StudyConfig(AppConfig):
    name = "zhengxie.study"
    label = "study"
    verbose_name = "学习培训"
