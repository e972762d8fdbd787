from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "zhengxie.meetings"
    label = "meetings"
    verbose_name = "会议"

    def ready(self):
        from zhengxie.core.config import LIST, Setting, register_setting

        register_setting(
            Setting(
                "meeting_kinds",
                LIST,
                ["秘书长会议", "机关会议", "座谈会", "专题协商会", "通报会"],
                _("其他会议的类型"),
                "meetings",
                _("每行一个,新建“其他会议”时可选。"),
            ),
            area_label=_("会议活动"),
        )
