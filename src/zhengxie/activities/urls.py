from zhengxie.activities.views import pages, plans

app_name = "activities"

urlpatterns = [*plans.urlpatterns, *pages.urlpatterns]
