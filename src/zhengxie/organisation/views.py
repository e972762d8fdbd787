"""Organisation pages: directory, member pages, roster import/export, structure, units.

Views are thin: access (permission, scoped 404) → service → response.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengxie.core.forms import attach_errors
from zhengxie.core.views.imports import import_page
from zhengxie.organisation import exporters, importers, queries, services
from zhengxie.organisation.forms import (
    STRUCTURE_FORMS,
    DirectoryFilterForm,
    MembershipForm,
    NewMembershipForm,
    PersonForm,
    PositionEndForm,
    PositionStartForm,
    RosterUploadForm,
    StatusChangeForm,
)
from zhengxie.organisation.models import MemberGroup, Position, Sector, SpecialCommittee

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PAGE_SIZE = 30


def _check(request, permission, obj=None):
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied


def _xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


# Directory ---------------------------------------------------------------------------------


def _directory_form(request):
    return DirectoryFilterForm(request.GET or None, choices=queries.directory_choices())


@login_required
@require_GET
def directory(request):
    _check(request, "organisation.view_directory")
    form = _directory_form(request)
    term = queries.current_term()
    filters = form.filters() if request.GET else {}
    page = Paginator(queries.membership_directory(term=term, **filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "term": term,
        "can_export": request.user.has_perm("organisation.export_roster"),
        "can_manage": request.user.has_perm("organisation.manage_roster"),
    }
    template = "organisation/directory.html"
    if request.htmx and request.htmx.target == "directory-results":
        template += "#results"
    return render(request, template, context)


@login_required
@require_GET
def directory_export(request):
    _check(request, "organisation.export_roster")
    form = _directory_form(request)
    filters = form.filters() if request.GET else {}
    content = exporters.directory_export(
        actor=request.user, committee=request.committee, filters=filters
    )
    return _xlsx_response(content, f"members-{timezone.localdate():%Y%m%d}.xlsx")


# Member pages ------------------------------------------------------------------------------


def _member_context(request, membership, **bound):
    person = membership.person
    user = request.user
    clear = services.sensitive_access(actor=user, person=person, committee=request.committee)
    can_manage = user.has_perm("organisation.manage_roster")
    positions = list(membership.positions.all())
    if can_manage:
        failed = bound.get("end_form")
        for position in positions:
            if failed is not None and bound.get("end_position_id") == position.pk:
                position.end_form = failed
            elif position.ends_on is None:
                position.end_form = PositionEndForm(prefix=f"end{position.pk}")
    context = {
        "membership": membership,
        "person": person,
        "show_sensitive": clear,
        "positions": positions,
        "history": list(membership.history.all()),
        "can_manage": can_manage,
    }
    if can_manage:
        context.update(
            status_form=bound.get("status_form") or StatusChangeForm(),
            position_form=bound.get("position_form") or PositionStartForm(),
            end_position_id=bound.get("end_position_id"),
        )
    return context


@login_required
@require_GET
def member_detail(request, pk):
    membership = queries.membership_detail(pk)
    _check(request, "organisation.view_member", membership)
    return render(request, "organisation/member_detail.html", _member_context(request, membership))


@login_required
@require_POST
def member_status(request, pk):
    membership = queries.membership_detail(pk)
    _check(request, "organisation.manage_roster")
    form = StatusChangeForm(request.POST)
    if form.is_valid():
        try:
            services.membership_change_status(
                membership=membership, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已办理委员变动。"))
            return redirect("organisation:member_detail", pk=membership.pk)
    context = _member_context(request, membership, status_form=form)
    return render(request, "organisation/member_detail.html", context, status=400)


@login_required
@require_POST
def position_add(request, pk):
    membership = queries.membership_detail(pk)
    _check(request, "organisation.manage_roster")
    form = PositionStartForm(request.POST)
    if form.is_valid():
        try:
            services.position_start(membership=membership, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已添加职务。"))
            return redirect("organisation:member_detail", pk=membership.pk)
    context = _member_context(request, membership, position_form=form)
    return render(request, "organisation/member_detail.html", context, status=400)


@login_required
@require_POST
def position_end(request, pk, position_pk):
    membership = queries.membership_detail(pk)
    _check(request, "organisation.manage_roster")
    position = get_object_or_404(Position.objects.all(), pk=position_pk, membership=membership)
    form = PositionEndForm(request.POST, prefix=f"end{position.pk}")
    if form.is_valid():
        try:
            services.position_end(position=position, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已结束职务。"))
            return redirect("organisation:member_detail", pk=membership.pk)
    context = _member_context(request, membership, end_form=form, end_position_id=position.pk)
    return render(request, "organisation/member_detail.html", context, status=400)


def _seat_initial(membership):
    return {
        "sector": membership.sector_id,
        "group": membership.group_id,
        "number": membership.number,
        "work_unit": membership.work_unit,
        "job_title": membership.job_title,
        "joined_on": membership.joined_on,
    }


@login_required
def member_edit(request, pk):
    membership = queries.membership_detail(pk)
    _check(request, "organisation.manage_roster")
    person = membership.person
    if request.method == "POST":
        person_form = PersonForm(request.POST, instance=person, prefix="person")
        seat_form = MembershipForm(request.POST, with_term=False, prefix="seat")
        if person_form.is_valid() and seat_form.is_valid():
            try:
                services.person_update(
                    actor=request.user, person=person, data=person_form.cleaned_data
                )
                services.membership_update(
                    actor=request.user, membership=membership, data=seat_form.cleaned_data
                )
            except ValidationError as error:
                attach_errors(person_form, error)
            else:
                messages.success(request, _("已保存委员信息。"))
                return redirect("organisation:member_detail", pk=membership.pk)
    else:
        person_form = PersonForm(instance=person, prefix="person")
        seat_form = MembershipForm(
            initial=_seat_initial(membership), with_term=False, prefix="seat"
        )
    return render(
        request,
        "organisation/member_form.html",
        {"membership": membership, "person_form": person_form, "seat_form": seat_form},
    )


@login_required
def member_create(request):
    _check(request, "organisation.manage_roster")
    if request.method == "POST":
        person_form = PersonForm(request.POST, prefix="person")
        seat_form = NewMembershipForm(request.POST, prefix="seat")
        if person_form.is_valid() and seat_form.is_valid():
            seat = dict(seat_form.cleaned_data)
            term, kind, decided_by = seat.pop("term"), seat.pop("kind"), seat.pop("decided_by")
            try:
                membership = _create_member(
                    request, person_form.cleaned_data, seat, term, kind, decided_by
                )
            except ValidationError as error:
                attach_errors(person_form, error)
            else:
                messages.success(request, _("已新增委员。"))
                return redirect("organisation:member_detail", pk=membership.pk)
    else:
        term = queries.current_term()
        person_form = PersonForm(prefix="person")
        seat_form = NewMembershipForm(
            prefix="seat",
            initial={"term": term.pk if term else None, "joined_on": timezone.localdate()},
        )
    return render(
        request,
        "organisation/member_form.html",
        {"membership": None, "person_form": person_form, "seat_form": seat_form},
    )


def _create_member(request, person_data, seat, term, kind, decided_by):
    with transaction.atomic():
        person = services.person_create(
            actor=request.user, committee=request.committee, data=person_data
        )
        return services.membership_create(
            actor=request.user,
            committee=request.committee,
            term=term,
            person=person,
            data=seat,
            kind=kind,
            decided_by=decided_by,
        )


# Roster import -----------------------------------------------------------------------------


@login_required
def roster_import(request):
    _check(request, "organisation.manage_roster")
    if request.method == "POST":
        form = RosterUploadForm(request.POST, request.FILES)
    else:
        form = RosterUploadForm(current_term=queries.current_term())
    return import_page(
        request,
        form=form,
        template="organisation/roster_import.html",
        read=lambda upload: importers.read_roster(upload, lookups=importers.roster_lookups()),
        write=lambda *, rows, filename, data: importers.roster_import(
            actor=request.user,
            committee=request.committee,
            term=data["term"],
            rows=rows,
            filename=filename,
        ),
    )


@login_required
@require_GET
def roster_template(request):
    _check(request, "organisation.manage_roster")
    content = importers.roster_template(
        sectors=[s.name for s in Sector.objects.all()],
        groups=[g.name for g in MemberGroup.objects.all()],
        special_committees=[s.name for s in SpecialCommittee.objects.all()],
    )
    return _xlsx_response(content, "roster-template.xlsx")


# Structure ---------------------------------------------------------------------------------


@login_required
@require_GET
def structure(request):
    _check(request, "organisation.manage_structure")
    context = queries.structure_overview()
    context["status_year"] = timezone.localdate().year
    context["status_changes"] = queries.status_changes(context["status_year"])
    return render(request, "organisation/structure.html", context)


def _structure_kind(kind):
    if kind not in STRUCTURE_FORMS:
        raise Http404
    form_class, label = STRUCTURE_FORMS[kind]
    return services.STRUCTURE_MODELS[kind], form_class, label


@login_required
def structure_create(request, kind):
    _check(request, "organisation.manage_structure")
    model, form_class, label = _structure_kind(kind)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.structure_create(
                actor=request.user, committee=request.committee, model=model, data=form.cleaned_data
            )
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已新增%(label)s。") % {"label": label})
            return redirect("organisation:units" if kind == "unit" else "organisation:structure")
    return render(
        request, "organisation/structure_form.html", {"form": form, "label": label, "obj": None}
    )


@login_required
def structure_edit(request, kind, pk):
    _check(request, "organisation.manage_structure")
    model, form_class, label = _structure_kind(kind)
    obj = get_object_or_404(model.objects.all(), pk=pk)
    form = form_class(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            services.structure_update(actor=request.user, obj=obj, data=form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, _("已保存%(label)s。") % {"label": label})
            return redirect("organisation:units" if kind == "unit" else "organisation:structure")
    return render(
        request, "organisation/structure_form.html", {"form": form, "label": label, "obj": obj}
    )


@login_required
@require_GET
def units(request):
    _check(request, "organisation.view_units")
    return render(
        request,
        "organisation/units.html",
        {
            "units": queries.handling_units(include_inactive=True),
            "can_manage": request.user.has_perm("organisation.manage_structure"),
        },
    )
