"""Navigation entries of the study app (composed by ``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.navigation import NavItem

SECTION = _("学习培训")
NAVIGATION = [
    NavItem(_("学习计划"), "study:plan_list", "calendar3", "study.view", SECTION),
    NavItem(_("学习培训活动"), "study:session_list", "mortarboard", "study.view", SECTION),
    NavItem(_("学习资料"), "study:material_list", "journal-bookmark", "study.view", SECTION),
    NavItem(_("书香政协"), "study:group_list", "book", "study.view", SECTION),
    NavItem(_("我的学习"), "study:mine", "person-check", "study.mine", SECTION),
    NavItem(_("学习统计"), "study:stats", "bar-chart", "study.view_stats", SECTION),
]
