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

from zhengxie.core.config import get_settings_for
from zhengxie.core.grouping import by_committee
from zhengxie.core.periods import (  # noqa: F401  (Period, resolve_period, years: this app's API)
    MAX_YEAR,
    MIN_YEAR,
    Period,
    dates_between,
    moments_between,
    period_bounds,
    resolve_period,
)
from zhengxie.core.scoping import scopes_disabled
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


def _terms_in_office(committee_ids, *, on, term):
    """{committee id: the term whose members are "in office" on ``on``}: ``term`` if given,
    else each committee's latest term begun by then."""
    if term is not None:
        return {term.committee_id: term.pk}
    terms = {}
    rows = (
        Term.objects.filter(committee_id__in=committee_ids, starts_on__lte=on)
        .order_by("committee_id", "-starts_on")
        .values_list("committee_id", "pk")
    )
    for committee_id, pk in rows:
        terms.setdefault(committee_id, pk)
    return terms


def _members_in_office(*, on, term_ids):
    return Membership.objects.filter(term_id__in=term_ids, joined_on__lte=on).filter(
        Q(left_on__gt=on) | Q(left_on__isnull=True, status=MembershipStatus.IN_OFFICE)
    )


def _counts_by_committee(qs, fields, *, order, label):
    """{committee id: [{"label", "value"}, …]} counted by ``fields`` in ``order``."""
    lists = {}
    rows = qs.values("committee_id", *fields).annotate(n=Count("pk", distinct=True))
    for row in rows.order_by("committee_id", *order):
        lists.setdefault(row["committee_id"], []).append({"label": label(row), "value": row["n"]})
    return lists


def _adopted_by_committee(final_replies, categories_of):
    """{committee id: proposals whose best final category (by its main/single/split units) is
    an adopted one}, one query per distinct category setting."""
    groups = {}
    for committee_id, (categories, adopted) in categories_of.items():
        groups.setdefault((tuple(categories), tuple(adopted)), []).append(committee_id)
    adopted_counts = {}
    for (categories, adopted), ids in groups.items():
        rank = Case(
            *[When(final=code, then=Value(i)) for i, code in enumerate(categories)],
            default=Value(len(categories)),
            output_field=IntegerField(),
        )
        adopted_ranks = [i for i, code in enumerate(categories) if code in adopted]
        rows = (
            final_replies.filter(committee_id__in=ids, assignment__role__in=CATEGORY_ROLES)
            .annotate(rank=rank)
            .values("committee_id", "assignment__proposal")
            .annotate(best=Min("rank"))
            .filter(best__in=adopted_ranks)
            .values_list("committee_id", flat=True)
        )
        for committee_id in rows:
            adopted_counts[committee_id] = adopted_counts.get(committee_id, 0) + 1
    return adopted_counts


def proposal_figures(*, committee, session=None, year=None, term=None, plenary_only=False):
    """Every proposal figure of ``committee`` for exactly one period (see the module doc)."""
    return proposal_figures_for(
        committees=[committee], session=session, year=year, term=term, plenary_only=plenary_only
    )[committee.pk]


