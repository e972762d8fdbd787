"""Reads of the organisation, always inside the active committee's scope."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Exists, OuterRef
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengxie.organisation.models import (
    HandlingUnit,
    MemberGroup,
    Membership,
    MembershipStatus,
    MembershipStatusChange,
    Person,
    Position,
    PositionEndReason,
    PositionKind,
    Sector,
    Session,
    SpecialCommittee,
    StatusChangeKind,
    Term,
)


def current_term():
    today = timezone.localdate()
    return Term.objects.filter(starts_on__lte=today).order_by("-starts_on").first()


def _counts(qs, field, empty_label):
    rows = qs.values(field).annotate(n=Count("pk")).order_by("-n", field)
    return [{"label": row[field] or empty_label, "value": row["n"]} for row in rows]


def roster_breakdown():
    """Members in office by sector, party, group and status (for the staff home page)."""
    term = current_term()
    base = Membership.objects.filter(term=term) if term else Membership.objects.none()
    in_office = base.in_office()
    standing = Position.objects.open_on(timezone.localdate()).filter(
        membership=OuterRef("pk"), kind=PositionKind.STANDING
    )
    status_labels = dict(MembershipStatus.choices)
    by_status = [
        {"label": status_labels.get(row["label"], row["label"]), "value": row["value"]}
        for row in _counts(base, "status", "—")
    ]
    return {
        "term": term,
        "in_office": in_office.count(),
        "standing": in_office.filter(Exists(standing)).count(),
        "women": in_office.filter(person__gender="female").count(),
        "by_sector": _counts(in_office, "sector__name", "—"),
        "by_party": _counts(in_office, "person__party", "无党派/群众"),
        "by_group": _counts(in_office, "group__name", "未分组"),
        "by_status": by_status,
    }


def own_seat(user, committee):
    """The user's in-office seat in ``committee`` (the latest term), or None — the member a
    member-only action (leave, sign-up, a claim, a dossier) is for."""
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.filter(
            committee=committee, person__user=user, status=MembershipStatus.IN_OFFICE
        )
        .select_related("term", "person", "sector", "group")
        .order_by("-term__starts_on", "-pk")
        .first()
    )


def my_memberships(user):
    return (
        Membership.objects.filter(person__user=user)
        .select_related("term", "sector", "group")
        .prefetch_related("positions__special_committee")
    )


def membership_directory(
    *,
    term=None,
    sector=None,
    party=None,
    group=None,
    special_committee=None,
    standing=None,
    status=None,
    ethnicity=None,
    q=None,
):
    """The member directory of the active committee, filtered; shared by the page and the API.

    ``term`` defaults to the current term; ``status`` None means every status; ``standing`` True
    or False filters on a current 常委 position; ``q`` searches the name.
    """
    term = term or current_term()
    qs = Membership.objects.filter(term=term) if term else Membership.objects.none()
    qs = qs.with_flags().select_related("person", "sector", "group", "term")
    if sector:
        qs = qs.filter(sector=sector)
    if party:
        qs = qs.filter(person__party=party)
    if ethnicity:
        qs = qs.filter(person__ethnicity=ethnicity)
    if group:
        qs = qs.filter(group=group)
    if special_committee:
        qs = qs.filter(
            Exists(
                Position.objects.open_on(timezone.localdate()).filter(
                    membership=OuterRef("pk"),
                    kind=PositionKind.SPECIAL_COMMITTEE,
                    special_committee=special_committee,
                )
            )
        )
    if standing is not None:
        qs = qs.filter(is_standing=standing)
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(person__name__contains=q.strip())
    return qs.order_by("sector__position", "person__name", "pk")


def visible_committees(committee):
    """Committees the active committee may name: itself, its ancestors and its descendants.

    Descendants are visible for aggregate figures only; their records stay out of scope.
    """
    from zhengxie.organisation.models import Committee

    ids = [committee.pk, *[c.pk for c in committee.ancestors()], *committee.descendant_ids()]
    return Committee.objects.filter(pk__in=ids).order_by("code")


def directory_choices():
    """Values offered by the directory filters: parties and ethnicities in use."""
    people = Person.objects.filter(memberships__in=Membership.objects.all())

    def distinct(field):
        values = people.exclude(**{field: ""}).order_by().values_list(field, flat=True)
        return sorted(set(values.distinct()))

    return {"parties": distinct("party"), "ethnicities": distinct("ethnicity")}


def membership_detail(pk):
    """One membership with its person, dated positions and status history (404 if not visible)."""
    return get_object_or_404(
        Membership.objects.select_related("person", "sector", "group", "term").prefetch_related(
            "positions__special_committee", "history__actor"
        ),
        pk=pk,
    )


def status_changes(year):
    """Members added, resigned, removed … and standing members added/resigned in ``year``.

    Counted from the status history (by effective date) and from 常委 positions' dates.
    """
    history = MembershipStatusChange.objects.filter(
        subject__in=Membership.objects.all(), effective_on__year=year
    )
    by_kind = dict(history.values_list("kind").annotate(n=Count("pk")).order_by())
    standing = Position.objects.filter(kind=PositionKind.STANDING)
    ended = standing.filter(ends_on__year=year)
    return {
        "year": year,
        "elected": by_kind.get(StatusChangeKind.ELECTED, 0),
        "added": by_kind.get(StatusChangeKind.ADDED, 0),
        "resigned": by_kind.get(StatusChangeKind.RESIGNED, 0),
        "removed": by_kind.get(StatusChangeKind.REMOVED, 0),
        "ended": by_kind.get(StatusChangeKind.ENDED, 0),
        "standing_added": standing.filter(starts_on__year=year).count(),
        "standing_resigned": ended.filter(end_reason=PositionEndReason.RESIGNED).count(),
        "standing_removed": ended.filter(end_reason=PositionEndReason.REMOVED).count(),
    }


def structure_overview():
    """Everything the structure hub lists, with member counts for the current term."""
    term = current_term()
    in_office = Count(
        "memberships",
        filter=models.Q(memberships__term=term, memberships__status=MembershipStatus.IN_OFFICE),
    )
    return {
        "current_term": term,
        "terms": Term.objects.all(),
        "sessions": Session.objects.select_related("term"),
        "sectors": Sector.objects.annotate(members=in_office),
        "special_committees": SpecialCommittee.objects.all(),
        "groups": MemberGroup.objects.annotate(members=in_office),
        "units": HandlingUnit.objects.all(),
    }


def handling_units(*, include_inactive=False):
    qs = HandlingUnit.objects.all()
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("kind", "name")


NAME_NUMBER = re.compile(r"^(?P<name>.+?)\s*[((](?P<number>[^()()]+)[))]$")


def seats_by_term():
    """{term id: {"name": {name: [membership…]}, "number": {member number: membership}}} for
    the active committee, for importers that name members in a cell (one query)."""
    seats = {}
    for m in Membership.objects.select_related("person"):
        term = seats.setdefault(m.term_id, {"name": {}, "number": {}})
        term["name"].setdefault(m.person.name, []).append(m)
        if m.number:
            term["number"][m.number] = m
    return seats


def member_in_cell(seats, text, *, not_member):
    """The membership a cell names as ``姓名`` or ``姓名(委员编号)``: (membership, None) or
    (None, a Chinese message saying why not; ``not_member`` words it for an unknown name)."""
    match = NAME_NUMBER.match(text)
    name, number = (match["name"].strip(), match["number"].strip()) if match else (text, "")
    if number:
        member = seats["number"].get(number)
        if member is None or member.person.name != name:
            return None, _("找不到编号为 %(number)s 的委员“%(name)s”") % {
                "number": number,
                "name": name,
            }
        return member, None
    found = seats["name"].get(name, [])
    if not found:
        return None, not_member % {"name": name}
    if len(found) > 1:
        return None, _("有多名委员叫“%(name)s”,请注明委员编号") % {"name": name}
    return found[0], None


AUDIENCES = {
    "all": gettext_lazy("全体委员"),
    "standing": gettext_lazy("常委"),
    "chairs": gettext_lazy("主席、副主席、秘书长"),
    "special_committee": gettext_lazy("专门委员会组成人员"),
    "group": gettext_lazy("委员活动小组"),
    "sector": gettext_lazy("界别"),
    "list": gettext_lazy("指定委员"),
}


def members_by_audience(
    *,
    committee,
    by: str,
    on=None,
    special_committee=None,
    group=None,
    sector=None,
    memberships=None,
):
    """The in-office members of ``committee`` chosen by role, group, sector or list (meeting
    invitees, notice recipients, study-session attendees)."""
    on = on or timezone.localdate()
    qs = Membership.objects.filter(committee=committee).in_office()
    positions = Position.objects.open_on(on)
    if by == "all":
        return qs
    if by == "standing":
        return qs.filter(pk__in=positions.filter(kind=PositionKind.STANDING).values("membership"))
    if by == "chairs":
        return qs.filter(pk__in=positions.filter(kind=PositionKind.OFFICE).values("membership"))
    if by == "special_committee":
        if special_committee is None:
            raise ValidationError({"special_committee": _("请选择专门委员会。")})
        return qs.filter(
            pk__in=positions.filter(
                kind=PositionKind.SPECIAL_COMMITTEE, special_committee=special_committee
            ).values("membership")
        )
    if by == "group":
        if group is None:
            raise ValidationError({"group": _("请选择委员活动小组。")})
        return qs.filter(group=group)
    if by == "sector":
        if sector is None:
            raise ValidationError({"sector": _("请选择界别。")})
        return qs.filter(sector=sector)
    if by == "list":
        if not memberships:
            raise ValidationError({"memberships": _("请选择至少一位委员。")})
        return qs.filter(pk__in=[m.pk for m in memberships])
    raise ValidationError({"by": _("请选择范围。")})
