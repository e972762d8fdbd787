from zhengxie.places.views import pages, public

app_name = "places"

urlpatterns = [*public.urlpatterns, *pages.urlpatterns]
