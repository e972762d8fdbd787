"""Internal portal pages: news (write → review → publish), the review queue, the portal
settings, members' consent overview and each member's own public profile. Views are
access → service → response; a record the user may not see answers 404 like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.models import Attachment
from zhengxie.core.workflow import InvalidTransition
from zhengxie.portal import forms, queries, services
from zhengxie.portal.models import NewsImage, NewsState, PublicProfile
from zhengxie.portal.views.files import image_response
from zhengxie.portal.workflow import NEWS_WORKFLOW, REASON_ACTIONS


def _need(request, permission, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _news_or_404(request, pk):
    _need(request, "portal.view_news")
    return get_object_or_404(queries.news_visible(request.user), pk=pk)


# News -----------------------------------------------------------------------------------------


@login_required
def news_list(request):
    _need(request, "portal.view_news")
    all_states = request.user.has_perm("portal.view_all_news")
    form = forms.NewsFilterForm(request.GET or None, all_states=all_states)
    qs = queries.news_list(request.user, **form.filters())
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "can_edit": request.user.has_perm("portal.edit_news"),
    }
    template = "portal/news_list.html#results" if request.htmx else "portal/news_list.html"
    return render(request, template, context)


@login_required
def review_queue(request):
    _need(request, "portal.review_news")
    items = list(queries.review_queue())
    return render(request, "portal/review_queue.html", {"items": items})


def _news_data(data):
    return {k: data.get(k) for k in services.NEWS_FIELDS}


@login_required
def news_create(request):
    _need(request, "portal.edit_news")
    form = forms.NewsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            news = services.news_create(
                actor=request.user, committee=request.committee, data=_news_data(form.cleaned_data)
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("新闻草稿已保存,可继续添加图片后提交审核。"))
            return redirect("portal:news_detail", pk=news.pk)
    return render(
        request, "portal/news_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


@login_required
def news_edit(request, pk):
    news = _news_or_404(request, pk)
    _need(request, "portal.edit_news", news)
    if news.state != NewsState.DRAFT:
        messages.error(request, _("只有草稿可以修改。"))
        return redirect("portal:news_detail", pk=news.pk)
    initial = {k: getattr(news, k) for k in services.NEWS_FIELDS}
    form = forms.NewsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.news_update(actor=request.user, news=news, data=_news_data(form.cleaned_data))
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("新闻已保存。"))
            return redirect("portal:news_detail", pk=news.pk)
    return render(
        request,
        "portal/news_form.html",
        {"form": form, "news": news},
        status=400 if form.is_bound else 200,
    )


def _history(news):
    labels = {t.action: t.label for t in NEWS_WORKFLOW.transitions}
    return [
        {
            "created": h.created,
            "actor": h.actor,
            "action": labels.get(h.action, h.action),
            "to_state": NEWS_WORKFLOW.state_label(h.to_state),
            "note": h.note,
        }
        for h in news.history.select_related("actor").order_by("created", "pk")
    ]


def _detail(request, news, *, image_form=None, note_form=None, status=200):
    user = request.user
    can_edit = user.has_perm("portal.edit_news", news) and news.state == NewsState.DRAFT
    history = _history(news) if user.has_perm("portal.view_all_news") else []
    returned = (
        news.history.filter(action__in=REASON_ACTIONS).order_by("-created", "-pk").first()
        if news.state == NewsState.DRAFT
        else None
    )
    context = {
        "news": news,
        "images": list(queries.news_images(news)),
        "actions": NEWS_WORKFLOW.available(news, user),
        "reason_actions": REASON_ACTIONS,
        "note_form": note_form or forms.NoteForm(),
        "can_edit": can_edit,
        "image_form": image_form or (forms.NewsImageForm() if can_edit else None),
        "history": history,
        "last_reason": returned,
        "is_author": news.author_id == user.pk,
        "committee": request.committee,
    }
    return render(request, "portal/news_detail.html", context, status=status)


@login_required
def news_detail(request, pk):
    return _detail(request, _news_or_404(request, pk))


@login_required
@require_POST
def news_act(request, pk, action):
    news = _news_or_404(request, pk)
    if action not in NEWS_WORKFLOW.actions:
        raise Http404
    form = forms.NoteForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            news = services.news_act(
                actor=request.user, news=news, action=action, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            messages.error(request, " ".join(error_messages(exc)))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or _("您没有执行此操作的权限。"))
            status = 403
        except InvalidTransition as exc:
            messages.error(request, str(exc))
            status = 409
        else:
            messages.success(
                request, _("新闻状态已改为“%(s)s”。") % {"s": news.get_state_display()}
            )
            return redirect("portal:news_detail", pk=news.pk)
    else:
        messages.error(request, _("说明不能超过500个字。"))
    news = _news_or_404(request, pk)
    return _detail(request, news, note_form=form, status=status)


@login_required
@require_POST
def news_image_add(request, pk):
    news = _news_or_404(request, pk)
    _need(request, "portal.edit_news", news)
    form = forms.NewsImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.news_image_add(
                actor=request.user,
                news=news,
                upload=form.cleaned_data.get("image"),
                caption=form.cleaned_data.get("caption", ""),
                is_cover=form.cleaned_data.get("is_cover", False),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("图片已添加。"))
            return redirect("portal:news_detail", pk=news.pk)
    return _detail(request, news, image_form=form, status=400)


def _image_or_404(request, pk):
    _need(request, "portal.edit_news")
    image = get_object_or_404(NewsImage.objects.select_related("news"), pk=pk)
    _need(request, "portal.edit_news", image.news)
    return image


@login_required
@require_POST
def news_image_remove(request, pk):
    image = _image_or_404(request, pk)
    try:
        services.news_image_remove(actor=request.user, image=image)
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(request, _("图片已删除。"))
    return redirect("portal:news_detail", pk=image.news_id)


@login_required
@require_POST
def news_image_cover(request, pk):
    image = _image_or_404(request, pk)
    try:
        services.news_image_set_cover(actor=request.user, image=image)
    except ValidationError as exc:
        messages.error(request, " ".join(error_messages(exc)))
    else:
        messages.success(request, _("已设为封面。"))
    return redirect("portal:news_detail", pk=image.news_id)


@login_required
def image(request, pk):
    """An image for signed-in readers: a news item's (as the item is visible to them) or a
    member's photo (the member, and those who see the consent overview)."""
    attachment = get_object_or_404(Attachment.objects.all(), pk=pk)
    news_image = NewsImage.objects.filter(attachment=attachment).first()
    if news_image is not None:
        if not queries.news_visible(request.user).filter(pk=news_image.news_id).exists():
            raise Http404
        return image_response(attachment, public=False)
    profile = (
        PublicProfile.objects.filter(photo=attachment).select_related("membership__person").first()
    )
    if profile is None or not (
        request.user.has_perm("portal.view_consents")
        or profile.membership.person.user_id == request.user.pk
    ):
        raise Http404
    return image_response(attachment, public=False)


