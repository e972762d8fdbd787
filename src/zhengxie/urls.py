from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from zhengxie.api import api

admin.site.site_header = "智慧政协 · 系统管理"
admin.site.site_title = "智慧政协"

urlpatterns = [
    path("", include("zhengxie.core.urls")),
    path("organisation/", include("zhengxie.organisation.urls")),
    path("proposals/", include("zhengxie.proposals.urls")),
    path("opinions/", include("zhengxie.opinions.urls")),
    path("meetings/", include("zhengxie.meetings.urls")),
    path("activities/", include("zhengxie.activities.urls")),
    path("supervision/", include("zhengxie.supervision.urls")),
    path("places/", include("zhengxie.places.urls")),
    path("study/", include("zhengxie.study.urls")),
    path("archives/", include("zhengxie.archives.urls")),
    path("portal/", include("zhengxie.portal.urls")),
    path("notices/", include("zhengxie.notices.urls")),
    path("performance/", include("zhengxie.performance.urls")),
    path("reports/", include("zhengxie.reports.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG or settings.ZHENGXIE_DEMO:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