def proposal_figures_for(
    *, committees, session=None, year=None, term=None, plenary_only=False
) -> dict:
    """``proposal_figures`` of several committees at once ({committee id: figures}), each query
    grouped by committee: what a province's aggregate needs. A session or term belongs to one
    committee, so with one of those ``committees`` holds that committee only."""
    ids = [c.pk for c in committees]
    proposal_q, award_q, _first, last = _period(session=session, year=year, term=term)
    today = timezone.localdate()
    period_end = min(last, today) if last else today

    with scopes_disabled():
        proposals = Proposal.objects.filter(proposal_q, committee_id__in=ids).order_by()
        if plenary_only:
            proposals = proposals.filter(is_plenary=True)
        received = proposals.exclude(state__in=RECEIVED_EXCLUDED_STATES)
        registered = received.filter(state__in=REGISTERED_STATES)
        by_state = {}
        rows = received.values_list("committee_id", "state").annotate(n=Count("pk")).order_by()
        for committee_id, state, n in rows:
            by_state.setdefault(committee_id, {})[state] = n

        # Answering assignments of registered proposals (a returned one no longer counts).
        answering_any = Assignment.objects.filter(role__in=ANSWERING_ROLES).exclude(
            state=AssignmentState.RETURNED
        )
        answering = answering_any.filter(proposal__in=registered)
        unreplied = answering_any.filter(proposal=OuterRef("pk"), replies__isnull=True)
        replied = registered.filter(Exists(answering_any.filter(proposal=OuterRef("pk")))).exclude(
            Exists(unreplied)
        )
        n_replied = by_committee(replied, n=Count("pk"))

        # Final replies: the highest round of each answering assignment.
        later = Reply.objects.filter(assignment=OuterRef("assignment"), round__gt=OuterRef("round"))
        final_replies = (
            Reply.objects.filter(committee_id__in=ids, assignment__in=answering)
            .exclude(Exists(later))
            .annotate(final=_final_category())
            .order_by()
        )
        counted = {}
        rows = final_replies.values_list("committee_id", "final").annotate(n=Count("pk"))
        for committee_id, final, n in rows:
            counted.setdefault(committee_id, {})[final] = n
        settings_of = get_settings_for(committees)
        categories_of = {
            pk: (list(s["reply_categories"]), list(s["adopted_reply_categories"]))
            for pk, s in settings_of.items()
        }
        n_adopted = _adopted_by_committee(final_replies, categories_of)

        # Final ratings: the rating of the highest rated round of each answering assignment.
        later_rating = Rating.objects.filter(
            reply__assignment=OuterRef("reply__assignment"),
            reply__round__gt=OuterRef("reply__round"),
        )
        ratings = by_committee(
            Rating.objects.filter(committee_id__in=ids, reply__assignment__in=answering).exclude(
                Exists(later_rating)
            ),
            rated=Count("pk"),
            attitude=Count("pk", filter=Q(attitude__in=SATISFIED_VALUES)),
            result=Count("pk", filter=Q(result__in=SATISFIED_VALUES)),
        )
        n_livelihood = by_committee(registered.filter(category__is_livelihood=True), n=Count("pk"))
        n_key = by_committee(registered.filter(key_state=KeyState.DECIDED), n=Count("pk"))

        period_term = term or (session.term if session else None)
        term_ids = _terms_in_office(ids, on=period_end, term=period_term).values()
        in_office = _members_in_office(on=period_end, term_ids=term_ids)
        n_in_office = by_committee(in_office, n=Count("pk"))
        signers = CoSigner.objects.filter(proposal__in=received, state=SignatureState.CONFIRMED)
        n_submitting = by_committee(
            in_office.filter(
                Q(pk__in=received.filter(lead__isnull=False).values("lead"))
                | Q(pk__in=signers.values("membership"))
            ),
            n=Count("pk"),
        )

        award_counts = {}
        rows = (
            Award.objects.filter(award_q, committee_id__in=ids)
            .values_list("committee_id", "kind")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for committee_id, kind, n in rows:
            award_counts.setdefault(committee_id, {})[kind] = n

        main_units = Assignment.objects.filter(
            proposal__in=registered, role__in=CATEGORY_ROLES
        ).exclude(state=AssignmentState.RETURNED)
        by_main_unit = {}
        rows = (
            main_units.values("committee_id", "unit_id", "unit__name")
            .annotate(n=Count("proposal", distinct=True))
            .order_by("committee_id", "-n", "unit_id")
        )
        for row in rows:
            by_main_unit.setdefault(row["committee_id"], []).append(
                {"label": row["unit__name"], "value": row["n"]}
            )
        by_category = _counts_by_committee(
            registered,
            ("category_id", "category__name"),
            order=("-n", "category__position", "category_id"),
            label=lambda row: row["category__name"] or _("未分类"),
        )
        submitter_labels = dict(SubmitterType.choices)
        by_submitter_type = _counts_by_committee(
            registered,
            ("submitter_type",),
            order=("-n", "submitter_type"),
            label=lambda row: str(
                submitter_labels.get(row["submitter_type"], row["submitter_type"]) or ""
            ),
        )

    results = {}
    for pk in ids:
        states = by_state.get(pk, {})
        n_received = sum(states.values())
        n_registered = sum(states.get(s, 0) for s in REGISTERED_STATES)
        replied_n = n_replied.get(pk, {}).get("n", 0)
        adopted_n = n_adopted.get(pk, 0)
        categories = categories_of[pk][0]
        final_counts = counted.get(pk, {})
        rated = ratings.get(pk, {"rated": 0, "attitude": 0, "result": 0})
        livelihood = n_livelihood.get(pk, {}).get("n", 0)
        office = n_in_office.get(pk, {}).get("n", 0)
        submitting = n_submitting.get(pk, {}).get("n", 0)
        awards = award_counts.get(pk, {})
        results[pk] = {
            "proposals_received": n_received,
            "proposals_registered": n_registered,
            "registration_rate": _rate(n_registered, n_received),
            "proposals_merged": states.get(ProposalState.MERGED, 0),
            "proposals_to_opinion_letters": states.get(ProposalState.TO_OPINION_LETTER, 0),
            "proposals_to_public_opinion": states.get(ProposalState.TO_PUBLIC_OPINION, 0),
            "proposals_not_registered": states.get(ProposalState.NOT_REGISTERED, 0),
            "key_proposals": n_key.get(pk, {}).get("n", 0),
            "proposals_replied": replied_n,
            "reply_rate": _rate(replied_n, n_registered),
            "replies_by_category": {code: final_counts.get(code, 0) for code in categories},
            **{f"replies_{code.lower()}": final_counts.get(code, 0) for code in DEFAULT_CATEGORIES},
            "proposals_adopted": adopted_n,
            "adoption_rate": _rate(adopted_n, n_registered),
            "satisfaction_attitude_rate": _rate(rated["attitude"], rated["rated"]),
            "ratings_rated": rated["rated"],
            "ratings_attitude_satisfied": rated["attitude"],
            "ratings_result_satisfied": rated["result"],
            "satisfaction_result_rate": _rate(rated["result"], rated["rated"]),
            "livelihood_proposals": livelihood,
            "livelihood_share": _rate(livelihood, n_registered),
            "members_in_office": office,
            "members_submitting": submitting,
            "members_submitting_rate": _rate(submitting, office),
            "by_category": by_category.get(pk, []),
            "by_submitter_type": by_submitter_type.get(pk, []),
            "by_main_unit": by_main_unit.get(pk, []),
            "outstanding_proposals": awards.get(AwardKind.OUTSTANDING_PROPOSAL, 0),
            "outstanding_units": awards.get(AwardKind.OUTSTANDING_UNIT, 0),
        }
    return results
