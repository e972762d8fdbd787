"""Navigation entries of the notices app (composed by ``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.navigation import NavItem

SECTION = _("通知公告")
NAVIGATION = [
    NavItem(_("通知公告"), "notices:list", "broadcast", "notices.view_all", SECTION),
    NavItem(_("我的通知"), "notices:mine", "envelope-open", "notices.mine", SECTION),
]
