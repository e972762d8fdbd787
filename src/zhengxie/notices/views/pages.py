"""Pages (replace this docstring)."""

urlpatterns = []
