from zhengxie.proposals.views import categories, documents, pages, public, stats

app_name = "proposals"

urlpatterns = [
    *pages.urlpatterns,
    *stats.urlpatterns,
    *documents.urlpatterns,
    *public.urlpatterns,
    *categories.urlpatterns,
]
