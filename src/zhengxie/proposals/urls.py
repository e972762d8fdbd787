from zhengxie.proposals.views import documents, pages, public, stats

app_name = "proposals"

urlpatterns = [*pages.urlpatterns, *stats.urlpatterns, *documents.urlpatterns, *public.urlpatterns]
