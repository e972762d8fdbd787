"""Navigation entries of the meetings app (composed by ``core.navigation``)."""

NAVIGATION = []