# Portal settings, consents, own profile -----------------------------------------------------


@login_required
def portal_settings(request):
    _need(request, "portal.view_settings")
    profile = queries.committee_profile()
    can_edit = request.user.has_perm("portal.edit_settings")
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    initial = {k: getattr(profile, k) for k in services.PROFILE_FIELDS} if profile else {}
    form = forms.CommitteeProfileForm(request.POST or None, initial=initial) if can_edit else None
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_profile_save(
                actor=request.user, committee=request.committee, data=form.cleaned_data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("门户设置已保存。"))
            return redirect("portal:settings")
    return render(
        request,
        "portal/settings.html",
        {"profile": profile, "form": form, "committee": request.committee},
        status=400 if form is not None and form.is_bound else 200,
    )


@login_required
def consents(request):
    _need(request, "portal.view_consents")
    memberships = queries.consent_overview()
    only_consented = request.GET.get("consented") == "1"
    consented = queries.public_members().count()
    if only_consented:
        total = memberships.count()
        memberships = memberships.filter(public_profile__consent_given_at__isnull=False)
    page = Paginator(memberships, 50).get_page(request.GET.get("page"))
    if not only_consented:
        total = page.paginator.count
    return render(
        request,
        "portal/consents.html",
        {
            "page": page,
            "consented": consented,
            "total": total,
            "only_consented": only_consented,
        },
    )


def _profile_of(membership):
    try:
        return membership.public_profile
    except PublicProfile.DoesNotExist:
        return None


@login_required
def my_profile(request):
    _need(request, "portal.edit_own_profile")
    membership = queries.own_membership(request.user)
    if membership is None:
        return render(request, "portal/my_profile.html", {"membership": None}, status=404)
    profile = _profile_of(membership)
    initial = {"consent": bool(profile and profile.consented)}
    if profile is not None:
        initial.update({k: getattr(profile, k) for k in services.PUBLIC_FIELDS})
    form = forms.PublicProfileForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        has_photo=bool(profile and profile.photo_id),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.public_profile_save(
                actor=request.user,
                membership=membership,
                data=data,
                photo=data.get("photo"),
                remove_photo=data.get("remove_photo", False),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("公开信息已保存。"))
            return redirect("portal:my_profile")
    return render(
        request,
        "portal/my_profile.html",
        {"membership": membership, "profile": profile, "form": form},
        status=400 if form.is_bound else 200,
    )


@login_required
def my_portal(request):
    """The public portal of the user's own committee (the sidebar's link)."""
    _need(request, "portal.open_public_site")
    return redirect("portal:public_home", code=request.committee.code)


urlpatterns = [
    path("news/", news_list, name="news_list"),
    path("news/new/", news_create, name="news_create"),
    path("news/review/", review_queue, name="review_queue"),
    path("news/<int:pk>/", news_detail, name="news_detail"),
    path("news/<int:pk>/edit/", news_edit, name="news_edit"),
    path("news/<int:pk>/act/<slug:action>/", news_act, name="news_act"),
    path("news/<int:pk>/images/", news_image_add, name="news_image_add"),
    path("news/images/<int:pk>/delete/", news_image_remove, name="news_image_remove"),
    path("news/images/<int:pk>/cover/", news_image_cover, name="news_image_cover"),
    path("images/<int:pk>/", image, name="image"),
    path("settings/", portal_settings, name="settings"),
    path("consents/", consents, name="consents"),
    path("me/", my_profile, name="my_profile"),
    path("site/", my_portal, name="my_portal"),
]
