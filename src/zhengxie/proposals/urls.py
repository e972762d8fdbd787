from zhengxie.proposals.views import documents, pages, stats

app_name = "proposals"

urlpatterns = [*pages.urlpatterns, *stats.urlpatterns, *documents.urlpatterns]
