"""Helpers shared by the supervision pages: look-ups that answer 404 for what the user may not
see (exactly like a missing id), then the permission, then the service."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from zhengxie.supervision import queries
from zhengxie.supervision.models import Appraisal, SupervisionTopic


def require(request, permission, obj=None):
    if getattr(request, "active_role", None) is None or not request.user.has_perm(permission, obj):
        raise PermissionDenied


def group_or_404(request, pk):
    return get_object_or_404(queries.group_detail_queryset(request.user), pk=pk)


def letter_or_404(request, pk):
    return get_object_or_404(queries.letter_queryset(request.user), pk=pk)


def topic_or_404(request, pk):
    topic = get_object_or_404(SupervisionTopic.objects.select_related("committee"), pk=pk)
    require(request, "supervision.view_topics", topic)
    return topic


def appraisal_or_404(request, pk):
    appraisal = get_object_or_404(Appraisal.objects.all(), pk=pk)
    require(request, "supervision.view_appraisals", appraisal)
    return appraisal
