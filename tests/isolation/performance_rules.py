"""The performance rules/scores/ranking part of the cross-committee route walk (see
tests/test_isolation.py); the lead merges it into ``performance.py``."""

from django_scopes import scope

from zhengxie.performance import tables


def build(committee, world):
    """A point table (with its first version) in ``committee``."""
    with scope(committee=committee):
        return {"point_table": tables.table_ensure(committee=committee, year=2026)}


# route name -> how to build its kwargs from a world and the id to use
FOREIGN = {
    "performance:score": lambda w, i: {"pk": i(w["membership"]), "year": 2026},
}
# rules_edit and rules_versions take only a year (within the user's own committee): the walk
# treats <int:year> as a fixed word, not an id (a year outside 1949–2100 answers 404, see
# tests/performance/test_rules_pages.py).
PUBLIC_ROUTES = set()
