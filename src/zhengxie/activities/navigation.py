"""Navigation entries of the activities app (composed by ``core.navigation``)."""

NAVIGATION = []
