from zhengxie.portal.views import pages

app_name = "portal"

urlpatterns = [*pages.urlpatterns]
