"""The report-data API's part of the cross-committee route walk: ``/api/v1/reports/annual``
takes no id in its path (session, term and committee are query parameters; another committee's
session, term or code answers 404 — tests/reports/test_api.py checks that)."""

FOREIGN = {}
PUBLIC_ROUTES = set()


def build(committee, world):
    return {}
