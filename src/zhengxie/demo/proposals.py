"""Demo and scale data for proposals (提案).

Demo (``seed_demo_proposals``): two years of proposals for the demo county, driven through
``zhengxie.proposals.services`` so that numbers, history, audit, ledger rows and notifications
are the real ones. Each proposal is a *story*: a generator that yields the moment of its next
step; a small scheduler runs all stories in time order, so that proposals are numbered in the
order they were registered and a merged proposal finds its main one already registered.

Time travel: services read ``timezone.now()`` / ``timezone.localdate()``. While the seeder runs,
``django.utils.timezone.now`` is patched with a clock set to each step's moment (``localdate``
calls ``now`` too, and so do ``auto_now_add`` fields). Notifications are written on commit, so
the clock is also moved by ``on_commit`` callbacks registered between steps: at commit they
replay in order and each notification gets the time of the step that caused it. Email is not
sent for seeded notifications (``email_notifications`` is replaced by a no-op while seeding).

Steps later than the real "now" never run: a story stops where today's work stands. The 2026
plans that leave open work (drafts, the review queue, cases with units, replies to rate) are
listed explicitly in ``_open_plans`` with dates counted back from today.

Scale (``seed_scale_proposals``): proposals in final states written with ``bulk_create``
(proposals, co-signers, assignments, replies, ratings, history and duty-ledger rows). The
ledger is written in bulk rather than through ``core.ledger.record_duty`` because one call per
row would take minutes for ~100,000 proposals; the rows are the ones ``record_duty`` writes.
"""

import datetime
import heapq
import itertools
import random
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from zhengxie.core.config import get_setting
from zhengxie.core.models import DutyRecord, DutyRole, Notification, Role, RoleAssignment, User
from zhengxie.core.scoping import scopes_disabled
from zhengxie.demo import data
from zhengxie.demo import proposal_texts as texts
from zhengxie.organisation.models import (
    HandlingUnit,
    Membership,
    MembershipStatus,
    Session,
)
from zhengxie.proposals import services
from zhengxie.proposals.models import (
    Assignment,
    AssignmentHistory,
    AssignmentRole,
    AssignmentState,
    Award,
    AwardKind,
    CoSigner,
    Proposal,
    ProposalCategory,
    ProposalHistory,
    ProposalState,
    Rating,
    Reply,
    SignatureState,
    SubmitterType,
)

SEED = 20260125
REAL_NOW = timezone.now  # the unpatched clock
# Shares of the review outcomes (the county report figures of the domain brief).
OUTCOMES = [("register", 54), ("merge", 14), ("to_opinion_letter", 18), ("not_register", 14)]
SUBMITTERS = [
    (SubmitterType.MEMBER, 50),
    (SubmitterType.JOINT, 28),
    (SubmitterType.PARTY_GROUP, 11),
    (SubmitterType.SPECIAL_COMMITTEE, 5),
    (SubmitterType.SECTOR_GROUP, 6),
]
MODES = [("single", 70), ("split", 15), ("joint", 15)]
REPLY_CATEGORIES = [("A", 55), ("B", 35), ("C", 10)]
CHAIRS_MEETINGS = {2025: "十届政协第二十六次主席会议", 2026: "十届政协第三十八次主席会议"}
PROPOSALS_PER_YEAR = {2025: 190, 2026: 160}  # normal-flow proposals; 2026 adds the open ones


def ensure_categories(committee):
    """The committee's default proposal categories (missing ones only); returns them by name."""
    existing = {c.name: c for c in ProposalCategory.objects.filter(committee=committee)}
    new = [
        ProposalCategory(
            committee=committee, name=name, group=group, is_livelihood=livelihood, position=i
        )
        for i, (name, group, livelihood, *_rest) in enumerate(texts.CATEGORIES, start=1)
        if name not in existing
    ]
    ProposalCategory.objects.bulk_create(new)
    existing.update({c.name: c for c in new})
    return existing


# Text ------------------------------------------------------------------------------------


def _pick(rng, weighted):
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


def _category_spec(name):
    return next(c for c in texts.CATEGORIES if c[0] == name)


def compose(rng, category, topic=None):
    """(title, situation, suggestions, topic) for one proposal of ``category``."""
    _name, _group, _l, _w, topics, units, problems, suggestions = _category_spec(category)
    unit_name = units[0]
    topic = topic or rng.choice(topics)
    title = f"关于{rng.choice(texts.MEASURES)}{topic}的建议"
    fill = {
        "topic": topic,
        "town": rng.choice(data.TOWNSHIPS),
        "unit": unit_name,
        "n": len(data.TOWNSHIPS),
        "k": rng.randint(3, 9),
        "m": rng.randint(2, 9) * 50,
        "p": rng.randint(60, 92),
    }
    chosen = rng.sample(problems, rng.choice([3, 4]))
    situation = (
        rng.choice(texts.OPENINGS)
        + rng.choice(texts.BRIDGES)
        + "".join(f"{texts.ORDINALS[i]}是{p};" for i, p in enumerate(chosen)).rstrip(";")
        + "。"
        + rng.choice(texts.FIGURES)
        + rng.choice(texts.CAUSES)
        + rng.choice(texts.IMPACTS)
    ).format(**fill)
    steps = rng.sample(suggestions, min(len(suggestions), rng.choice([4, 4, 5])))
    details = rng.sample(texts.DETAILS, len(steps))
    body = "为此,建议:" + "".join(
        f"{texts.ORDINALS[i]}是{s}。{d}"
        for i, (s, d) in enumerate(zip(steps, details, strict=True))
    )
    suggestion_text = (body + rng.choice(texts.CLOSINGS)).format(**fill)
    return title, situation, suggestion_text, topic


# The clock ------------------------------------------------------------------------------


class Clock:
    """A settable stand-in for ``timezone.now``: returns the step's moment while seeding."""

    def __init__(self):
        self.moment = None

    def __call__(self):
        return self.moment or REAL_NOW()

    def set(self, moment):
        self.moment = moment


@contextmanager
def seeding_clock():
    clock = Clock()
    with (
        mock.patch("django.utils.timezone.now", clock),
        mock.patch("zhengxie.core.tasks.email_notifications", lambda ids: None),
    ):
        yield clock


class Scheduler:
    """Runs stories (generators yielding the datetime of their next step) in time order."""

    def __init__(self, clock, horizon):
        self.clock, self.horizon = clock, horizon
        self.queue, self.counter = [], itertools.count()

    def spawn(self, story):
        self._advance(story)

    def _advance(self, story):
        try:
            moment = next(story)
        except StopIteration:
            return
        if moment is not None and moment <= self.horizon:
            heapq.heappush(self.queue, (moment, next(self.counter), story))

    def run(self):
        while self.queue:
            moment, _n, story = heapq.heappop(self.queue)
            self.clock.set(moment)
            transaction.on_commit(lambda m=moment: self.clock.set(m))
            self._advance(story)


