"""Navigation entries of the reports app (composed by ``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.navigation import NavItem

SECTION = _("统计与报告")

NAVIGATION = [
    NavItem(_("统计总览"), "reports:dashboard", "speedometer2", "reports.view_dashboard", SECTION),
    NavItem(
        _("下级政协统计"), "reports:descendants", "diagram-3", "reports.view_descendants", SECTION
    ),
    NavItem(
        _("工作报告数据"), "reports:drafts", "file-earmark-word", "reports.draft_reports", SECTION
    ),
]
