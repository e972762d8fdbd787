"""Proposal figures (提案统计) for one period, as defined in /work/shared/figures.md § Proposals.

``proposal_figures`` counts with GROUP BY queries inside the active committee's scope (views and
the API call it inside the request's scope). A rate is a float from 0 to 1, or ``None`` when its
denominator is 0 (nothing to divide: shown as "—", and ``null`` in JSON).

Periods (exactly one):
- ``year``: proposals by the Asia/Shanghai date of ``submitted_at``; awards by their ``year``;
- ``session``: proposals of that session (``Proposal.session``), ``plenary_only`` keeps those
  submitted during the plenary; awards made from the session's opening day up to the day before
  the next session opens;
- ``term``: proposals of every session of the term; awards made from the term's first plenary up
  to the day before the next term's first.

"Members in office" are counted at the period's end (or today, if that is later than today): a
membership joined on or before that day that had not left by then.
"""

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengxie.core.config import get_setting
from zhengxie.core.periods import (  # noqa: F401  (Period, resolve_period, years: this app's API)
    MAX_YEAR,
    MIN_YEAR,
    Period,
    dates_between,
    moments_between,
    period_bounds,
    resolve_period,
)
from zhengxie.organisation.models import Membership, MembershipStatus, Term
from zhengxie.proposals.models import (
    ANSWERING_ROLES,
    RECEIVED_EXCLUDED_STATES,
    REGISTERED_STATES,
    SATISFIED_VALUES,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Award,
    AwardKind,
    CoSigner,
    KeyState,
    Proposal,
    ProposalState,
    Rating,
    Reply,
    SignatureState,
    SubmitterType,
)

# Roles whose reply gives a proposal its category (a co-unit's view does not).
CATEGORY_ROLES = (AssignmentRole.SINGLE, AssignmentRole.MAIN, AssignmentRole.SPLIT)
DEFAULT_CATEGORIES = ("A", "B", "C")

# Every figure, in the order pages and reports show them, with its Chinese label.
FIGURE_LABELS = {
    "proposals_received": gettext_lazy("收到提案"),
    "proposals_registered": gettext_lazy("立案"),
    "registration_rate": gettext_lazy("立案率"),
    "proposals_merged": gettext_lazy("并案"),
    "proposals_to_opinion_letters": gettext_lazy("转意见建议"),
    "proposals_to_public_opinion": gettext_lazy("转社情民意"),
    "proposals_not_registered": gettext_lazy("不予立案"),
    "key_proposals": gettext_lazy("重点提案"),
    "proposals_replied": gettext_lazy("已答复提案"),
    "reply_rate": gettext_lazy("答复率"),
    "replies_a": gettext_lazy("A类答复"),
    "replies_b": gettext_lazy("B类答复"),
    "replies_c": gettext_lazy("C类答复"),
    "proposals_adopted": gettext_lazy("采纳提案"),
    "adoption_rate": gettext_lazy("采纳率"),
    "satisfaction_attitude_rate": gettext_lazy("办理态度满意率"),
    "satisfaction_result_rate": gettext_lazy("办理结果满意率"),
    "livelihood_proposals": gettext_lazy("民生类提案"),
    "livelihood_share": gettext_lazy("民生类占比"),
    "members_submitting_rate": gettext_lazy("委员提案参与率"),
    "outstanding_proposals": gettext_lazy("优秀提案"),
    "outstanding_units": gettext_lazy("先进承办单位"),
}
RATE_KEYS = (
    "registration_rate",
    "reply_rate",
    "adoption_rate",
    "satisfaction_attitude_rate",
    "satisfaction_result_rate",
    "livelihood_share",
    "members_submitting_rate",
)


def format_rate(value) -> str:
    """0.5986 → "59.9%"; ``None`` (no denominator) → "—"."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


def _rate(numerator, denominator):
    return numerator / denominator if denominator else None


def _period(*, session, year, term):
    """(proposal filter, award filter, first day, last day) of the one period given."""
    first, last = period_bounds(session=session, year=year, term=term)
    if year is not None:
        return moments_between("submitted_at", first, last), Q(year=year), first, last
    proposals = Q(session=session) if session is not None else Q(session__term=term)
    return proposals, dates_between("awarded_on", first, last), first, last


def _final_category():
    """The reply's category as corrected by staff, else as the unit gave it."""
    return Coalesce(NullIf("corrected_category", Value("")), "category", output_field=CharField())


def _members_in_office(*, on, term):
    members = Membership.objects.filter(joined_on__lte=on).filter(
        Q(left_on__gt=on) | Q(left_on__isnull=True, status=MembershipStatus.IN_OFFICE)
    )
    if term is None:
        term = Term.objects.filter(starts_on__lte=on).order_by("-starts_on").first()
    return members.filter(term=term) if term is not None else members.none()


def _counts(qs, field, labels=None, empty=""):
    rows = qs.values(field).annotate(n=Count("pk", distinct=True)).order_by("-n", field)
    return [
        {"label": str((labels or {}).get(row[field], row[field]) or empty), "value": row["n"]}
        for row in rows
    ]


