from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "zhengxie.meetings"
    label = "meetings"
    verbose_name = "会议"
