"""文史资料 pages: collection campaigns, materials (all of them for staff and readers, a
member's own under 我的文史资料), volumes with their chapters, the periodical's issues, and the
figures. Views are access → service → response; a record the user may not see answers 404
like a missing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengxie.archives import documents, forms, queries, services
from zhengxie.archives.models import (
    Campaign,
    CampaignState,
    Chapter,
    ChapterMaterial,
    Periodical,
    PeriodicalIssue,
    VolumeState,
)
from zhengxie.archives.stats import FIGURE_LABELS, archive_figures
from zhengxie.archives.workflow import CAMPAIGN_WORKFLOW, MATERIAL_WORKFLOW, VOLUME_WORKFLOW
from zhengxie.core.attachments import attachments_for
from zhengxie.core.forms import attach_errors, error_messages
from zhengxie.core.periods import PeriodForm, chosen_period
from zhengxie.core.workflow import InvalidTransition
from zhengxie.organisation.models import Session, Term


def _need(request, permission, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _status(form):
    return 400 if form is not None and form.is_bound else 200


def _history(obj, workflow):
    labels = {t.action: str(t.label) for t in workflow.transitions}
    labels.update(submit=_("提交"), edit=_("修改"))
    return [
        {
            "when": h.created,
            "actor": h.actor,
            "action": labels.get(h.action, h.action),
            "state": workflow.state_label(h.to_state),
            "note": h.note,
        }
        for h in obj.history.select_related("actor").order_by("created", "pk")
    ]


def _flash_errors(request, exc):
    messages.error(request, " ".join(error_messages(exc)))


# Campaigns ---------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    _need(request, "archives.view_campaigns")
    state = request.GET.get("state", "")
    state = state if state in CampaignState.values else ""
    page = Paginator(queries.campaign_list(state=state), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "archives/campaign_list.html",
        {
            "page": page,
            "state": state,
            "states": CampaignState.choices,
            "can_manage": request.user.has_perm("archives.manage"),
            "can_view_all": request.user.has_perm("archives.view_all"),
            "today": timezone.localdate(),
        },
    )


def _campaign_or_404(request, pk):
    _need(request, "archives.view_campaigns")
    return get_object_or_404(Campaign.objects.select_related("special_committee"), pk=pk)


@login_required
def campaign_create(request):
    _need(request, "archives.manage")
    form = forms.CampaignForm(request.POST or None, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                actor=request.user, committee=request.committee, data=form.cleaned_data
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("征集活动已发布。"))
            return redirect("archives:campaign_detail", pk=campaign.pk)
    return render(
        request,
        "archives/form.html",
        {"form": form, "heading": _("发布征集活动"), "cancel_url": reverse("archives:campaigns")},
        status=_status(form),
    )


@login_required
def campaign_edit(request, pk):
    campaign = _campaign_or_404(request, pk)
    _need(request, "archives.manage", campaign)
    initial = {k: getattr(campaign, k) for k in services.CAMPAIGN_FIELDS}
    form = forms.CampaignForm(request.POST or None, initial=initial, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, data=form.cleaned_data)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("征集活动已保存。"))
            return redirect("archives:campaign_detail", pk=campaign.pk)
    return render(
        request,
        "archives/form.html",
        {
            "form": form,
            "heading": _("修改征集活动:%(t)s") % {"t": campaign.theme},
            "cancel_url": reverse("archives:campaign_detail", args=[campaign.pk]),
        },
        status=_status(form),
    )


@login_required
def campaign_detail(request, pk):
    campaign = _campaign_or_404(request, pk)
    user = request.user
    materials = queries.materials_visible(user).filter(campaign=campaign)
    page = Paginator(materials.order_by("-received_on", "-pk"), 30).get_page(
        request.GET.get("page")
    )
    context = {
        "campaign": campaign,
        "page": page,
        "totals": queries.campaign_totals(campaign) if user.has_perm("archives.view_all") else None,
        "can_manage": user.has_perm("archives.manage", campaign),
        "can_submit": user.has_perm("archives.submit") and services.campaign_collecting(campaign),
        "actions": CAMPAIGN_WORKFLOW.available(campaign, user),
        "action_form": forms.CampaignActionForm(),
        "history": _history(campaign, CAMPAIGN_WORKFLOW),
        "today": timezone.localdate(),
    }
    return render(request, "archives/campaign_detail.html", context)


@login_required
@require_POST
def campaign_action(request, pk, action):
    campaign = _campaign_or_404(request, pk)
    if action not in CAMPAIGN_WORKFLOW.actions:
        raise Http404
    form = forms.CampaignActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for es in form.errors.values() for e in es))
        return redirect("archives:campaign_detail", pk=campaign.pk)
    try:
        campaign = services.campaign_act(
            actor=request.user,
            campaign=campaign,
            action=action,
            note=form.cleaned_data.get("note", ""),
            deadline=form.cleaned_data.get("deadline"),
        )
    except (ValidationError, InvalidTransition) as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("征集活动已“%(s)s”。") % {"s": campaign.get_state_display()})
    return redirect("archives:campaign_detail", pk=campaign.pk)


# Materials ---------------------------------------------------------------------------------


@login_required
def material_list(request):
    _need(request, "archives.view_all")
    form = forms.MaterialFilterForm(request.GET or None)
    qs = queries.material_list(request.user, **form.filters())
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "form": form,
        "totals": queries.material_totals(qs),
        "can_manage": request.user.has_perm("archives.manage"),
    }
    template = (
        "archives/material_list.html#results" if request.htmx else "archives/material_list.html"
    )
    return render(request, template, context)


@login_required
def my_materials(request):
    _need(request, "archives.my_materials")
    materials = queries.materials_visible(request.user).order_by("-received_on", "-pk")
    page = Paginator(materials, 30).get_page(request.GET.get("page"))
    today = timezone.localdate()
    campaigns = Campaign.objects.filter(
        state=CampaignState.OPEN, opens_on__lte=today, deadline__gte=today
    ).order_by("deadline", "pk")
    return render(
        request,
        "archives/mine.html",
        {"page": page, "campaigns": campaigns, "totals": queries.material_totals(materials)},
    )


def _material_data(form):
    data = dict(form.cleaned_data)
    for name in ("files", "consent_file"):
        data.pop(name, None)
    return data


@login_required
def material_create(request):
    user = request.user
    staff = user.has_perm("archives.manage")
    if not staff:
        _need(request, "archives.submit")
    initial = {}
    if request.GET.get("campaign", "").isdigit():
        campaign = Campaign.objects.filter(pk=int(request.GET["campaign"])).first()
        if campaign is not None:
            initial["campaign"] = campaign.pk
    form = forms.MaterialForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        committee=request.committee,
        member=not staff,
    )
    if request.method == "POST" and form.is_valid():
        try:
            material = services.material_submit(
                actor=user,
                committee=request.committee,
                data=_material_data(form),
                uploads=form.cleaned_data.get("files") or [],
                consent_upload=form.cleaned_data.get("consent_file"),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("史料已登记。") if staff else _("史料已提交,请等待审核。"))
            return redirect("archives:material_detail", pk=material.pk)
    return render(
        request,
        "archives/form.html",
        {
            "form": form,
            "heading": _("登记史料") if staff else _("提交文史资料"),
            "cancel_url": reverse("archives:materials" if staff else "archives:my_materials"),
            "multipart": True,
        },
        status=_status(form),
    )


def _material_or_404(request, pk):
    material = get_object_or_404(queries.materials_visible(request.user), pk=pk)
    if not request.user.has_perm("archives.view_material", material):
        raise Http404
    return material


@login_required
def material_detail(request, pk):
    material = _material_or_404(request, pk)
    user = request.user
    context = {
        "material": material,
        "attachments": attachments_for(material),
        "actions": MATERIAL_WORKFLOW.available(material, user),
        "action_form": forms.MaterialActionForm(),
        "can_edit": user.has_perm("archives.edit_material", material),
        "attach_form": forms.AttachForm() if user.has_perm("archives.attach", material) else None,
        "show_personal": user.has_perm("archives.view_personal"),
        "history": _history(material, MATERIAL_WORKFLOW),
    }
    return render(request, "archives/material_detail.html", context)


@login_required
def material_edit(request, pk):
    material = _material_or_404(request, pk)
    user = request.user
    _need(request, "archives.edit_material", material)
    staff = user.has_perm("archives.manage")
    initial = {k: getattr(material, k) for k in services.MATERIAL_FIELDS}
    initial["campaign"] = material.campaign_id
    initial["membership"] = material.membership_id
    form = forms.MaterialForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        committee=request.committee,
        member=not staff,
        material=material,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.material_update(
                actor=user,
                material=material,
                data=_material_data(form),
                uploads=form.cleaned_data.get("files") or [],
                consent_upload=form.cleaned_data.get("consent_file"),
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("史料已保存。"))
            return redirect("archives:material_detail", pk=material.pk)
    return render(
        request,
        "archives/form.html",
        {
            "form": form,
            "heading": _("修改史料:%(t)s") % {"t": material.title},
            "cancel_url": reverse("archives:material_detail", args=[material.pk]),
            "multipart": True,
        },
        status=_status(form),
    )


@login_required
@require_POST
def material_action(request, pk, action):
    material = _material_or_404(request, pk)
    if action not in MATERIAL_WORKFLOW.actions:
        raise Http404
    form = forms.MaterialActionForm(request.POST)
    note = form.cleaned_data.get("note", "") if form.is_valid() else ""
    try:
        material = services.material_act(
            actor=request.user, material=material, action=action, note=note
        )
    except (ValidationError, InvalidTransition) as exc:
        _flash_errors(request, exc)
    else:
        messages.success(
            request, _("史料状态已改为“%(s)s”。") % {"s": material.get_state_display()}
        )
    return redirect("archives:material_detail", pk=material.pk)


@login_required
@require_POST
def material_attach(request, pk):
    material = _material_or_404(request, pk)
    _need(request, "archives.attach", material)
    form = forms.AttachForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_attach(
                actor=request.user,
                material=material,
                uploads=form.cleaned_data.get("files") or [],
                consent_upload=form.cleaned_data.get("consent_file"),
            )
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, _("文件已上传。"))
    else:
        messages.error(request, " ".join(e for es in form.errors.values() for e in es))
    return redirect("archives:material_detail", pk=material.pk)


# Volumes -----------------------------------------------------------------------------------


@login_required
def volume_list(request):
    _need(request, "archives.view_all")
    state = request.GET.get("state", "")
    state = state if state in VolumeState.values else ""
    page = Paginator(queries.volume_list(state=state), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "archives/volume_list.html",
        {
            "page": page,
            "state": state,
            "states": VolumeState.choices,
            "can_manage": request.user.has_perm("archives.manage"),
        },
    )


def _volume_or_404(request, pk):
    _need(request, "archives.view_all")
    return get_object_or_404(queries.volumes_with_editors(), pk=pk)


@login_required
def volume_create(request):
    _need(request, "archives.manage")
    form = forms.VolumeForm(request.POST or None, committee=request.committee)
    if request.method == "POST" and form.is_valid():
        try:
            volume = services.volume_create(
                actor=request.user, committee=request.committee, data=form.service_data()
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("书目已建立。"))
            return redirect("archives:volume_detail", pk=volume.pk)
    return render(
        request,
        "archives/form.html",
        {"form": form, "heading": _("新建书目"), "cancel_url": reverse("archives:volumes")},
        status=_status(form),
    )


@login_required
def volume_edit(request, pk):
    volume = _volume_or_404(request, pk)
    _need(request, "archives.manage", volume)
    if volume.state == VolumeState.PUBLISHED:
        messages.error(request, _("已出版的书目不能再修改。"))
        return redirect("archives:volume_detail", pk=volume.pk)
    form = forms.VolumeForm(
        request.POST or None,
        initial=forms.VolumeForm.initial_for(volume),
        committee=request.committee,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.volume_update(actor=request.user, volume=volume, data=form.service_data())
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("书目已保存。"))
            return redirect("archives:volume_detail", pk=volume.pk)
    return render(
        request,
        "archives/form.html",
        {
            "form": form,
            "heading": _("修改书目:%(t)s") % {"t": volume},
            "cancel_url": reverse("archives:volume_detail", args=[volume.pk]),
        },
        status=_status(form),
    )


def _volume_context(request, volume, *, chapter_form=None, place_forms=None, action_form=None):
    user = request.user
    can_edit = user.has_perm("archives.manage", volume) and volume.state != VolumeState.PUBLISHED
    chapters = queries.volume_contents(volume)
    placeable = list(queries.placeable_materials()) if can_edit else []
    place_forms = place_forms or {}
    for chapter in chapters:
        chapter.place_form = place_forms.get(chapter.pk) or (
            forms.PlaceForm(prefix=f"c{chapter.pk}", materials=placeable) if can_edit else None
        )
    actions = VOLUME_WORKFLOW.available(volume, user)
    publishing = any(t.action == "publish" for t in actions)
    return {
        "volume": volume,
        "chapters": chapters,
        "totals": queries.volume_totals(volume),
        "editors": list(volume.editors.all()),
        "can_manage": user.has_perm("archives.manage", volume),
        "can_edit": can_edit,
        "actions": actions,
        "action_form": action_form
        or forms.VolumeActionForm(initial={"isbn": volume.isbn}, publishing=publishing),
        "chapter_form": chapter_form or (forms.ChapterForm() if can_edit else None),
        "history": _history(volume, VOLUME_WORKFLOW),
    }


@login_required
def volume_detail(request, pk):
    volume = _volume_or_404(request, pk)
    return render(request, "archives/volume_detail.html", _volume_context(request, volume))


@login_required
@require_POST
def volume_action(request, pk, action):
    volume = _volume_or_404(request, pk)
    if action not in VOLUME_WORKFLOW.actions:
        raise Http404
    form = forms.VolumeActionForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            volume = services.volume_act(
                actor=request.user,
                volume=volume,
                action=action,
                note=data.get("note", ""),
                published_on=data.get("published_on"),
                print_run=data.get("print_run"),
                isbn=data.get("isbn") if action == "publish" else None,
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        except InvalidTransition as exc:
            _flash_errors(request, exc)
            return redirect("archives:volume_detail", pk=volume.pk)
        else:
            messages.success(
                request, _("书目状态已改为“%(s)s”。") % {"s": volume.get_state_display()}
            )
            return redirect("archives:volume_detail", pk=volume.pk)
    volume = _volume_or_404(request, pk)
    return render(
        request,
        "archives/volume_detail.html",
        _volume_context(request, volume, action_form=form),
        status=400,
    )


@login_required
@require_GET
def volume_toc(request, pk):
    volume = _volume_or_404(request, pk)
    content = documents.volume_toc_document(actor=request.user, volume=volume)
    response = HttpResponse(content, content_type=documents.DOCX)
    filename = f"wenshi-{volume.pk}-mulu.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
@require_POST
def chapter_create(request, pk):
    volume = _volume_or_404(request, pk)
    _need(request, "archives.manage", volume)
    form = forms.ChapterForm(request.POST)
    if form.is_valid():
        try:
            services.chapter_add(
                actor=request.user, volume=volume, title=form.cleaned_data["title"]
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("章节已添加。"))
            return redirect("archives:volume_detail", pk=volume.pk)
    return render(
        request,
        "archives/volume_detail.html",
        _volume_context(request, volume, chapter_form=form),
        status=400,
    )


def _chapter_or_404(request, pk):
    _need(request, "archives.view_all")
    chapter = get_object_or_404(Chapter.objects.select_related("volume"), pk=pk)
    _need(request, "archives.manage", chapter.volume)
    return chapter


@login_required
@require_POST
def chapter_edit(request, pk):
    chapter = _chapter_or_404(request, pk)
    form = forms.ChapterForm(request.POST)
    if form.is_valid():
        try:
            services.chapter_update(
                actor=request.user, chapter=chapter, title=form.cleaned_data["title"]
            )
        except ValidationError as exc:
            _flash_errors(request, exc)
        else:
            messages.success(request, _("章节标题已保存。"))
    return redirect("archives:volume_detail", pk=chapter.volume_id)


@login_required
@require_POST
def chapter_delete(request, pk):
    chapter = _chapter_or_404(request, pk)
    try:
        services.chapter_delete(actor=request.user, chapter=chapter)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("章节已删除。"))
    return redirect("archives:volume_detail", pk=chapter.volume_id)


@login_required
@require_POST
def chapter_move(request, pk, action):
    chapter = _chapter_or_404(request, pk)
    if action not in ("up", "down"):
        raise Http404
    try:
        services.chapter_move(actor=request.user, chapter=chapter, direction=action)
    except ValidationError as exc:
        _flash_errors(request, exc)
    return redirect("archives:volume_detail", pk=chapter.volume_id)


@login_required
@require_POST
def chapter_place(request, pk):
    chapter = _chapter_or_404(request, pk)
    placeable = list(queries.placeable_materials())
    form = forms.PlaceForm(request.POST, prefix=f"c{chapter.pk}", materials=placeable)
    if form.is_valid():
        chosen = {int(v) for v in form.cleaned_data["materials"]}
        try:
            entries = services.chapter_place(
                actor=request.user,
                chapter=chapter,
                materials=[m for m in placeable if m.pk in chosen],
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已编入%(n)s份史料。") % {"n": len(entries)})
            return redirect("archives:volume_detail", pk=chapter.volume_id)
    volume = _volume_or_404(request, chapter.volume_id)
    return render(
        request,
        "archives/volume_detail.html",
        _volume_context(request, volume, place_forms={chapter.pk: form}),
        status=400,
    )


def _entry_or_404(request, pk):
    _need(request, "archives.view_all")
    entry = get_object_or_404(ChapterMaterial.objects.select_related("chapter__volume"), pk=pk)
    _need(request, "archives.manage", entry.chapter.volume)
    return entry


@login_required
@require_POST
def entry_remove(request, pk):
    entry = _entry_or_404(request, pk)
    try:
        services.entry_remove(actor=request.user, entry=entry)
    except ValidationError as exc:
        _flash_errors(request, exc)
    else:
        messages.success(request, _("史料已移出本书目。"))
    return redirect("archives:volume_detail", pk=entry.chapter.volume_id)


@login_required
@require_POST
def entry_move(request, pk, action):
    entry = _entry_or_404(request, pk)
    if action not in ("up", "down"):
        raise Http404
    try:
        services.entry_move(actor=request.user, entry=entry, direction=action)
    except ValidationError as exc:
        _flash_errors(request, exc)
    return redirect("archives:volume_detail", pk=entry.chapter.volume_id)


# The periodical ----------------------------------------------------------------------------


@login_required
def periodical_list(request):
    _need(request, "archives.view_all")
    can_manage = request.user.has_perm("archives.manage")
    form = forms.PeriodicalForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        _need(request, "archives.manage")
        if form.is_valid():
            try:
                periodical = services.periodical_create(
                    actor=request.user, committee=request.committee, **form.cleaned_data
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("刊物已建立。"))
                return redirect("archives:periodical_detail", pk=periodical.pk)
    periodicals = Periodical.objects.annotate(issue_count=Count("issues")).order_by("name", "pk")
    return render(
        request,
        "archives/periodical_list.html",
        {"periodicals": periodicals, "form": form, "can_manage": can_manage},
        status=_status(form),
    )


def _periodical_or_404(request, pk):
    _need(request, "archives.view_all")
    return get_object_or_404(Periodical.objects.all(), pk=pk)


@login_required
def periodical_detail(request, pk):
    periodical = _periodical_or_404(request, pk)
    issues = Paginator(queries.issue_list(periodical), 36).get_page(request.GET.get("page"))
    can_manage = request.user.has_perm("archives.manage", periodical)
    return render(
        request,
        "archives/periodical_detail.html",
        {
            "periodical": periodical,
            "page": issues,
            "can_manage": can_manage,
            "form": forms.IssueForm() if can_manage else None,
        },
    )


@login_required
def issue_create(request, pk):
    periodical = _periodical_or_404(request, pk)
    _need(request, "archives.manage", periodical)
    form = forms.IssueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("contents", None)
        try:
            issue = services.issue_create(
                actor=request.user, periodical=periodical, data=data, upload=upload
            )
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("已登记%(i)s。") % {"i": issue})
            return redirect("archives:issue_detail", pk=issue.pk)
    return render(
        request,
        "archives/form.html",
        {
            "form": form,
            "heading": _("登记%(p)s新一期") % {"p": periodical},
            "cancel_url": reverse("archives:periodical_detail", args=[periodical.pk]),
            "multipart": True,
        },
        status=_status(form),
    )


def _issue_or_404(request, pk):
    _need(request, "archives.view_all")
    return get_object_or_404(
        PeriodicalIssue.objects.select_related("periodical", "contents"), pk=pk
    )


@login_required
def issue_detail(request, pk):
    issue = _issue_or_404(request, pk)
    return render(
        request,
        "archives/issue_detail.html",
        {"issue": issue, "can_manage": request.user.has_perm("archives.manage", issue)},
    )


@login_required
def issue_edit(request, pk):
    issue = _issue_or_404(request, pk)
    _need(request, "archives.manage", issue)
    initial = {"title": issue.title, "published_on": issue.published_on, "copies": issue.copies}
    form = forms.IssueForm(
        request.POST or None, request.FILES or None, initial=initial, editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("contents", None)
        try:
            services.issue_update(actor=request.user, issue=issue, data=data, upload=upload)
        except ValidationError as exc:
            attach_errors(form, exc)
        else:
            messages.success(request, _("期次信息已保存。"))
            return redirect("archives:issue_detail", pk=issue.pk)
    return render(
        request,
        "archives/form.html",
        {
            "form": form,
            "heading": _("修改%(i)s") % {"i": issue},
            "cancel_url": reverse("archives:issue_detail", args=[issue.pk]),
            "multipart": True,
        },
        status=_status(form),
    )


# Figures -----------------------------------------------------------------------------------


@login_required
@require_GET
def stats_page(request):
    _need(request, "archives.view_stats")
    form = PeriodForm(request.GET)
    period, errors = chosen_period(form)
    context = {
        "sessions": Session.objects.select_related("term").order_by("-opens_on"),
        "terms": Term.objects.order_by("-number"),
        "errors": errors,
        "period": period,
    }
    if period is not None:
        figures = archive_figures(committee=request.committee, **period.arguments)
        context.update(
            figures=figures,
            rows=[
                {"key": k, "label": FIGURE_LABELS[k], "value": figures[k]} for k in FIGURE_LABELS
            ],
        )
    return render(request, "archives/stats.html", context, status=400 if errors else 200)


urlpatterns = [
    path("", campaign_list, name="campaigns"),
    path("campaigns/new/", campaign_create, name="campaign_create"),
    path("campaigns/<int:pk>/", campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/act/<slug:action>/", campaign_action, name="campaign_act"),
    path("materials/", material_list, name="materials"),
    path("materials/new/", material_create, name="material_create"),
    path("materials/<int:pk>/", material_detail, name="material_detail"),
    path("materials/<int:pk>/edit/", material_edit, name="material_edit"),
    path("materials/<int:pk>/act/<slug:action>/", material_action, name="material_act"),
    path("materials/<int:pk>/attach/", material_attach, name="material_attach"),
    path("mine/", my_materials, name="my_materials"),
    path("volumes/", volume_list, name="volumes"),
    path("volumes/new/", volume_create, name="volume_create"),
    path("volumes/<int:pk>/", volume_detail, name="volume_detail"),
    path("volumes/<int:pk>/edit/", volume_edit, name="volume_edit"),
    path("volumes/<int:pk>/act/<slug:action>/", volume_action, name="volume_act"),
    path("volumes/<int:pk>/toc.docx", volume_toc, name="volume_toc"),
    path("volumes/<int:pk>/chapters/new/", chapter_create, name="chapter_create"),
    path("chapters/<int:pk>/edit/", chapter_edit, name="chapter_edit"),
    path("chapters/<int:pk>/delete/", chapter_delete, name="chapter_delete"),
    path("chapters/<int:pk>/move/<slug:action>/", chapter_move, name="chapter_move"),
    path("chapters/<int:pk>/place/", chapter_place, name="chapter_place"),
    path("entries/<int:pk>/remove/", entry_remove, name="entry_remove"),
    path("entries/<int:pk>/move/<slug:action>/", entry_move, name="entry_move"),
    path("periodicals/", periodical_list, name="periodicals"),
    path("periodicals/<int:pk>/", periodical_detail, name="periodical_detail"),
    path("periodicals/<int:pk>/issues/new/", issue_create, name="issue_create"),
    path("issues/<int:pk>/", issue_detail, name="issue_detail"),
    path("issues/<int:pk>/edit/", issue_edit, name="issue_edit"),
    path("stats/", stats_page, name="stats"),
]
