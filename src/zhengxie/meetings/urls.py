from zhengxie.meetings.views import calendar, pages, speeches, stats

app_name = "meetings"

urlpatterns = [
    *pages.urlpatterns,
    *speeches.urlpatterns,
    *stats.urlpatterns,
    *calendar.urlpatterns,
]
