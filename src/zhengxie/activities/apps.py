from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "zhengxie.activities"
    label = "activities"
    verbose_name = "视察调研"

    def ready(self):
        from zhengxie.core.config import LIST, Setting, register_setting
        from zhengxie.core.duty import register_duty_kind

        register_setting(
            Setting(
                "activity_kinds",
                LIST,
                ["视察", "调研", "界别活动", "专委会活动", "委员小组活动", "其他"],
                _("活动形式"),
                "activities",
                _(
                    "登记视察调研活动时可选的活动形式,每行一项。统计按活动类别(视察/调研/界别活动/民主监督/其他)计算。"
                ),
            ),
            area_label=_("视察调研"),
        )
        # Reports of activities other than research (research reports are research/report).
        register_duty_kind(
            "activity_report",
            _("视察及活动报告"),
            {
                "inspection": _("视察报告"),
                "sector": _("界别活动报告"),
                "supervision": _("民主监督报告"),
                "other": _("其他活动报告"),
            },
        )
