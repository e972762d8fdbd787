from zhengxie.portal.views import media, pages, public

app_name = "portal"

urlpatterns = [*public.urlpatterns, *pages.urlpatterns, *media.urlpatterns]