def _at(day, rng, hour=None, back=False):
    """An aware datetime on ``day`` in office hours, moved off weekends (to the Friday before
    when ``back``: open work dated from today must stay in the past)."""
    while day.weekday() >= 5:
        day += datetime.timedelta(days=-1 if back else 1)
    hour = hour if hour is not None else rng.randint(8, 16)
    naive = datetime.datetime.combine(day, datetime.time(hour, rng.randint(0, 59)))
    return timezone.make_aware(naive)


def _days(moment, days, rng, hour=None):
    return _at((timezone.localtime(moment) + datetime.timedelta(days=days)).date(), rng, hour)


# Plans ----------------------------------------------------------------------------------


@dataclass
class Plan:
    """Everything one proposal's story does, decided in advance (deterministic)."""

    year: int
    category: str
    submitter_type: str
    lead: object = None  # Membership
    body: str = ""
    cosigners: list = field(default_factory=list)
    cosign_answers: list = field(default_factory=list)  # True / False / None per co-signer
    outcome: str = "register"
    mode: str = "single"
    units: list = field(default_factory=list)
    letter_unit: object = None
    times: dict = field(default_factory=dict)  # step → datetime; a missing step ends the story
    unit_times: dict = field(default_factory=dict)  # step → days after assignment
    unit_stop: str = ""  # the assignment stops after this step (open work)
    ratings: list = field(default_factory=list)  # [(attitude, result)] per round
    reply_category: str = "A"
    return_to: object = None  # unit taking over after an approved return
    extension: bool = False
    correct_to: str = ""
    key: str = ""  # "", "leader" or "supervisor"
    topic: str = ""
    is_open: bool = False  # open work dated back from today (steps are kept in the past)
    main: object = None  # Plan merged into
    proposal: object = None  # set when created
    withdraw: bool = False
    returned_once: bool = False
    award: bool = False


