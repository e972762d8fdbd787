from zhengxie.supervision.views import appraisals, groups, letters, topics

app_name = "supervision"

urlpatterns = [
    *groups.urlpatterns,
    *letters.urlpatterns,
    *topics.urlpatterns,
    *appraisals.urlpatterns,
]
