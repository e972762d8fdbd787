"""Navigation entries of the supervision app (composed by ``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.navigation import NavItem

SECTION = _("民主监督")

NAVIGATION = [
    NavItem(_("民主监督小组"), "supervision:group_list", "eye", "supervision.list_groups", SECTION),
    NavItem(
        _("待答复监督建议书"),
        "supervision:unit_letters",
        "envelope-paper",
        "supervision.unit_letters",
        SECTION,
    ),
    NavItem(
        _("专项民主监督"), "supervision:topic_list", "flag", "supervision.view_topics", SECTION
    ),
    NavItem(
        _("民主评议"),
        "supervision:appraisal_list",
        "clipboard-check",
        "supervision.view_appraisals",
        SECTION,
    ),
]
