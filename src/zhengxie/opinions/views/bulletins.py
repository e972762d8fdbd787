"""Opinion pages: bulletins."""

urlpatterns: list = []
