"""Opinion pages: stats."""

urlpatterns: list = []
