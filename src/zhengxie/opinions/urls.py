from zhengxie.opinions.views import bulletins, pages, stats

app_name = "opinions"

urlpatterns = [*pages.urlpatterns, *bulletins.urlpatterns, *stats.urlpatterns]
