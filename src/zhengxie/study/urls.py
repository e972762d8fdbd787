from zhengxie.study.views import pages

app_name = "study"

urlpatterns = [*pages.urlpatterns]
