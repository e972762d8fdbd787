"""Opinion pages: list and detail (the pages engineer extends this module)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import path

from zhengxie.opinions import queries


@login_required
def report_detail(request, pk):
    report = get_object_or_404(queries.visible_reports(request.user), pk=pk)
    return render(request, "opinions/detail.html", {"report": report})


urlpatterns = [
    path("<int:pk>/", report_detail, name="detail"),
]
