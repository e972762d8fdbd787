"""Navigation entries of the supervision app (composed by ``core.navigation``)."""

NAVIGATION = []
