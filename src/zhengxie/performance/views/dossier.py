"""The dossier pages: the member's own, one member's (staff, chairs, or the member), the staff
list of in-office members with this year's score, and the .docx export. Another member's
dossier answers 404 like a missing one."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _

from zhengxie.organisation.queries import own_seat
from zhengxie.performance import documents
from zhengxie.performance import dossier as dossiers
from zhengxie.performance.forms_dossier import DossierFilterForm


def _score_url(membership, year):
    """The score page of that year (owned by the ranking pages), if its route exists."""
    for kwargs in (
        {"membership_pk": membership.pk, "year": year},
        {"pk": membership.pk, "year": year},
    ):
        try:
            return reverse("performance:score", kwargs=kwargs)
        except NoReverseMatch:
            continue
    return ""


def _render_dossier(request, membership, *, own):
    content = dossiers.compose(membership=membership, viewer=request.user)
    for entry in content.years:
        entry.score_url = _score_url(membership, entry.year)
    context = {
        "dossier": content,
        "membership": membership,
        "own": own,
        "positions": [(p, dossiers.position_label(p)) for p in content.positions],
        "can_export": request.user.has_perm("performance.export_dossier", membership),
    }
    return render(request, "performance/dossier.html", context)


@login_required
def my_dossier(request):
    if not request.user.has_perm("performance.own_dossier"):
        raise PermissionDenied
    membership = own_seat(request.user, request.committee)
    if membership is None:
        return render(request, "performance/dossier_none.html", status=404)
    return _render_dossier(request, membership, own=True)


@login_required
def dossier_detail(request, membership_pk):
    membership = dossiers.membership_or_404(request.user, membership_pk)
    own = membership.person.user_id == request.user.pk
    return _render_dossier(request, membership, own=own)


@login_required
def dossier_docx(request, membership_pk):
    membership = dossiers.membership_or_404(
        request.user, membership_pk, permission="performance.export_dossier"
    )
    content = documents.dossier_document(actor=request.user, membership=membership)
    response = HttpResponse(content, content_type=documents.DOCX)
    name = _("委员履职档案-%(name)s.docx") % {"name": membership.person.name}
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
def dossier_list(request):
    if not request.user.has_perm("performance.view_scores"):
        raise PermissionDenied
    form = DossierFilterForm(request.GET or None, committee=request.committee)
    values = form.values()
    members = dossiers.dossier_list(
        committee=request.committee,
        year=values["year"],
        sector=values["sector"],
        group=values["group"],
        name=values["name"],
    )
    page = Paginator(members, 30).get_page(request.GET.get("page"))
    page.object_list = dossiers.with_scores(
        page.object_list, committee=request.committee, year=values["year"]
    )
    context = {"page": page, "form": form, "year": values["year"]}
    template = (
        "performance/dossier_list.html#results" if request.htmx else "performance/dossier_list.html"
    )
    return render(request, template, context)


urlpatterns = [
    path("dossier/", my_dossier, name="my_dossier"),
    path("dossiers/", dossier_list, name="dossiers"),
    path("dossiers/<int:membership_pk>/", dossier_detail, name="dossier"),
    path("dossiers/<int:membership_pk>/docx/", dossier_docx, name="dossier_docx"),
]
