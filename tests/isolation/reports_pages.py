"""Reports pages (dashboard, descendants and their exports) take no id: nothing to walk.

They always show the request's committee (and its descendants' figures only), which
``tests/reports/test_dashboard.py`` and ``test_descendants.py`` check."""

FOREIGN = {}
PUBLIC_ROUTES = set()


def build(committee, world):
    return {}
