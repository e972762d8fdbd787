from zhengxie.archives.views import pages

app_name = "archives"

urlpatterns = [*pages.urlpatterns]
