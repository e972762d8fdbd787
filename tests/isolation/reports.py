"""The reports app's part of the cross-committee route walk (see tests/test_isolation.py): the
figures pages and API take no record ids of their own except those listed by each part."""

from importlib import import_module
from importlib.util import find_spec

PARTS = tuple(
    import_module(f"tests.isolation.{name}")
    for name in ("reports_api", "reports_pages")
    if find_spec(f"tests.isolation.{name}") is not None
)


def build(committee, world):
    records = {}
    for part in PARTS:
        records.update(part.build(committee, {**world, **records}))
    return records


FOREIGN = {}
PUBLIC_ROUTES = set()
for _part in PARTS:
    FOREIGN.update(_part.FOREIGN)
    PUBLIC_ROUTES |= _part.PUBLIC_ROUTES
