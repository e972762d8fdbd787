"""Navigation entries of the places app (composed by ``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.navigation import NavItem

SECTION = _("委员之家")
NAVIGATION = [
    NavItem(_("委员之家"), "places:list", "house-heart", "places.view", SECTION),
    NavItem(_("我的值班"), "places:mine", "calendar-check", "places.my_shifts", SECTION),
    NavItem(_("群众反映"), "places:issues", "chat-left-text", "places.view_internal", SECTION),
    NavItem(_("转来的群众反映"), "places:issues", "inbox", "places.unit_issues", SECTION),
    NavItem(_("委员之家统计"), "places:stats", "bar-chart", "places.view_stats", SECTION),
]
