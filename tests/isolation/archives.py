"""The archives app's part of the cross-committee route walk (see tests/test_isolation.py)."""


def build(committee, world):
    """Records of the archives app in ``committee``; ``world`` holds the base records."""
    return {}


# route name -> how to build its kwargs from a world and the id to use
FOREIGN = {}
# Routes addressed by committee code rather than the user's committee.
PUBLIC_ROUTES = set()
