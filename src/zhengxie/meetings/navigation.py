"""Navigation entries of the meetings app (composed by ``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.navigation import NavItem

SECTION = _("会议")

NAVIGATION = [
    NavItem(_("会议"), "meetings:list", "people-fill", "meetings.list", SECTION),
    NavItem(_("我的会议"), "meetings:mine", "person-check", "meetings.view_own", SECTION),
    NavItem(_("大会发言"), "meetings:speech_list", "mic", "meetings.list_speeches", SECTION),
    NavItem(
        _("会议活动日历"), "meetings:calendar", "calendar-week", "meetings.view_calendar", SECTION
    ),
    NavItem(_("会议活动统计"), "meetings:stats", "bar-chart", "meetings.view_stats", SECTION),
    NavItem(
        _("历史会议导入"), "meetings:history_import", "upload", "meetings.import_history", SECTION
    ),
]
