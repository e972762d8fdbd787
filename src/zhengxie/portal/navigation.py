"""Navigation entries of the portal app (composed by ``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.navigation import NavItem

SECTION = _("门户与宣传")
NAVIGATION = [
    NavItem(_("新闻发布"), "portal:news_list", "newspaper", "portal.view_news", SECTION),
    NavItem(
        _("待审核新闻"), "portal:review_queue", "hourglass-split", "portal.review_news", SECTION
    ),
    NavItem(_("门户设置"), "portal:settings", "window-stack", "portal.view_settings", SECTION),
    NavItem(_("委员公开信息"), "portal:consents", "person-check", "portal.view_consents", SECTION),
    NavItem(_("媒体报道"), "portal:media_list", "broadcast", "portal.view_media", SECTION),
    NavItem(
        _("我的公开信息"), "portal:my_profile", "person-badge", "portal.edit_own_profile", SECTION
    ),
    NavItem(_("公开门户"), "portal:my_portal", "globe2", "portal.open_public_site", SECTION),
]
