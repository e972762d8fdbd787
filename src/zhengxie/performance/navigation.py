"""Navigation entries of the performance app (composed by ``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.navigation import NavItem

SECTION = _("委员履职")

NAVIGATION = [
    NavItem(
        _("我的履职档案"),
        "performance:my_dossier",
        "person-vcard",
        "performance.own_dossier",
        SECTION,
    ),
    NavItem(
        _("履职补录"), "performance:claim_list", "plus-square", "performance.list_claims", SECTION
    ),
    NavItem(
        _("年度述职"), "performance:report_list", "file-person", "performance.list_reports", SECTION
    ),
    NavItem(_("政治体检"), "performance:check", "shield-check", "performance.own_dossier", SECTION),
    NavItem(_("履职积分排名"), "performance:ranking", "trophy", "performance.view_scores", SECTION),
    NavItem(
        _("委员履职档案"),
        "performance:dossiers",
        "folder2-open",
        "performance.view_scores",
        SECTION,
    ),
    NavItem(
        _("退出情形"),
        "performance:flags",
        "exclamation-triangle",
        "performance.view_flags",
        SECTION,
    ),
    NavItem(_("积分规则"), "performance:rules", "list-ol", "performance.view_rules", SECTION),
]
