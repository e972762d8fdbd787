from zhengxie.study.views import library, pages

app_name = "study"

urlpatterns = [*pages.urlpatterns, *library.urlpatterns]
