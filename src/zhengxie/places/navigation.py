"""Navigation entries of the places app (composed by ``core.navigation``)."""

NAVIGATION = []
