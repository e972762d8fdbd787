from zhengxie.reports.views import dashboard, drafts

app_name = "reports"

urlpatterns = [*dashboard.urlpatterns, *drafts.urlpatterns]