def proposal_figures(*, committee, session=None, year=None, term=None, plenary_only=False):
    """Every proposal figure of ``committee`` for exactly one period (see the module doc)."""
    proposal_q, award_q, _first, last = _period(session=session, year=year, term=term)
    today = timezone.localdate()
    period_end = min(last, today) if last else today

    proposals = Proposal.objects.filter(proposal_q).order_by()
    if plenary_only:
        proposals = proposals.filter(is_plenary=True)
    received = proposals.exclude(state__in=RECEIVED_EXCLUDED_STATES)
    registered = received.filter(state__in=REGISTERED_STATES)
    by_state = dict(received.values_list("state").annotate(n=Count("pk")).order_by())
    n_received = sum(by_state.values())
    n_registered = sum(by_state.get(s, 0) for s in REGISTERED_STATES)

    # Answering assignments of registered proposals (a returned one no longer counts).
    answering_any = Assignment.objects.filter(role__in=ANSWERING_ROLES).exclude(
        state=AssignmentState.RETURNED
    )
    answering = answering_any.filter(proposal__in=registered)
    unreplied = answering_any.filter(proposal=OuterRef("pk"), replies__isnull=True)
    replied = registered.filter(Exists(answering_any.filter(proposal=OuterRef("pk")))).exclude(
        Exists(unreplied)
    )
    n_replied = replied.count()

    # Final replies: the highest round of each answering assignment.
    later = Reply.objects.filter(assignment=OuterRef("assignment"), round__gt=OuterRef("round"))
    final_replies = (
        Reply.objects.filter(assignment__in=answering)
        .exclude(Exists(later))
        .annotate(final=_final_category())
        .order_by()
    )
    categories = list(get_setting(committee, "reply_categories"))
    adopted_codes = get_setting(committee, "adopted_reply_categories")
    counted = dict(final_replies.values_list("final").annotate(n=Count("pk")))
    replies_by_category = {code: counted.get(code, 0) for code in categories}

    # A proposal's category: the best final category among its main/single/split units.
    rank = Case(
        *[When(final=code, then=Value(i)) for i, code in enumerate(categories)],
        default=Value(len(categories)),
        output_field=IntegerField(),
    )
    adopted_ranks = [i for i, code in enumerate(categories) if code in adopted_codes]
    n_adopted = (
        final_replies.filter(assignment__role__in=CATEGORY_ROLES)
        .annotate(rank=rank)
        .values("assignment__proposal")
        .annotate(best=Min("rank"))
        .filter(best__in=adopted_ranks)
        .count()
    )

    # Final ratings: the rating of the highest rated round of each answering assignment.
    later_rating = Rating.objects.filter(
        reply__assignment=OuterRef("reply__assignment"), reply__round__gt=OuterRef("reply__round")
    )
    ratings = (
        Rating.objects.filter(reply__assignment__in=answering)
        .exclude(Exists(later_rating))
        .aggregate(
            rated=Count("pk"),
            attitude=Count("pk", filter=Q(attitude__in=SATISFIED_VALUES)),
            result=Count("pk", filter=Q(result__in=SATISFIED_VALUES)),
        )
    )

    n_livelihood = registered.filter(category__is_livelihood=True).count()

    in_office = _members_in_office(on=period_end, term=term or (session.term if session else None))
    n_in_office = in_office.count()
    signers = CoSigner.objects.filter(proposal__in=received, state=SignatureState.CONFIRMED)
    n_submitting = in_office.filter(
        Q(pk__in=received.filter(lead__isnull=False).values("lead"))
        | Q(pk__in=signers.values("membership"))
    ).count()

    awards = Award.objects.filter(award_q)
    award_counts = dict(awards.values_list("kind").annotate(n=Count("pk")).order_by())

    main_units = Assignment.objects.filter(
        proposal__in=registered, role__in=CATEGORY_ROLES
    ).exclude(state=AssignmentState.RETURNED)
    by_main_unit = [
        {"label": row["unit__name"], "value": row["n"]}
        for row in main_units.values("unit_id", "unit__name")
        .annotate(n=Count("proposal", distinct=True))
        .order_by("-n", "unit_id")
    ]

    figures = {
        "proposals_received": n_received,
        "proposals_registered": n_registered,
        "registration_rate": _rate(n_registered, n_received),
        "proposals_merged": by_state.get(ProposalState.MERGED, 0),
        "proposals_to_opinion_letters": by_state.get(ProposalState.TO_OPINION_LETTER, 0),
        "proposals_to_public_opinion": by_state.get(ProposalState.TO_PUBLIC_OPINION, 0),
        "proposals_not_registered": by_state.get(ProposalState.NOT_REGISTERED, 0),
        "key_proposals": registered.filter(key_state=KeyState.DECIDED).count(),
        "proposals_replied": n_replied,
        "reply_rate": _rate(n_replied, n_registered),
        "replies_by_category": replies_by_category,
        **{f"replies_{code.lower()}": counted.get(code, 0) for code in DEFAULT_CATEGORIES},
        "proposals_adopted": n_adopted,
        "adoption_rate": _rate(n_adopted, n_registered),
        "satisfaction_attitude_rate": _rate(ratings["attitude"], ratings["rated"]),
        "ratings_rated": ratings["rated"],
        "ratings_attitude_satisfied": ratings["attitude"],
        "ratings_result_satisfied": ratings["result"],
        "satisfaction_result_rate": _rate(ratings["result"], ratings["rated"]),
        "livelihood_proposals": n_livelihood,
        "livelihood_share": _rate(n_livelihood, n_registered),
        "members_in_office": n_in_office,
        "members_submitting": n_submitting,
        "members_submitting_rate": _rate(n_submitting, n_in_office),
        "by_category": [
            {"label": row["category__name"] or _("未分类"), "value": row["n"]}
            for row in registered.values("category_id", "category__name")
            .annotate(n=Count("pk"))
            .order_by("-n", "category__position", "category_id")
        ],
        "by_submitter_type": _counts(registered, "submitter_type", dict(SubmitterType.choices)),
        "by_main_unit": by_main_unit,
        "outstanding_proposals": award_counts.get(AwardKind.OUTSTANDING_PROPOSAL, 0),
        "outstanding_units": award_counts.get(AwardKind.OUTSTANDING_UNIT, 0),
    }
    return figures