class Demo:
    def __init__(self, committee, rng, today):
        self.committee, self.rng, self.today = committee, rng, today
        self.sessions = {
            s.opens_on.year: s
            for s in Session.objects.filter(committee=committee, term__number=10).order_by(
                "opens_on"
            )
        }
        self.categories = ensure_categories(committee)
        self.units = {u.name: u for u in HandlingUnit.objects.filter(committee=committee)}
        memberships = list(
            Membership.objects.filter(
                committee=committee, term__number=10, status=MembershipStatus.IN_OFFICE
            )
            .select_related("person", "sector")
            .order_by("pk")
        )
        self.member_user = User.objects.get(username="member")
        self.me = next(m for m in memberships if m.person.user_id == self.member_user.pk)
        others = [m for m in memberships if m.pk != self.me.pk and m.person.user_id is None]
        # A third of the members write most proposals (as in real committees).
        self.active = others[: len(others) // 3]
        self.others = others
        self.grounds = get_setting(committee, "not_registered_grounds")

    # Choosing people and units ----------------------------------------------------------

    def lead_for(self):
        rng = self.rng
        return rng.choice(self.active) if rng.random() < 0.7 else rng.choice(self.others)

    def cosigners_for(self, lead, count):
        pool = [m for m in self.others if m.pk != lead.pk]
        return self.rng.sample(pool, count)

    def units_for(self, category, count):
        names = [n for n in _category_spec(category)[5] if n in self.units]
        if count > len(names):
            count = len(names)
        chosen = self.rng.sample(names, count)
        if self.rng.random() < 0.15:  # a township answers for its own area
            towns = [data.township_unit(t) for t in data.TOWNSHIPS]
            chosen[-1] = self.rng.choice([t for t in towns if t in self.units])
        return [self.units[n] for n in chosen]

    # Normal flow --------------------------------------------------------------------------

    def normal_plan(self, year, outcome, plenary):
        rng = self.rng
        session = self.sessions[year]
        submitter = _pick(rng, SUBMITTERS)
        if submitter == SubmitterType.SECTOR_GROUP and not plenary:
            submitter = SubmitterType.MEMBER
        category = _pick(rng, [(c[0], c[3]) for c in texts.CATEGORIES])
        plan = Plan(
            year=year,
            category=category,
            submitter_type=submitter,
            outcome=outcome,
            topic=rng.choice(_category_spec(category)[4]),
        )
        if submitter in (SubmitterType.MEMBER, SubmitterType.JOINT):
            plan.lead = self.lead_for()
            if submitter == SubmitterType.JOINT:
                plan.cosigners = self.cosigners_for(plan.lead, rng.randint(2, 5))
                plan.cosign_answers = [
                    _pick(rng, [(True, 90), (False, 5), (None, 5)]) for _ in plan.cosigners
                ]
        else:
            plan.body = rng.choice(
                {
                    SubmitterType.PARTY_GROUP: texts.PARTY_BODIES,
                    SubmitterType.SPECIAL_COMMITTEE: texts.SPECIAL_BODIES,
                    SubmitterType.SECTOR_GROUP: texts.SECTOR_BODIES,
                }[submitter]
            )
        closes = session.proposal_deadline or session.closes_on
        if plenary:
            submit = _at(session.opens_on + datetime.timedelta(days=rng.randint(0, 3)), rng)
            create = _days(submit, -rng.randint(0, 1), rng, hour=8)
            if create.date() < session.opens_on:
                create = _at(session.opens_on, rng, hour=8)
            review = _at(closes + datetime.timedelta(days=rng.randint(7, 25)), rng)
            assign = _at(closes + datetime.timedelta(days=35), rng, hour=9)  # 交办会
        else:
            following = self.sessions.get(year + 1)
            last = (
                following.opens_on - datetime.timedelta(days=30)
                if following
                else self.today - datetime.timedelta(days=150)
            )
            first = closes + datetime.timedelta(days=7)
            span = max((last - first).days, 1)
            submit = _at(first + datetime.timedelta(days=rng.randint(0, span)), rng)
            create = _days(submit, -rng.randint(1, 6), rng)
            review = _days(submit, rng.randint(3, 12), rng)
            assign = _days(review, rng.randint(2, 6), rng)
        if create >= submit:
            create = submit - datetime.timedelta(hours=2)
        plan.times = {"create": create, "submit": submit, "review": review}
        if outcome == "register":
            plan.times["assign"] = assign
            plan.mode = _pick(rng, MODES)
            plan.units = self.units_for(category, 1 if plan.mode == "single" else 2)
            if len(plan.units) < 2:
                plan.mode = "single"
            plan.reply_category = _pick(rng, REPLY_CATEGORIES)
            plan.unit_times = self.unit_timeline()
            plan.ratings = self.ratings()
            plan.returned_once = rng.random() < 0.03
            plan.extension = rng.random() < 0.03
            plan.correct_to = (
                rng.choice([c for c in "ABC" if c != plan.reply_category])
                if rng.random() < 0.05
                else ""
            )
            if rng.random() < 0.02 and plan.mode == "single":
                other = self.units_for(category, 1)[0]
                if other != plan.units[0]:
                    plan.return_to = other
                    plan.unit_times.update({"accept": 1, "request_return": 2, "approve_return": 4})
        elif outcome == "to_opinion_letter":
            plan.letter_unit = self.units_for(category, 1)[0]
            plan.unit_times = {"accept": rng.randint(1, 5), "reply": rng.randint(20, 60)}
        return plan

    def unit_timeline(self):
        rng = self.rng
        reply = rng.randint(35, 85) if rng.random() > 0.07 else rng.randint(95, 115)
        return {
            "accept": rng.randint(1, 4),
            "contact": rng.randint(10, 30),
            "view": rng.randint(15, 30),
            "reply": reply,
            "rate": reply + rng.randint(3, 25),
            "reply2": reply + rng.randint(60, 90),
            "rate2": reply + rng.randint(95, 110),
            "close": reply + rng.randint(115, 130),
        }

    def ratings(self):
        rng = self.rng
        first = _pick(rng, [("satisfied", 68), ("basically", 24), ("unsatisfied", 8)])
        if first != "unsatisfied":
            return [(_pick(rng, [("satisfied", 85), ("basically", 15)]), first)]
        second = _pick(rng, [("satisfied", 40), ("basically", 45), ("unsatisfied", 15)])
        attitude = "satisfied" if second != "unsatisfied" else "basically"
        return [("basically", "unsatisfied"), (attitude, second)]

    def plan_year(self, year, total, already=None):
        """``total`` proposals of ``year`` in the normal flow; with the outcomes ``already``
        planned for the year (the custom cases), the year keeps the intended shares."""
        rng = self.rng
        already = already or Counter()
        counts = _apportion(total + sum(already.values()), [w for _o, w in OUTCOMES])
        outcomes = [
            o
            for (o, _w), n in zip(OUTCOMES, counts, strict=True)
            for _ in range(max(n - already[o], 0))
        ]
        rng.shuffle(outcomes)
        plans = [self.normal_plan(year, o, plenary=rng.random() < 0.78) for o in outcomes]
        # Not registered: about a fifth go to the public-opinion office instead.
        for plan in plans:
            if plan.outcome == "not_register" and rng.random() < 0.2:
                plan.outcome = "to_public_opinion"
        if year == 2025:  # one proposal withdrawn by its proposer before review
            withdrawn = next(p for p in plans if p.outcome == "to_public_opinion")
            withdrawn.withdraw, withdrawn.outcome = True, ""
        registered = sorted(
            (p for p in plans if p.outcome == "register" and not p.returned_once),
            key=lambda p: p.times["review"],
        )
        for plan in plans:
            if plan.outcome == "merge":
                self.choose_main(plan, registered)
        keys = rng.sample(registered, max(1, round(len(registered) * 0.08)))
        for i, plan in enumerate(keys):
            plan.key = "leader" if i % 2 == 0 else "supervisor"
        return plans

    def choose_main(self, plan, registered):
        """A main proposal registered within the 30 days before this one's review (still being
        handled then), or else the first registered after it was submitted."""
        review = plan.times["review"]
        recent = [
            p
            for p in registered
            if review - datetime.timedelta(days=30) < p.times["review"] < review - HOUR
        ]
        later = [p for p in registered if p.times["review"] > plan.times["submit"] + HOUR]
        if recent:
            plan.main = self.rng.choice(recent)
        elif later:
            plan.main = later[0]
            plan.times["review"] = plan.main.times["review"] + HOUR
        else:
            plan.outcome = "not_register"
            return
        plan.category, plan.topic = plan.main.category, plan.main.topic

    # The demo users' own cases and the open work of 2026 -----------------------------------

    def custom_plans(self):
        rng, today = self.rng, self.today
        plans = []

        def make(year=2026, outcome="register", lead=None, **kw):
            category = kw.pop("category", None) or _pick(
                rng, [(c[0], c[3]) for c in texts.CATEGORIES]
            )
            submitter = SubmitterType.JOINT if kw.get("cosigners") else SubmitterType.MEMBER
            plan = Plan(
                year=year,
                category=category,
                submitter_type=submitter,
                lead=lead or self.lead_for(),
                outcome=outcome,
                topic=rng.choice(_category_spec(category)[4]),
                is_open=year == 2026,
                **kw,
            )
            if plan.cosigners and not plan.cosign_answers:
                plan.cosign_answers = [True] * len(plan.cosigners)
            plans.append(plan)
            return plan

        def ago(days, hour=None):
            return _at(today - datetime.timedelta(days=days), rng, hour, back=True)

        def timeline(create, submit=None, review=None, assign=None):
            times = {"create": ago(create, 9)}
            for step, days in (("submit", submit), ("review", review), ("assign", assign)):
                if days is not None:
                    times[step] = ago(days, 10)
            return times

        education = self.units["县教育局"]
        s25, s26 = self.sessions[2025], self.sessions[2026]
        plenary25 = _at(s25.opens_on + datetime.timedelta(days=1), rng, 10)
        plenary26 = _at(s26.opens_on + datetime.timedelta(days=1), rng, 10)
        deadline26 = s26.proposal_deadline or s26.closes_on
        meeting26 = _at(deadline26 + datetime.timedelta(days=35), rng, 9)

        # The demo member: a closed 2025 case, a letter, co-signatures, open 2026 work.
        mine = {"lead": self.me}
        make(
            2025,
            category="教育",
            **mine,
            units=[education],
            unit_times=self.unit_timeline(),
            ratings=[("satisfied", "satisfied")],
            times={
                "create": plenary25 - HOUR * 20,
                "submit": plenary25,
                "review": _days(plenary25, 14, rng),
                "assign": _at(s25.closes_on + datetime.timedelta(days=35), rng, 9),
            },
            award=True,
        )
        make(
            2025,
            outcome="to_opinion_letter",
            **mine,
            letter_unit=self.units["县住房和城乡建设局"],
            unit_times={"accept": 2, "reply": 30},
            times={
                "create": plenary25 - HOUR * 2,
                "submit": plenary25,
                "review": _days(plenary25, 16, rng),
            },
        )
        lead = self.rng.choice(self.active)
        make(
            2025,
            lead=lead,
            cosigners=[self.me, *self.cosigners_for(lead, 2)],
            units=self.units_for("医疗卫生", 1),
            category="医疗卫生",
            unit_times=self.unit_timeline(),
            ratings=[("satisfied", "basically")],
            times={
                "create": plenary25 - HOUR * 24,
                "submit": plenary25,
                "review": _days(plenary25, 15, rng),
                "assign": _at(s25.closes_on + datetime.timedelta(days=35), rng, 9),
            },
        )
        # 2026: awaiting the member's rating, in progress, returned, drafts, submitted.
        make(
            category="教育",
            **mine,
            units=[education],
            unit_times={"accept": 2, "contact": 20, "reply": 50},
            unit_stop="reply",
            times=timeline(62, 60, 55, 50) | {},
        )
        make(
            **mine,
            units=self.units_for("城乡建设", 1),
            category="城乡建设",
            unit_times={"accept": 3, "contact": 10},
            unit_stop="contact",
            times=timeline(40, 38, 30, 20),
        )
        make(**mine, outcome="return", times=timeline(14, 12, 5))
        make(**mine, outcome="", times=timeline(3))
        make(**mine, outcome="", times=timeline(9), category="社会保障")
        make(**mine, outcome="review_queue", times=timeline(3, 2))
        # An invitation to co-sign waiting for the member (and one for someone else).
        lead = self.rng.choice(self.active)
        make(
            lead=lead,
            cosigners=[self.me, *self.cosigners_for(lead, 2)],
            cosign_answers=[None, True, None],
            outcome="collecting",
            times={"create": ago(1, 9)},
        )
        lead = self.rng.choice(self.active)
        make(
            lead=lead,
            cosigners=self.cosigners_for(lead, 3),
            cosign_answers=[True, None, None],
            outcome="collecting",
            times={"create": ago(2, 9)},
        )
        # The staff's review queue: submitted and under review; registered, not yet assigned.
        for days in (1, 2, 4, 6):
            make(outcome="review_queue", times=timeline(days + 1, days))
        for days in (8, 10, 12):
            make(outcome="under_review", times=timeline(days + 2, days, 3))
        make(outcome="return", times=timeline(20, 18, 8))
        for days in (2, 3, 5):
            make(outcome="register", times=timeline(days + 15, days + 12, days))
        make(outcome="", withdraw=True, times=timeline(30, 28) | {"withdraw": ago(25)})
        make(outcome="", times=timeline(5))  # another member's draft

        # 县教育局 has a case in every assignment state.
        def unit_case(stop, unit_times, times, **kw):
            kw.setdefault("category", "教育")
            return make(units=[education], unit_stop=stop, unit_times=unit_times, times=times, **kw)

        unit_case("assign", {}, timeline(20, 18, 10, 1))
        unit_case("accept", {"accept": 2}, timeline(30, 28, 20, 10))
        unit_case("request_return", {"accept": 1, "request_return": 2}, timeline(20, 18, 10, 4))
        unit_case(
            "accept",
            {"accept": 1, "request_return": 2, "approve_return": 4},
            timeline(40, 38, 30, 25),
            return_to=self.units["县人力资源和社会保障局"],
        )
        unit_case(  # overdue: assigned at the 2026 交办会, contacted, never answered
            "contact",
            {"accept": 3, "contact": 40},
            {
                "create": plenary26 - HOUR * 3,
                "submit": plenary26,
                "review": _days(plenary26, 12, rng),
                "assign": meeting26,
            },
        )
        unit_case("reply", {"accept": 2, "contact": 15, "reply": 40}, timeline(70, 68, 60, 55))
        unit_case(
            "rate",
            {"accept": 2, "contact": 15, "reply": 40, "rate": 50},
            timeline(120, 118, 110, 100),
            ratings=[("basically", "unsatisfied")],
        )
        unit_case(
            "rate2",
            {"accept": 2, "contact": 15, "reply": 60, "rate": 70, "reply2": 140, "rate2": 150},
            {
                "create": plenary26 - HOUR * 5,
                "submit": plenary26,
                "review": _days(plenary26, 10, rng),
                "assign": meeting26,
            },
            ratings=[("basically", "unsatisfied"), ("unsatisfied", "unsatisfied")],
        )
        # Co-unit and split cases of other units, some overdue, some replies unrated.
        for _ in range(3):
            make(
                units=self.units_for("乡村振兴", 1),
                category="乡村振兴",
                unit_times={"accept": 4, "contact": 30},
                unit_stop="contact",
                times={
                    "create": plenary26 - HOUR * 4,
                    "submit": plenary26,
                    "review": _days(plenary26, 11, rng),
                    "assign": meeting26,
                },
            )
        for days in (12, 20, 26):
            make(
                units=self.units_for("城乡建设", 1),
                category="城乡建设",
                unit_times={"accept": 2, "contact": 10, "reply": 30},
                unit_stop="reply",
                times=timeline(days + 40, days + 38, days + 34, days + 30),
            )
        for days in (1, 2):
            make(
                units=self.units_for("经济发展", 1),
                category="经济发展",
                unit_stop="assign",
                times=timeline(days + 15, days + 12, days + 5, days),
            )
        for plan in plans:
            if plan.units and not plan.unit_stop:
                plan.reply_category = _pick(rng, REPLY_CATEGORIES)
            if len(plan.units) > 1:
                plan.mode = "split"
        return plans


HOUR = datetime.timedelta(hours=1)


def _apportion(total, weights):
    whole = sum(weights)
    counts = [total * w // whole for w in weights]
    rest = sorted(range(len(weights)), key=lambda i: -(total * weights[i] / whole - counts[i]))
    for i in rest[: total - sum(counts)]:
        counts[i] += 1
    return counts


# Accounts -------------------------------------------------------------------------------


def _acting(user, committee, role):
    user.active_role = RoleAssignment.objects.filter(
        user=user, committee=committee, role=role
    ).first()
    return user


def ensure_accounts(*, committee, memberships, units, starts_on, created):
    """Logins for the members and units the demo uses (same demo password as the others)."""
    password = make_password("zhengxie-demo")
    members = {}
    for m in sorted(memberships, key=lambda m: m.pk):
        if m.person.user_id:
            members[m.pk] = m.person.user
            continue
        user = User.objects.create(
            username=f"wy{m.pk:04d}", display_name=m.person.name, password=password
        )
        RoleAssignment.objects.create(
            user=user, committee=committee, role=Role.MEMBER, starts_on=starts_on
        )
        m.person.user = user
        m.person.save(update_fields=["user"])
        created["user"] += 1
        members[m.pk] = user
    unit_users = {}
    for unit in sorted(units, key=lambda u: u.pk):
        role = RoleAssignment.objects.filter(
            committee=committee, role=Role.UNIT, handling_unit=unit
        ).first()
        if role is None:
            user = User.objects.create(
                username=f"dw{unit.pk:04d}", display_name=f"{unit.name}联络员", password=password
            )
            role = RoleAssignment.objects.create(
                user=user,
                committee=committee,
                role=Role.UNIT,
                handling_unit=unit,
                starts_on=starts_on,
            )
            created["user"] += 1
        user = role.user
        user.active_role = role
        unit_users[unit.pk] = user
    for user in members.values():
        _acting(user, committee, Role.MEMBER)
    return members, unit_users


# Stories --------------------------------------------------------------------------------


class Stories:
    def __init__(self, demo, scheduler, members, unit_users, staff, leader, chair_name):
        self.demo, self.scheduler = demo, scheduler
        self.members, self.unit_users = members, unit_users
        self.staff, self.leader, self.chair_name = staff, leader, chair_name
        self.rng = random.Random(SEED + 7)
        self.committee = demo.committee

    def proposal(self, plan):
        rng, staff = self.rng, self.staff
        t = plan.times
        yield t["create"]
        # A merged proposal shares its main proposal's topic (near-identical proposals).
        title, situation, suggestions, _topic = compose(rng, plan.category, topic=plan.topic)
        content = {
            "title": title,
            "category": self.demo.categories[plan.category],
            "situation": situation,
            "suggestions": suggestions,
            "publish_consent": rng.random() > 0.05,
        }
        if not content["publish_consent"]:
            content["no_publish_reason"] = "涉及部分企业经营数据,不宜公开。"
        suggested = plan.units[:1] or ([plan.letter_unit] if plan.letter_unit else [])
        if plan.lead is not None:
            actor = self.members[plan.lead.pk]
            proposal = services.proposal_create(
                actor=actor,
                committee=self.committee,
                data=content,
                cosigners=plan.cosigners,
                suggested_units=suggested,
            )
        else:
            actor = staff
            proposal = services.proposal_create(
                actor=staff,
                committee=self.committee,
                data=content,
                suggested_units=suggested,
                submitter_type=plan.submitter_type,
                submitting_body=plan.body,
            )
        plan.proposal = proposal
        if plan.cosigners and ("submit" in t or plan.outcome == "collecting"):
            proposal = services.proposal_submit(actor=actor, proposal=proposal)
            moment = t["create"]
            step = (t["submit"] - moment) / (len(plan.cosigners) + 1) if "submit" in t else HOUR
            for cosigner, answer in zip(
                proposal.cosigners.select_related("membership"), plan.cosign_answers, strict=True
            ):
                moment += step
                if answer is None:
                    continue
                yield moment
                services.cosign_answer(
                    actor=self.members[cosigner.membership_id], cosigner=cosigner, confirm=answer
                )
        if "submit" not in t:
            return
        yield t["submit"]
        proposal = services.proposal_submit(actor=actor, proposal=proposal)
        plan.proposal = proposal
        if plan.withdraw:
            yield t.get("withdraw") or t["submit"] + HOUR * 30
            services.proposal_withdraw(actor=actor, proposal=proposal, note="提案人申请撤回")
            return
        if "review" not in t or plan.outcome == "review_queue":
            return
        review = t["review"]
        yield review - HOUR * 2
        proposal = services.proposal_review(actor=staff, proposal=proposal, action="start_review")
        if plan.outcome == "under_review":
            return
        if plan.outcome == "return" or plan.returned_once:
            yield review - HOUR
            proposal = services.proposal_review(
                actor=staff,
                proposal=proposal,
                action="return",
                note="请进一步聚焦一个问题,补充具体可行的建议,并核实有关数据。",
            )
            if plan.outcome == "return":
                return
            yield review + datetime.timedelta(days=4)
            proposal = services.proposal_update(
                actor=actor,
                proposal=proposal,
                data={**content, "suggestions": content["suggestions"] + "(已按审查意见修改)"},
            )
            proposal = services.proposal_submit(actor=actor, proposal=proposal)
            review = review + datetime.timedelta(days=6)
            yield review
        else:
            yield review
        kwargs = {}
        if plan.outcome == "not_register":
            kwargs = {"ground": rng.choice(self.demo.grounds)}
        elif plan.outcome == "merge":
            main = plan.main.proposal
            kwargs = {"merge_into": main, "note": f"与“{main.title}”内容相近,并案办理。"}
        elif plan.outcome == "to_opinion_letter":
            kwargs = {"letter_unit": plan.letter_unit, "note": "转承办单位作为意见建议办理。"}
        elif plan.outcome == "to_public_opinion":
            kwargs = {"note": "转社情民意信息处理。"}
        proposal = services.proposal_review(
            actor=staff, proposal=proposal, action=plan.outcome, **kwargs
        )
        plan.proposal = proposal
        if plan.outcome == "to_opinion_letter":
            assignment = proposal.assignments.get()
            self.scheduler.spawn(self.assignment(plan, assignment, review))
            return
        if plan.outcome != "register" or "assign" not in t:
            return
        yield t["assign"]
        proposal = services.proposal_assign(
            actor=staff,
            proposal=proposal,
            mode=plan.mode,
            units=plan.units,
            main_unit=plan.units[0] if plan.mode == "joint" else None,
        )
        for assignment in proposal.assignments.all():
            self.scheduler.spawn(self.assignment(plan, assignment, t["assign"]))
        if plan.key:
            yield _days(t["assign"], 5, rng)
            proposal = services.key_propose(actor=staff, proposal=proposal)
            decided = _days(t["assign"], 12, rng)
            yield decided
            leader = plan.key == "leader"
            proposal = services.key_decide(
                actor=staff,
                proposal=proposal,
                decided_on=timezone.localtime(decided).date(),
                decided_by=CHAIRS_MEETINGS.get(plan.year, "主席会议"),
                leader="周建国" if leader else "",
                supervisor="" if leader else self.chair_name,
                leader_user=self.leader if leader else None,
            )
            for days in sorted(rng.sample(range(30, 80), 2)):
                yield _days(t["assign"], days, rng)
                form, participants = rng.choice(texts.SUPERVISION_FORMS)
                services.supervision_add(
                    actor=staff,
                    proposal=proposal,
                    held_on=timezone.localtime(self.scheduler.clock()).date(),
                    form=form,
                    participants=participants,
                    notes=rng.choice(texts.SUPERVISION_NOTES),
                )
        if plan.lead is None:  # bodies do not rate: staff close the case once answered
            moment = _days(t["assign"], 110, rng)
            for _attempt in range(6):
                yield moment
                proposal.refresh_from_db(fields=["state"])
                if proposal.state == ProposalState.REPLIED:
                    services.proposal_act(
                        actor=staff, proposal=proposal, action="close", note="答复已送达提案单位。"
                    )
                    break
                moment = _days(moment, 20, rng)

    def assignment(self, plan, assignment, assigned_at):
        rng, staff = self.rng, self.staff
        unit_user = self.unit_users[assignment.unit_id]
        times = plan.unit_times if assignment.replaces_id is None else _after_return(plan)
        stop = plan.unit_stop if assignment.replaces_id is None else ""

        def when(step):
            moment = _days(assigned_at, times[step], rng)
            if plan.is_open:  # open work: keep every planned step in the past
                moment = min(moment, self.scheduler.horizon - datetime.timedelta(minutes=30))
            return moment

        def act(actor, action, **payload):
            return services.assignment_act(
                actor=actor, assignment=assignment, action=action, **payload
            )

        if stop == "assign" or "accept" not in times:
            return
        yield when("accept")
        assignment = act(unit_user, "accept")
        topic = plan.proposal.title.removeprefix("关于").removesuffix("的建议")
        if "request_return" in times and assignment.replaces_id is None:
            yield when("request_return")
            assignment = act(unit_user, "request_return", reason=rng.choice(texts.RETURN_REASONS))
            if stop == "request_return":
                return
            yield when("approve_return")
            new_unit = plan.return_to
            act(staff, "approve_return", new_unit=new_unit, note="同意退回,改交相关单位办理。")
            moved = Assignment.objects.get(replaces=assignment)
            self.scheduler.spawn(self.assignment(plan, moved, self.scheduler.clock()))
            return
        if stop == "accept":
            return
        if assignment.role == AssignmentRole.LETTER:
            yield when("reply")
            act(unit_user, "reply", text=rng.choice(texts.REPLIES["letter"]).format(topic=topic))
            return
        if assignment.role == AssignmentRole.CO:
            yield when("view")
            act(unit_user, "send_view", text=rng.choice(texts.REPLIES["view"]).format(topic=topic))
            return
        if "contact" not in times:
            return
        yield when("contact")
        contact_day = timezone.localtime(self.scheduler.clock()).date()
        assignment = act(
            unit_user,
            "contact",
            way=rng.choice(["meeting", "phone", "phone", "forum", "email"]),
            contact_on=contact_day,
            summary=rng.choice(texts.CONTACT_SUMMARIES),
        )
        if stop == "contact" or "reply" not in times:
            return
        if plan.extension:
            yield _days(self.scheduler.clock(), 1, rng)
            extension = services.extension_request(
                actor=unit_user,
                assignment=assignment,
                until=assignment.deadline + datetime.timedelta(days=45),
                reason="该事项涉及多个部门协调和资金安排,需要进一步调研论证。",
            )
            yield _days(self.scheduler.clock(), 2, rng)
            services.extension_decide(actor=staff, extension=extension, approve=True, note="同意")
        yield when("reply")
        category = plan.reply_category
        assignment = act(
            unit_user,
            "reply",
            text=rng.choice(texts.REPLIES[category]).format(topic=topic),
            category=category,
        )
        if plan.correct_to:
            yield when("reply") + datetime.timedelta(days=2)
            services.reply_correct_category(
                actor=staff,
                reply=assignment.replies.get(round=1),
                category=plan.correct_to,
                note="根据答复内容核定类别。",
            )
        if stop == "reply" or plan.lead is None or not assignment.answers_proposer:
            return
        lead_user = self.members[plan.lead.pk]
        for round_no, (attitude, result) in enumerate(plan.ratings, start=1):
            step = "rate" if round_no == 1 else "rate2"
            if round_no == 2:
                yield when("reply2") - datetime.timedelta(days=10)
                assignment = act(
                    unit_user,
                    "contact",
                    way="meeting",
                    contact_on=timezone.localtime(self.scheduler.clock()).date(),
                    summary="重新办理前再次与提案人面谈,听取意见。",
                )
                yield when("reply2")
                assignment = act(
                    unit_user,
                    "reply",
                    text="经重新研究办理," + rng.choice(texts.REPLIES["B"]).format(topic=topic),
                    category="B",
                )
            yield when(step)
            unhappy = result == "unsatisfied"
            assignment = services.assignment_act(
                actor=lead_user,
                assignment=assignment,
                action="rate",
                attitude=attitude,
                result=result,
                on_point=not unhappy,
                comment=rng.choice(
                    texts.RATING_COMMENTS["unsatisfied" if unhappy else "satisfied"]
                ),
            )
            if stop == step:
                return
        if assignment.state == AssignmentState.RATED:  # twice unsatisfied: 面商 and close
            yield when("close")
            act(staff, "close", note="已组织面对面协商,承办单位作出书面说明,提案人表示理解。")


def _after_return(plan):
    """The timeline of the unit that takes over a returned case (days after re-assignment)."""
    if plan.unit_stop:
        return {"accept": 1}
    return {"accept": 2, "contact": 15, "reply": 45, "rate": 55, "reply2": 120, "rate2": 130}


def _awards(*, committee, plans, staff, year, on):
    candidates = [
        p for p in plans if p.year == year and p.proposal is not None and p.outcome == "register"
    ]
    for p in candidates:
        p.proposal.refresh_from_db(fields=["state"])
    done = [p for p in candidates if p.proposal.state == ProposalState.CLOSED]
    chosen = [p for p in done if p.award] + [p for p in done if not p.award][:5]
    for plan in chosen:
        services.award_add(
            actor=staff,
            committee=committee,
            kind=AwardKind.OUTSTANDING_PROPOSAL,
            year=year,
            awarded_on=on,
            proposal=plan.proposal,
            note="经主席会议审议通过",
        )
    units = Counter(
        Assignment.objects.filter(
            committee=committee, proposal__session__opens_on__year=year, state=AssignmentState.DONE
        ).values_list("unit_id", flat=True)
    )
    for unit_id, _n in units.most_common(4):
        services.award_add(
            actor=staff,
            committee=committee,
            kind=AwardKind.OUTSTANDING_UNIT,
            year=year,
            awarded_on=on,
            unit=HandlingUnit.objects.get(pk=unit_id),
            note="提案办理工作先进单位",
        )


def seed_demo_proposals(*, county, created):
    """Two years of proposals for the demo county; does nothing if it already has any."""
    with scopes_disabled():
        if Proposal.objects.filter(committee=county).exists():
            return created
    today = timezone.localdate()
    with scopes_disabled(), seeding_clock() as clock, transaction.atomic():
        rng = random.Random(SEED)
        demo = Demo(county, rng, today)
        plans = demo.custom_plans()
        for year, total in PROPOSALS_PER_YEAR.items():
            reviewed = Counter(
                p.outcome
                for p in plans
                if p.year == year and p.outcome in dict(OUTCOMES) and "review" in p.times
            )
            plans += demo.plan_year(year, total, reviewed)
        used = {p.lead.pk: p.lead for p in plans if p.lead is not None}
        used.update({m.pk: m for p in plans for m in p.cosigners})
        units = {u.pk: u for p in plans for u in p.units}
        units.update({p.letter_unit.pk: p.letter_unit for p in plans if p.letter_unit})
        units.update({p.return_to.pk: p.return_to for p in plans if p.return_to})
        first_term = Session.objects.filter(committee=county, term__number=10).order_by("opens_on")[
            0
        ]
        members, unit_users = ensure_accounts(
            committee=county,
            memberships=used.values(),
            units=units.values(),
            starts_on=first_term.term.starts_on,
            created=created,
        )
        staff = _acting(User.objects.get(username="staff"), county, Role.STAFF)
        leader = User.objects.get(username="leader")
        chair = User.objects.get(username="chair")
        scheduler = Scheduler(clock, horizon=REAL_NOW() - datetime.timedelta(minutes=5))
        stories = Stories(demo, scheduler, members, unit_users, staff, leader, chair.display_name)
        for plan in sorted(plans, key=lambda p: p.times["create"]):
            scheduler.spawn(stories.proposal(plan))
        award_day = _at(demo.sessions[2026].opens_on, rng, 15)
        scheduler.spawn(_award_story(county, plans, staff, award_day))
        scheduler.run()
        created["proposal"] += Proposal.objects.filter(committee=county).count()
        created["assignment"] += Assignment.objects.filter(committee=county).count()
    with scopes_disabled():  # what happened weeks ago has been read
        Notification.objects.filter(
            committee=county,
            kind="proposal",
            read_at__isnull=True,
            created__lt=REAL_NOW() - datetime.timedelta(days=14),
        ).update(read_at=REAL_NOW())
    return created


def _award_story(committee, plans, staff, moment):
    yield moment
    _awards(
        committee=committee,
        plans=plans,
        staff=staff,
        year=2025,
        on=timezone.localtime(moment).date(),
    )


# Scale ----------------------------------------------------------------------------------

SCALE_PER_YEAR = {"county": 200, "city": 120, "province": 150}


def seed_scale_proposals(*, committees, seed, created):
    """Proposals in final states for every scale committee and seeded year, in bulk."""
    for i, committee in enumerate(committees):
        rng = random.Random(seed * 7919 + i)
        _scale_committee(committee, rng, created)
    return created


def _scale_committee(committee, rng, created):
    level = committee.level
    categories = ensure_categories(committee)
    units_by_name = {u.name: u for u in HandlingUnit.objects.filter(committee=committee)}
    units_for = {
        c[0]: [
            units_by_name[n] for n in (data.for_level(u, level) for u in c[5]) if n in units_by_name
        ]
        or list(units_by_name.values())[:5]
        for c in texts.CATEGORIES
    }
    sessions = list(Session.objects.filter(committee=committee).order_by("opens_on"))
    members = list(
        Membership.objects.filter(committee=committee).values_list("pk", "term_id", "joined_on")
    )
    by_term = {}
    for pk, term_id, _joined in members:
        by_term.setdefault(term_id, []).append(pk)
    today = timezone.localdate()
    per_year = SCALE_PER_YEAR.get(level, 150)
    weights = [c[3] for c in texts.CATEGORIES]
    names = [c[0] for c in texts.CATEGORIES]
    proposals, plans = [], []
    for session in sessions:
        pool = by_term.get(session.term_id) or [pk for pk, _t, _j in members]
        closes = session.proposal_deadline or session.closes_on
        number = 0
        counts = _apportion(per_year, [w for _o, w in OUTCOMES])
        outcomes = [o for (o, _w), n in zip(OUTCOMES, counts, strict=True) for _ in range(n)]
        rng.shuffle(outcomes)
        for outcome in outcomes:
            plenary = rng.random() < 0.78
            submitter = _pick(rng, SUBMITTERS)
            if submitter == SubmitterType.SECTOR_GROUP and not plenary:
                submitter = SubmitterType.MEMBER
            day = (
                session.opens_on + datetime.timedelta(days=rng.randint(0, 3))
                if plenary
                else closes + datetime.timedelta(days=rng.randint(7, 300))
            )
            # The current year's cases are all closed: nothing is submitted in its last months.
            day = min(day, max(today - datetime.timedelta(days=130), session.opens_on))
            category = rng.choices(names, weights)[0]
            topic = rng.choice(_category_spec(category)[4])
            lead = (
                rng.choice(pool)
                if submitter in (SubmitterType.MEMBER, SubmitterType.JOINT)
                else None
            )
            reviewed = _past(day + datetime.timedelta(days=rng.randint(5, 25)), today)
            state = {
                "register": ProposalState.CLOSED,
                "merge": ProposalState.MERGED,
                "to_opinion_letter": ProposalState.TO_OPINION_LETTER,
                "not_register": ProposalState.NOT_REGISTERED,
            }[outcome]
            if outcome == "register":
                number += 1
            proposals.append(
                Proposal(
                    committee=committee,
                    session=session,
                    is_plenary=plenary,
                    submitter_type=submitter,
                    lead_id=lead,
                    submitting_body="" if lead else rng.choice(texts.PARTY_BODIES),
                    title=f"关于{rng.choice(texts.MEASURES)}{topic}的建议",
                    category=categories[category],
                    situation=f"近年来,{topic}工作取得积极进展,但仍存在短板和不足。",
                    suggestions=f"建议有关部门统筹推进{topic},完善长效机制,加强督促落实。",
                    state=state,
                    submitted_at=_at(day, rng, back=True),
                    number=number if outcome == "register" else None,
                    registered_on=reviewed if outcome == "register" else None,
                    not_registered_ground="内容空泛、没有具体建议的"
                    if outcome == "not_register"
                    else "",
                )
            )
            cosigners = (
                rng.sample([m for m in pool if m != lead], min(rng.randint(2, 4), len(pool) - 1))
                if submitter == SubmitterType.JOINT and lead
                else []
            )
            plans.append((outcome, reviewed, category, topic, cosigners))
    Proposal.objects.bulk_create(proposals, batch_size=2000)
    created["proposal"] += len(proposals)
    _scale_rows(committee, rng, proposals, plans, units_for, created)


def _scale_rows(committee, rng, proposals, plans, units_for, created):
    today = timezone.localdate()
    cosigners, assignments, a_plans, history, ledger = [], [], [], [], []
    proposal_type = ContentType.objects.get_for_model(Proposal)
    for proposal, (outcome, reviewed, category, topic, co) in zip(proposals, plans, strict=True):
        submitted = proposal.submitted_at
        review_at = _at(reviewed, rng, back=True)
        history.append(
            _history(ProposalHistory, proposal, "draft", "submit", "submitted", submitted)
        )
        history.append(
            _history(ProposalHistory, proposal, "submitted", outcome, proposal.state, review_at)
        )
        for order, membership_id in enumerate(co, start=2):
            cosigners.append(
                CoSigner(
                    committee=committee,
                    proposal=proposal,
                    membership_id=membership_id,
                    order=order,
                    state=SignatureState.CONFIRMED,
                    answered_at=submitted - HOUR,
                )
            )
        if proposal.lead_id:
            total = 1 + len(co)
            sub = {"register": "registered", "merge": "merged"}.get(outcome, outcome)
            if outcome == "not_register":
                sub = ""
            for kind_sub, day in (("submitted", submitted.date()), (sub, reviewed)):
                if not kind_sub:
                    continue
                for order, membership_id in enumerate([proposal.lead_id, *co], start=1):
                    ledger.append(
                        DutyRecord(
                            committee=committee,
                            membership_id=membership_id,
                            kind="proposal",
                            sub_kind="co_signed"
                            if kind_sub == "submitted" and order > 1
                            else kind_sub,
                            occurred_on=day,
                            role=DutyRole.LEAD if order == 1 else DutyRole.CO_SIGNER,
                            order=order,
                            participants=total,
                            source_type=proposal_type,
                            source_id=proposal.pk,
                            title=proposal.title,
                        )
                    )
        if outcome not in ("register", "to_opinion_letter"):
            continue
        assigned = _past(reviewed + datetime.timedelta(days=rng.randint(2, 10)), today)
        if outcome == "to_opinion_letter":
            units, role = rng.sample(units_for[category], 1), AssignmentRole.LETTER
        else:
            mode = _pick(rng, MODES)
            units = rng.sample(units_for[category], 1 if mode == "single" else 2)
            role = AssignmentRole.SINGLE if len(units) == 1 else AssignmentRole.SPLIT
            history.append(
                _history(
                    ProposalHistory,
                    proposal,
                    "registered",
                    "assign",
                    "assigned",
                    _at(assigned, rng, back=True),
                )
            )
        replied = _past(assigned + datetime.timedelta(days=rng.randint(30, 85)), today)
        for unit in units:
            assignments.append(
                Assignment(
                    committee=committee,
                    proposal=proposal,
                    unit=unit,
                    role=role,
                    state=AssignmentState.DONE,
                    assigned_on=assigned,
                    deadline=services.add_months(assigned, 3),
                    accepted_on=_past(assigned + datetime.timedelta(days=2), today),
                    contact_way="phone" if role != AssignmentRole.LETTER else "",
                    contact_on=_past(assigned + datetime.timedelta(days=12), today)
                    if role != AssignmentRole.LETTER
                    else None,
                )
            )
            a_plans.append((assigned, replied, topic, proposal.lead_id is not None))
        if outcome == "register":
            history.append(
                _history(
                    ProposalHistory,
                    proposal,
                    "replied",
                    "finish",
                    "closed",
                    _at(_past(replied + datetime.timedelta(days=10), today), rng, back=True),
                )
            )
    CoSigner.objects.bulk_create(cosigners, batch_size=2000)
    Assignment.objects.bulk_create(assignments, batch_size=2000)
    replies, a_history, ratings = [], [], []
    for assignment, (assigned, replied, topic, rated) in zip(assignments, a_plans, strict=True):
        letter = assignment.role == AssignmentRole.LETTER
        category = "" if letter else _pick(rng, REPLY_CATEGORIES)
        replies.append(
            Reply(
                committee=committee,
                assignment=assignment,
                round=1,
                text=f"关于{topic}的提案收悉,经研究,现答复如下:我单位已认真研究并推进落实。",
                category=category,
                replied_on=replied,
            )
        )
        steps = [("", "assign", "pending", assigned), ("pending", "accept", "accepted", assigned)]
        if not letter:
            steps.append(
                ("accepted", "contact", "contacted", assigned + datetime.timedelta(days=12))
            )
        steps.append((steps[-1][2], "reply", "replied", replied))
        steps.append(("replied", "rate" if rated and not letter else "finish", "done", replied))
        for from_state, action, to_state, day in steps:
            a_history.append(
                _history(
                    AssignmentHistory,
                    assignment,
                    from_state,
                    action,
                    to_state,
                    _at(_past(day, today), rng, back=True),
                )
            )
    Reply.objects.bulk_create(replies, batch_size=2000)
    for reply, (_a, replied, _t, rated) in zip(replies, a_plans, strict=True):
        if rated and reply.category:
            result = _pick(rng, [("satisfied", 75), ("basically", 22), ("unsatisfied", 3)])
            ratings.append(
                Rating(
                    committee=committee,
                    reply=reply,
                    attitude="satisfied",
                    result=result,
                    rated_on=_past(replied + datetime.timedelta(days=rng.randint(3, 20)), today),
                )
            )
    Rating.objects.bulk_create(ratings, batch_size=2000)
    with _stamped(ProposalHistory, AssignmentHistory):
        ProposalHistory.objects.bulk_create(history, batch_size=2000)
        AssignmentHistory.objects.bulk_create(a_history, batch_size=2000)
    DutyRecord.objects.bulk_create(ledger, batch_size=2000)
    created["assignment"] += len(assignments)
    created["reply"] += len(replies)
    created["duty_record"] += len(ledger)


@contextmanager
def _stamped(*models):
    """Let ``bulk_create`` keep the ``created`` times set on history rows (``auto_now_add``
    would stamp them all with the moment of seeding)."""
    fields = [model._meta.get_field("created") for model in models]
    for f in fields:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f in fields:
            f.auto_now_add = True


def _past(day, today):
    """Scale data is all history: no date after yesterday."""
    return min(day, today - datetime.timedelta(days=1))


def _history(model, subject, from_state, action, to_state, moment):
    row = model(
        subject=subject,
        committee_id=subject.committee_id,
        from_state=from_state,
        action=action,
        to_state=to_state,
    )
    row.created = moment
    return row


def reset_scale_proposals(committee_ids):
    """Delete the proposal rows of the scale committees (before their members and units)."""
    Award._base_manager.filter(committee_id__in=committee_ids).delete()
    DutyRecord._base_manager.filter(committee_id__in=committee_ids, kind="proposal").delete()
    proposals = Proposal._base_manager.filter(committee_id__in=committee_ids)
    proposals.filter(merged_into__isnull=False).delete()
    proposals.delete()
    ProposalCategory._base_manager.filter(committee_id__in=committee_ids).delete()
