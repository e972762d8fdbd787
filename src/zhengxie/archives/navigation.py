"""Navigation entries of the archives app (composed by ``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.navigation import NavItem

SECTION = _("文史资料")
NAVIGATION = [
    NavItem(_("征集活动"), "archives:campaigns", "megaphone", "archives.view_campaigns", SECTION),
    NavItem(_("史料"), "archives:materials", "archive", "archives.view_all", SECTION),
    NavItem(_("书目"), "archives:volumes", "book", "archives.view_all", SECTION),
    NavItem(_("刊物"), "archives:periodicals", "journal-text", "archives.view_all", SECTION),
    NavItem(
        _("我的文史资料"), "archives:my_materials", "folder2-open", "archives.my_materials", SECTION
    ),
    NavItem(_("文史统计"), "archives:stats", "bar-chart", "archives.view_stats", SECTION),
]
