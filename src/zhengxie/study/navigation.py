"""Navigation entries of the study app (composed by ``core.navigation``)."""

from django.utils.translation import gettext_lazy as _

from zhengxie.core.navigation import NavItem  # noqa: F401  (entries are added with the pages)

SECTION = _("学习培训")
NAVIGATION = []
