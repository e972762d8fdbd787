"""Navigation entries of the activities app (composed by ``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.navigation import NavItem

SECTION = _("视察调研")

NAVIGATION = [
    NavItem(_("视察调研活动"), "activities:list", "binoculars", "activities.list", SECTION),
    NavItem(_("我的活动"), "activities:mine", "person-check", "activities.mine", SECTION),
    NavItem(_("年度计划"), "activities:plan_list", "calendar3", "activities.view_plans", SECTION),
    NavItem(
        _("历史活动导入"),
        "activities:history_import",
        "upload",
        "activities.import_history",
        SECTION,
    ),
]
