from zhengxie.performance.views import claims, dossier, flags, pages, reports, rules

app_name = "performance"

urlpatterns = [
    *pages.urlpatterns,
    *rules.urlpatterns,
    *dossier.urlpatterns,
    *reports.urlpatterns,
    *claims.urlpatterns,
    *flags.urlpatterns,
]
