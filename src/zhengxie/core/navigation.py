"""The navigation, by role. Each app adds its entries here; a user sees what they may open."""

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    icon: str
    permission: str | None = None
    section: str = ""


NAVIGATION = [
    NavItem(_("首页"), "core:home", "house"),
    NavItem(_("提案"), "proposals:list", "file-earmark-text", "proposals.list", _("提案")),
    NavItem(_("超期催办"), "proposals:overdue", "alarm", "proposals.view_stats", _("提案")),
    NavItem(_("提案表彰"), "proposals:awards", "award", "proposals.award", _("提案")),
    NavItem(_("提案统计"), "proposals:stats", "bar-chart", "proposals.view_stats", _("提案")),
    NavItem(
        _("提案类别"), "proposals:categories", "tags", "proposals.manage_categories", _("提案")
    ),
    NavItem(
        _("历史提案导入"),
        "proposals:history_import",
        "upload",
        "proposals.import_history",
        _("提案"),
    ),
    NavItem(_("社情民意"), "opinions:list", "megaphone", "opinions.list", _("社情民意")),
    NavItem(
        _("刊物编发"),
        "opinions:bulletin_list",
        "journal-richtext",
        "opinions.compose_bulletin",
        _("社情民意"),
    ),
    NavItem(
        _("待办理的社情民意"),
        "opinions:handling_list",
        "inbox",
        "opinions.handle",
        _("社情民意"),
    ),
    NavItem(_("社情民意统计"), "opinions:stats", "bar-chart", "opinions.view_stats", _("社情民意")),
    NavItem(
        _("历史社情民意导入"),
        "opinions:history_import",
        "upload",
        "opinions.import_history",
        _("社情民意"),
    ),
    NavItem(
        _("委员名录"), "organisation:directory", "people", "organisation.view_directory", _("组织")
    ),
    NavItem(
        _("名册导入"),
        "organisation:roster_import",
        "upload",
        "organisation.manage_roster",
        _("组织"),
    ),
    NavItem(
        _("组织机构"),
        "organisation:structure",
        "diagram-3",
        "organisation.manage_structure",
        _("组织"),
    ),
    NavItem(_("承办单位"), "organisation:units", "building", "organisation.view_units", _("组织")),
    NavItem(_("通知中心"), "core:notifications", "bell", None, _("个人")),
    NavItem(_("内容审核"), "core:moderation", "shield-check", "core.moderate", _("管理")),
    NavItem(_("账号与角色"), "core:accounts", "person-gear", "core.manage_accounts", _("管理")),
    NavItem(_("委员会配置"), "core:settings", "sliders", "core.edit_settings", _("管理")),
    NavItem(_("工作日历"), "core:calendar", "calendar3", "core.edit_calendar", _("管理")),
    NavItem(_("审计日志"), "core:audit", "journal-text", "core.view_audit", _("管理")),
]


# Apps that keep their entries in their own ``navigation.py`` (a ``NAVIGATION`` list), shown
# after the entries above, before the personal and management sections.
APP_NAVIGATION = (
    "zhengxie.meetings",
    "zhengxie.activities",
    "zhengxie.supervision",
    "zhengxie.places",
    "zhengxie.notices",
    "zhengxie.study",
    "zhengxie.archives",
    "zhengxie.portal",
    "zhengxie.performance",
    "zhengxie.reports",
)
TRAILING_SECTIONS = (_("组织"), _("个人"), _("管理"))


@cache
def all_items():
    head = [i for i in NAVIGATION if i.section not in TRAILING_SECTIONS]
    tail = [i for i in NAVIGATION if i.section in TRAILING_SECTIONS]
    apps = [i for name in APP_NAVIGATION for i in import_module(f"{name}.navigation").NAVIGATION]
    return [*head, *apps, *tail]


def navigation_for(request):
    user = request.user
    if not user.is_authenticated or getattr(request, "active_role", None) is None:
        return []
    current = request.path
    items = []
    for item in all_items():
        if item.permission and not user.has_perm(item.permission):
            continue
        try:
            url = reverse(item.url_name)
        except Exception:  # noqa: BLE001  (an app whose pages are not wired yet is skipped)
            continue
        items.append(
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "section": item.section,
                "active": False,
            }
        )
    # The active entry is the one whose address is the longest prefix of this page's.
    matches = [
        i
        for i in items
        if current == i["url"] or (i["url"] != "/" and current.startswith(i["url"]))
    ]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return items
