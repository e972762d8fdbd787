"""Special supervision topics (专项民主监督): list, create/edit, detail with this committee's
groups and letters under the topic, and running it jointly with a higher committee."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengxie.core.forms import attach_errors
from zhengxie.core.models import Share
from zhengxie.supervision import forms, queries, services
from zhengxie.supervision.models import SupervisionTopic
from zhengxie.supervision.views.common import require, topic_or_404


@login_required
def topic_list(request):
    require(request, "supervision.view_topics")
    topics = list(SupervisionTopic.objects.select_related("committee").order_by("-starts_year"))
    return render(
        request,
        "supervision/topic_list.html",
        {
            "topics": topics,
            "can_manage": request.user.has_perm("supervision.manage"),
            "committee": request.committee,
        },
    )


@login_required
def topic_create(request):
    require(request, "supervision.manage")
    form = forms.TopicForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            topic = services.topic_create(
                actor=request.user, committee=request.committee, data=form.cleaned_data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("监督专题已建立。"))
            return redirect("supervision:topic_detail", pk=topic.pk)
    return render(
        request, "supervision/topic_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


@login_required
def topic_edit(request, pk):
    topic = topic_or_404(request, pk)
    require(request, "supervision.manage", topic)
    initial = {
        f: getattr(topic, f) for f in ("title", "starts_year", "ends_year", "lead", "description")
    }
    form = forms.TopicForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.topic_update(actor=request.user, topic=topic, data=form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("监督专题已保存。"))
            return redirect("supervision:topic_detail", pk=topic.pk)
    return render(
        request,
        "supervision/topic_form.html",
        {"form": form, "topic": topic},
        status=400 if form.is_bound else 200,
    )


def _detail_context(request, topic, share_form=None):
    own = topic.committee_id == request.committee.pk
    can_manage = request.user.has_perm("supervision.manage", topic)
    shares = (
        list(
            Share.objects.filter(
                content_type=ContentType.objects.get_for_model(SupervisionTopic),
                object_id=topic.pk,
            ).select_related("committee")
        )
        if own
        else []
    )
    groups = queries.visible_groups(request.user).filter(topic=topic).select_related("unit")
    letters = queries.visible_letters(request.user).filter(topic=topic).select_related("group")
    return {
        "topic": topic,
        "own": own,
        "shares": shares,
        "groups": list(groups.order_by("-year", "name")),
        "letters": list(letters.order_by("-created")),
        "can_manage": can_manage,
        "can_edit": can_manage and own,
        "share_form": (share_form or forms.ShareForm(committee=request.committee))
        if can_manage and own
        else None,
    }


@login_required
def topic_detail(request, pk):
    topic = topic_or_404(request, pk)
    return render(request, "supervision/topic_detail.html", _detail_context(request, topic))


@login_required
@require_POST
def topic_share(request, pk):
    topic = topic_or_404(request, pk)
    require(request, "supervision.manage", topic)
    form = forms.ShareForm(request.POST, committee=request.committee)
    if form.is_valid():
        try:
            services.topic_share(
                actor=request.user, topic=topic, committee=form.cleaned_data["committee"]
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已邀请联合开展。"))
            return redirect("supervision:topic_detail", pk=topic.pk)
    return render(
        request,
        "supervision/topic_detail.html",
        _detail_context(request, topic, share_form=form),
        status=400,
    )


urlpatterns = [
    path("topics/", topic_list, name="topic_list"),
    path("topics/new/", topic_create, name="topic_create"),
    path("topics/<int:pk>/", topic_detail, name="topic_detail"),
    path("topics/<int:pk>/edit/", topic_edit, name="topic_edit"),
    path("topics/<int:pk>/share/", topic_share, name="topic_share"),
]
