from zhengxie.notices.views import pages

app_name = "notices"

urlpatterns = [*pages.urlpatterns]
