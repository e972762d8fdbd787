"""The performance app's part of the cross-committee route walk (see tests/test_isolation.py):
its own API route here, the pages' routes in the parts each area keeps."""

from tests.isolation import performance_dossier, performance_flags, performance_rules

PARTS = (performance_rules, performance_dossier, performance_flags)


def build(committee, world):
    """Records of the performance app in ``committee``; ``world`` holds the base records."""
    records = {}
    for part in PARTS:
        records.update(part.build(committee, {**world, **records}))
    return records


# route name -> how to build its kwargs from a world and the id to use
FOREIGN = {
    "api:member_score": lambda w, i: {"membership_id": i(w["membership"])},
}
PUBLIC_ROUTES = set()
for _part in PARTS:
    FOREIGN.update(_part.FOREIGN)
    PUBLIC_ROUTES |= _part.PUBLIC_ROUTES
