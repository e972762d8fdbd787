"""Demo and scale data for public-opinion reports (社情民意信息).

Demo (``seed_demo_opinions``): about 80 reports of the demo county from late last year to
today, driven through ``zhengxie.opinions.services`` with the proposals seeder's patched clock
and scheduler (``demo.proposals.seeding_clock`` / ``Scheduler``), so history, audit, ledger
rows, adoptions flowing back and notifications are the real ones. Every report's steps are
planned in advance (``Plan.times``); bulletin issues are planned from the sign-off times, and a
few reports are twins on one topic that a bulletin combines into one item. Steps later than
the real "now" never run; a handful of plans dated back from today leave open work in every
state (the demo ``member`` has a draft, a returned and a submitted report, among others).

Scale (``seed_scale_opinions``): reports in final states, sent bulletins with their items,
adoptions by the parent committee and the duty-ledger rows, written with ``bulk_create``
(one ``record_duty`` call per row would be far too slow for a province).
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from zhengxie.core.config import get_setting
from zhengxie.core.fields import digest
from zhengxie.core.models import DutyRecord, DutyRole, Notification, Role, RoleAssignment, User
from zhengxie.core.models.ledger import Level
from zhengxie.core.scoping import scopes_disabled
from zhengxie.demo import data
from zhengxie.demo.county import DEMO_PASSWORD
from zhengxie.demo.opinion_texts import (
    CLOSINGS,
    HANDLING_ANSWERS,
    IMPACTS,
    NOT_USED_REASONS,
    OPENINGS,
    ORDINALS,
    RETURN_NOTES,
    SUGGESTION_LEADS,
    TOPICS,
)
from zhengxie.demo.people import PersonMaker
from zhengxie.demo.proposals import (
    REAL_NOW,
    Scheduler,
    _acting,
    _at,
    _history,
    _past,
    _stamped,
    ensure_accounts,
    seeding_clock,
)
from zhengxie.opinions import services
from zhengxie.opinions.models import (
    Adoption,
    AdoptionKind,
    Bulletin,
    BulletinItem,
    BulletinState,
    CoSubmitter,
    Forwarding,
    ItemHandling,
    ItemKind,
    OpinionReport,
    ReportHistory,
    ReportState,
    SourceKind,
)
from zhengxie.organisation.models import (
    Affiliation,
    AffiliationKind,
    HandlingUnit,
    Membership,
    MembershipStatus,
    Person,
    Session,
)

SEED = 20260126
REPORTS = 72  # normal-flow reports; the open plans add about ten
SPAN_DAYS = 390  # from late last year to today
DAY = datetime.timedelta(days=1)
COUNTY_RECIPIENTS = "县委、县人大常委会、县政府、县政协领导,县级有关部门"
CITY_RECIPIENTS = "市委、市人大常委会、市政府、市政协领导,市级有关部门"
SOURCES = [
    (SourceKind.MEMBER, 52),
    (SourceKind.JOINT, 16),
    (SourceKind.INFO_OFFICER, 10),
    (SourceKind.STAFF, 10),
    (SourceKind.GROUP, 6),
    (SourceKind.PARTY_GROUP, 4),
    (SourceKind.SPECIAL_COMMITTEE, 2),
]
PARTY_BODIES = ("民革示范县基层委员会", "民盟示范县总支", "九三学社示范县支社", "县工商联")
SPECIAL_BODIES = ("社会法制委员会", "教科卫体委员会", "农业农村委员会")
INFO_OFFICERS = (("王丽萍", "城关镇社区工作者"), ("陈志强", "青石镇村委会委员"))
PROVINCE = "省政协"
# (username, display name) of the demo's opinion logins, and how the command lists them.
OPINION_STAFF = ("opinion", "何静怡")
CITY_STAFF = ("cityopinion", "沈佳慧")
CITY_CHAIR = ("citychair", "郑文涛")
LOGINS = [
    (OPINION_STAFF[0], Role.STAFF.label, OPINION_STAFF[1]),
    (CITY_STAFF[0], Role.STAFF.label, CITY_STAFF[1]),
    (CITY_CHAIR[0], Role.CHAIR.label, CITY_CHAIR[1]),
    ("xxy01", AffiliationKind.INFO_OFFICER.label, INFO_OFFICERS[0][0]),
]


def _pick(rng, weighted):
    return rng.choices([v for v, _w in weighted], [w for _v, w in weighted])[0]


def compose(rng, topic, title=None):
    """The four content fields of one report on ``topic`` (300–700 characters of text)."""
    fill = {
        "town": rng.choice(data.TOWNSHIPS),
        "n": rng.randint(12, 60),
        "k": rng.randint(2, 9),
        "p": rng.randint(18, 75),
    }
    situation = (
        rng.choice(OPENINGS)
        + ";".join(rng.sample(topic.situations, 4))
        + "。"
        + rng.choice(IMPACTS)
    ).format(**fill)
    analysis = "。".join(rng.sample(topic.analyses, 3)).format(**fill) + "。"
    steps = rng.sample(topic.suggestions, 4)
    suggestion = (
        rng.choice(SUGGESTION_LEADS)
        + ";".join(f"{ORDINALS[i]}是{s}" for i, s in enumerate(steps))
        + "。"
        + rng.choice(CLOSINGS)
    ).format(**fill)
    return {
        "title": title or rng.choice(topic.titles),
        "situation": situation,
        "analysis": analysis,
        "suggestion": suggestion,
    }


def text_length(content):
    return sum(len(content[f]) for f in ("situation", "analysis", "suggestion"))


# Plans ------------------------------------------------------------------------------------


@dataclass
class Plan:
    """Everything one report's story does, decided in advance (deterministic)."""

    source: str
    topic: object
    author: object = None  # the user who writes (and, for members, submits) the report
    cosubmitters: list = field(default_factory=list)  # Memberships
    body: str = ""
    note: str = ""
    times: dict = field(default_factory=dict)  # step → datetime; a missing step ends the story
    outcome: str = "use"  # use / not_use
    returned: bool = False
    edited: bool = False
    forward: str = ""  # "", "city" or "province"
    city_outcome: str = ""  # use / publish / not_use (the city's decision on its copy)
    transfer: bool | str = False  # True, or "open": transferred, not answered yet
    instruction: str = ""  # "", "county" or "city"
    twin: object = None  # the other Plan of a combined item
    report: object = None
    copy: object = None  # the city's received copy
    is_open: bool = False  # open work dated back from today: no bulletin takes it


class Planner:
    def __init__(self, rng, today, authors):
        self.rng, self.today, self.authors = rng, today, authors
        self.start = today - datetime.timedelta(days=SPAN_DAYS)

    def moment(self, day, hour=None):
        return _at(day, self.rng, hour)

    def after(self, moment, low, high, hour=None):
        day = timezone.localtime(moment).date() + datetime.timedelta(
            days=self.rng.randint(low, high)
        )
        return _at(day, self.rng, hour)

    def normal(self, count):
        """Reports whose stories run to their end (or to today)."""
        rng = self.rng
        plans = []
        last = (self.today - self.start).days - 45
        for i in range(count):
            # Every kind of submitter once, then by their shares.
            source = SOURCES[i][0] if i < len(SOURCES) else _pick(rng, SOURCES)
            plan = self.new_plan(source, rng.choice(TOPICS))
            created = self.moment(self.start + datetime.timedelta(days=rng.randint(0, last)))
            self.through(plan, created)
            if i % 9 == 4:
                plan.outcome = "not_use"
            if i % 17 == 6:
                plan.returned = True
            if i % 5 == 2:
                plan.edited = True
            plans.append(plan)
        used = [p for p in plans if p.outcome == "use" and p.source != SourceKind.STAFF]
        for i, plan in enumerate(used[:18]):
            plan.forward = "province" if i % 6 == 5 else "city"
            if plan.forward == "city":
                plan.city_outcome = ("use", "publish", "publish", "not_use")[i % 4]
        for plan in used[3:40:4]:
            plan.transfer = True
        used[3:40:4][-1].transfer = "open"  # still with the units: their answer is due
        for i, plan in enumerate(used[2:30:7]):
            plan.instruction = "city" if i % 2 else "county"
        self.twins(plans)
        return plans

    def new_plan(self, source, topic):
        rng, authors = self.rng, self.authors
        plan = Plan(source=source, topic=topic)
        if source in (SourceKind.MEMBER, SourceKind.JOINT):
            lead = rng.choice(authors["members"])
            plan.author = authors["member_users"][lead.pk]
            if source == SourceKind.JOINT:
                others = [m for m in authors["members"] if m.pk != lead.pk]
                plan.cosubmitters = rng.sample(others, rng.choice([1, 2, 2, 3]))
        elif source == SourceKind.INFO_OFFICER:
            plan.author = rng.choice(authors["officers"])
        else:
            plan.author = authors["staff"]
            if source == SourceKind.STAFF:
                town = rng.choice(data.TOWNSHIPS)
                plan.note = f"{town}委员会客室接待群众反映"
            elif source == SourceKind.GROUP:
                plan.body = rng.choice(authors["groups"])
            elif source == SourceKind.PARTY_GROUP:
                plan.body = rng.choice(PARTY_BODIES)
            else:
                plan.body = rng.choice(SPECIAL_BODIES)
        return plan

    def through(self, plan, created):
        """Times of the whole editorial way, from ``created`` to the sign-off."""
        t = plan.times
        t["create"] = created
        t["submit"] = self.after(created, 0, 2)
        t["start_review"] = self.after(t["submit"], 1, 3)
        t["return"] = self.after(t["start_review"], 1, 2)
        t["resubmit"] = self.after(t["return"], 2, 5)
        t["restart_review"] = self.after(t["resubmit"], 1, 2)
        t["edit"] = t["restart_review"] + datetime.timedelta(hours=2)
        t["decide"] = self.after(t["restart_review"], 1, 3)
        t["approve"] = self.after(t["decide"], 1, 3)
        t["sign_off"] = self.after(t["approve"], 1, 3)
        t["forward"] = self.after(t["sign_off"], 1, 4)
        t["city_review"] = self.after(t["forward"], 2, 6)
        t["city_decide"] = self.after(t["city_review"], 1, 4)
        t["city_approve"] = self.after(t["city_decide"], 1, 2)
        t["city_sign_off"] = self.after(t["city_approve"], 1, 3)
        t["adoption"] = self.after(t["forward"], 20, 40)

    def twins(self, plans):
        """Pair a few used reports with a second one on the same topic, a day apart: the
        bulletin combines them into one item crediting both."""
        rng = self.rng
        singles = [p for p in plans if p.outcome == "use" and not p.forward]
        for plan in singles[1:30:6]:
            twin = self.new_plan(SourceKind.MEMBER, plan.topic)
            twin.times = {step: moment + HOUR for step, moment in plan.times.items()}
            twin.twin, plan.twin = plan, twin
            plans.append(twin)
        rng.shuffle(plans)

    def open_plans(self, member_membership, member_user):
        """Open work dated back from today: one report waiting in each state."""
        rng, authors = self.rng, self.authors
        back = self.back
        plans = []

        def mine(topic_index, source=SourceKind.MEMBER):
            plan = Plan(source=source, topic=TOPICS[topic_index], author=member_user)
            if source == SourceKind.JOINT:
                others = [m for m in authors["members"] if m.pk != member_membership.pk]
                plan.cosubmitters = rng.sample(others, 2)
            return plan

        draft = mine(5)
        draft.times = {"create": back(3)}
        returned = mine(6)
        returned.times = {
            "create": back(16),
            "submit": back(15),
            "start_review": back(12),
            "return": back(9),
        }
        returned.returned = True
        submitted = mine(1, SourceKind.JOINT)
        submitted.times = {"create": back(3), "submit": back(2)}
        not_used = mine(10)
        self.through(not_used, self.moment(self.start + datetime.timedelta(days=90)))
        not_used.outcome = "not_use"
        published = mine(2)
        self.through(published, self.moment(self.start + datetime.timedelta(days=120)))
        joint = mine(4, SourceKind.JOINT)
        self.through(joint, self.moment(self.start + datetime.timedelta(days=200)))
        joint.forward, joint.city_outcome = "city", "publish"
        joint.instruction = "county"
        plans += [draft, returned, submitted, not_used, published, joint]

        def other(topic_index, last_step, days):
            plan = self.new_plan(SourceKind.MEMBER, TOPICS[topic_index])
            steps = ["create", "submit", "start_review", "decide", "approve", "sign_off"]
            steps = steps[: steps.index(last_step) + 1]
            plan.times = {s: back(days + len(steps) - i) for i, s in enumerate(steps)}
            plan.is_open = True
            return plan

        plans += [
            other(7, "start_review", 1),
            other(8, "decide", 2),
            other(9, "approve", 1),
            other(11, "sign_off", 0),
            other(3, "submit", 1),
        ]
        return plans

    def back(self, days):
        """A moment ``days`` working-ish days before today, kept in the past."""
        return _at(self.today - datetime.timedelta(days=days), self.rng, 9, back=True)


HOUR = datetime.timedelta(hours=1)


def plan_bulletins(rng, plans, key, sizes=(1, 2, 2, 3)):
    """[(issue moment, [item plans…])]: consecutive signed-off reports in issues of 1–3
    items, each issue a few days after its last sign-off (twins make one combined item)."""
    ready = sorted(
        (p for p in plans if key in p.times and p.outcome == "use" and not p.is_open),
        key=lambda p: (p.times[key], id(p)),
    )
    items, seen = [], set()
    for plan in ready:
        if id(plan) in seen:
            continue
        group = [plan] + ([plan.twin] if plan.twin is not None else [])
        seen.update(id(p) for p in group)
        items.append(group)
    issues, last = [], None
    i = 0
    while i < len(items):
        size = rng.choice(sizes)
        batch = items[i : i + size]
        i += size
        latest = max(p.times[key] for group in batch for p in group)
        day = timezone.localtime(latest).date() + datetime.timedelta(days=rng.randint(1, 4))
        moment = _at(day, rng, 10)
        if last is not None and moment <= last:
            moment = _at(timezone.localtime(last).date() + DAY, rng, 10)
        issues.append((moment, batch))
        last = moment
    return issues


# Stories ----------------------------------------------------------------------------------


class Stories:
    def __init__(self, *, county, city, scheduler, rng, people):
        self.county, self.city, self.scheduler, self.rng = county, city, scheduler, rng
        self.staff, self.chair = people["staff"], people["chair"]
        self.city_staff, self.city_chair = people["city_staff"], people["city_chair"]
        self.units, self.unit_users = people["units"], people["unit_users"]

    def act(self, actor, report, action, **kwargs):
        return services.report_act(actor=actor, report=report, action=action, **kwargs)

    def report(self, plan):
        rng, t, staff = self.rng, plan.times, self.staff
        yield t["create"]
        content = compose(rng, plan.topic)
        if plan.twin is not None and plan.twin.report is not None:
            content["title"] = next(x for x in plan.topic.titles if x != plan.twin.report.title)
        plan.report = services.report_create(
            actor=plan.author,
            committee=self.county,
            data=content,
            source_kind=plan.source,
            cosubmitters=plan.cosubmitters,
            submitting_body=plan.body,
            source_note=plan.note,
        )
        if "submit" not in t:
            return
        yield t["submit"]
        report = services.report_submit(actor=plan.author, report=plan.report)
        if "start_review" not in t:
            return
        yield t["start_review"]
        report = self.act(staff, report, "start_review")
        if plan.returned:
            yield t["return"]
            report = self.act(staff, report, "return", note=rng.choice(RETURN_NOTES))
            if "resubmit" not in t:
                return
            yield t["resubmit"]
            content = {f: getattr(report, f) for f in ("title", "situation", "analysis")}
            content["analysis"] += "另据了解,周边县市已有较好做法可资借鉴。"
            content["suggestion"] = report.suggestion
            report = services.report_update(actor=plan.author, report=report, data=content)
            report = services.report_submit(actor=plan.author, report=report)
            yield t["restart_review"]
            report = self.act(staff, report, "start_review")
        if plan.edited:
            yield t["edit"]
            data_ = {f: getattr(report, f) for f in ("title", "situation", "analysis")}
            data_["title"] = report.title.replace("关于", "关于进一步", 1)
            data_["suggestion"] = report.suggestion.rsplit(";", 1)[0] + "。"
            report = services.report_edit(
                actor=staff, report=report, data=data_, note="精简文字,突出建议。"
            )
        if "decide" not in t:
            return
        yield t["decide"]
        if plan.outcome == "not_use":
            self.act(staff, report, "not_use", reason=rng.choice(NOT_USED_REASONS))
            return
        report = self.act(staff, report, "use")
        if "approve" not in t:
            return
        yield t["approve"]
        report = self.act(staff, report, "approve")
        if "sign_off" not in t:
            return
        yield t["sign_off"]
        plan.report = self.act(self.chair, report, "sign_off", note="同意编发。")
        if plan.forward:
            yield t["forward"]
            if plan.forward == "city":
                forwarding = services.report_forward(
                    actor=staff, report=plan.report, to_committee=self.city
                )
                plan.copy = forwarding.received
                self.scheduler.spawn(self.city_copy(plan))
            else:
                services.report_forward(
                    actor=staff, report=plan.report, to_level=Level.PROVINCE, to_name=PROVINCE
                )
                yield t["adoption"]
                services.adoption_record(
                    actor=staff,
                    report=OpinionReport.objects.get(pk=plan.report.pk),
                    level=Level.PROVINCE,
                    by_name=PROVINCE,
                    kind=AdoptionKind.ADOPTED,
                    decided_on=timezone.localdate() - 2 * DAY,
                    evidence=f"省政协《社情民意》{timezone.localdate().year}年第"
                    f"{rng.randint(20, 90)}期采用",
                )

    def city_copy(self, plan):
        t, staff = plan.times, self.city_staff
        yield t["city_review"]
        copy = self.act(staff, plan.copy, "start_review")
        yield t["city_decide"]
        if plan.city_outcome == "not_use":
            self.act(staff, copy, "not_use", reason="市级已有同类信息编发。")
            return
        copy = self.act(staff, copy, "use")
        if plan.city_outcome != "publish":
            return
        yield t["city_approve"]
        copy = self.act(staff, copy, "approve")
        yield t["city_sign_off"]
        plan.copy = self.act(self.city_chair, copy, "sign_off")

    def bulletin(self, *, committee, staff, moment, batch, recipients):
        yield moment
        groups = [
            (group, [p.copy if committee == self.city else p.report for p in group])
            for group in batch
        ]
        # Only what has been signed off by now (a step may not have run: the horizon).
        groups = [
            (group, reports)
            for group, reports in groups
            if all(r is not None and r.state == ReportState.SIGNED_OFF for r in reports)
        ]
        if not groups:
            return
        bulletin = services.bulletin_create(
            actor=staff,
            committee=committee,
            issued_on=timezone.localdate(),
            recipients=recipients,
        )
        items = []
        for group, reports in groups:
            if len(reports) == 1:
                item = services.bulletin_add_item(actor=staff, bulletin=bulletin, reports=reports)
            else:
                first = reports[0]
                item = services.bulletin_add_item(
                    actor=staff,
                    bulletin=bulletin,
                    reports=reports,
                    title=f"关于{group[0].topic.name}问题的综合反映",
                    text="\n\n".join(
                        (first.situation, first.analysis, *(r.suggestion for r in reports))
                    ),
                )
            items.append((item, group))
        services.bulletin_send(actor=staff, bulletin=bulletin)
        if committee != self.county:
            return
        for item, group in items:
            plan = group[0]
            if plan.transfer:
                self.scheduler.spawn(self.handling(plan, item, moment))
            if plan.instruction:
                self.scheduler.spawn(self.instruction(plan, moment))

    def handling(self, plan, item, sent):
        rng = self.rng
        yield sent + datetime.timedelta(days=2)
        units = rng.sample(plan.topic.units, rng.choice([1, 1, 2]))
        handlings = services.item_transfer(
            actor=self.staff, item=item, units=[self.units[n] for n in units]
        )
        if plan.transfer == "open":
            return
        for handling in handlings:
            yield sent + datetime.timedelta(days=rng.randint(15, 40), hours=1)
            user = self.unit_users[handling.unit_id]
            services.handling_answer(
                actor=user, handling=handling, answer=rng.choice(HANDLING_ANSWERS)
            )

    def instruction(self, plan, sent):
        yield sent + datetime.timedelta(days=self.rng.randint(5, 15))
        report = OpinionReport.objects.get(pk=plan.report.pk)
        if plan.instruction == "county":
            name, title, level = "周建国", "县委副书记", Level.COUNTY
            text = "请县政府分管领导阅研,相关部门认真研究落实。"
        else:
            name, title, level = "李明华", "市委常委、副市长", Level.CITY
            text = "此信息反映的问题具有普遍性,请市级有关部门会同示范县研究解决。"
        services.instruction_add(
            actor=self.staff,
            report=report,
            leader_name=name,
            leader_title=title,
            level=level,
            given_on=timezone.localdate(),
            text=text,
        )
        if plan.instruction == "city" and plan.copy is not None:
            services.instruction_add(
                actor=self.city_staff,
                report=OpinionReport.objects.get(pk=plan.copy.pk),
                leader_name=name,
                leader_title=title,
                level=level,
                given_on=timezone.localdate(),
                text=text,
            )


# Accounts ---------------------------------------------------------------------------------


def _staff_user(*, username, display_name, committee, role, office, starts_on, password, created):
    user, made = User.objects.get_or_create(
        username=username, defaults={"display_name": display_name, "password": password}
    )
    created["user"] += made
    extra = {"office": office} if office else {"title": "秘书长"}
    _assignment, made = RoleAssignment.objects.get_or_create(
        user=user, committee=committee, role=role, defaults={"starts_on": starts_on, **extra}
    )
    created["roleassignment"] += made
    return _acting(user, committee, role)


def _info_officers(*, county, rng, password, created):
    """Two information officers (非委员): a person, an affiliation and a login each."""
    maker = PersonMaker(rng)
    users = []
    for i, (name, field_) in enumerate(INFO_OFFICERS, start=1):
        user, made = User.objects.get_or_create(
            username=f"xxy{i:02d}", defaults={"display_name": name, "password": password}
        )
        created["user"] += made
        person = Person.objects.filter(committee=county, user=user).first()
        if person is None:
            spec = maker.person(sector="特邀", party_rule=data.MIXED, profile="professional")
            person = Person.objects.create(
                committee=county,
                name=name,
                gender=spec.gender,
                ethnicity=spec.ethnicity,
                birth_year=spec.birth_year,
                party=spec.party,
                education=spec.education,
                id_number=spec.id_number,
                id_number_digest=digest(spec.id_number),
                phone=spec.phone,
                user=user,
            )
            Affiliation.objects.create(
                committee=county,
                person=person,
                kind=AffiliationKind.INFO_OFFICER,
                field=field_,
                starts_on=datetime.date(2024, 3, 1),
            )
            created["person"] += 1
            created["affiliation"] += 1
        # A login needs a role to enter the committee: the least one (公众) gives nothing
        # beyond what ``has_person`` grants in opinions.
        _role, made = RoleAssignment.objects.get_or_create(
            user=user, committee=county, role=Role.PUBLIC, defaults={"starts_on": None}
        )
        created["roleassignment"] += made
        user.active_role = _role
        users.append(user)
    return users


def seed_demo_opinions(*, county, created):
    """About a year of public-opinion reports for the demo county; does nothing if it already
    has any (besides those turned from proposals). Returns the extra logins
    ``[(username, role label, display name)]``."""
    with scopes_disabled():
        # Proposals turned into public-opinion reports (demo.proposals) do not count.
        mine = OpinionReport.objects.filter(committee=county).exclude(
            source_kind=SourceKind.PROPOSAL
        )
        if mine.exists():
            return LOGINS
    today = timezone.localdate()
    with scopes_disabled(), seeding_clock() as clock, transaction.atomic():
        city = county.parent
        rng = random.Random(SEED)
        password = make_password(DEMO_PASSWORD)  # hashed once: each hash takes a while
        term_starts = (
            Session.objects.filter(committee=county, term__number=10)
            .order_by("opens_on")[0]
            .term.starts_on
        )
        staff = _staff_user(
            username=OPINION_STAFF[0],
            display_name=OPINION_STAFF[1],
            committee=county,
            role=Role.STAFF,
            office="research_office",
            starts_on=term_starts,
            password=password,
            created=created,
        )
        city_staff = _staff_user(
            username=CITY_STAFF[0],
            display_name=CITY_STAFF[1],
            committee=city,
            role=Role.STAFF,
            office="research_office",
            starts_on=term_starts,
            password=password,
            created=created,
        )
        city_chair = _staff_user(
            username=CITY_CHAIR[0],
            display_name=CITY_CHAIR[1],
            committee=city,
            role=Role.CHAIR,
            office="",
            starts_on=term_starts,
            password=password,
            created=created,
        )
        chair = _acting(User.objects.get(username="chair"), county, Role.CHAIR)
        member_user = User.objects.get(username="member")
        pool = list(
            Membership.objects.filter(
                committee=county, term__number=10, status=MembershipStatus.IN_OFFICE
            )
            .exclude(person__user=chair)
            .select_related("person")
            .order_by("pk")
        )
        mine = next(m for m in pool if m.person.user_id == member_user.pk)
        # The demo member's reports are the open plans' alone (a known set of states).
        others = [m for m in pool if m.pk != mine.pk and m.person.user_id != chair.pk]
        members = rng.sample(others, 30)
        units = {u.name: u for u in HandlingUnit.objects.filter(committee=county)}
        used_units = {units[n].pk: units[n] for t in TOPICS for n in t.units}
        member_users, unit_users = ensure_accounts(
            committee=county,
            memberships=[*members, mine],
            units=used_units.values(),
            starts_on=term_starts,
            created=created,
        )
        authors = {
            "members": members,
            "member_users": member_users,
            "officers": _info_officers(county=county, rng=rng, password=password, created=created),
            "staff": staff,
            "groups": [f"{t}活动小组" for t in data.TOWNSHIPS[:4]] + data.SECTOR_GROUPS[:2],
        }
        planner = Planner(rng, today, authors)
        plans = planner.normal(REPORTS) + planner.open_plans(mine, member_users[mine.pk])
        scheduler = Scheduler(clock, horizon=REAL_NOW() - datetime.timedelta(minutes=5))
        stories = Stories(
            county=county,
            city=city,
            scheduler=scheduler,
            rng=random.Random(SEED + 1),
            people={
                "staff": staff,
                "chair": chair,
                "city_staff": city_staff,
                "city_chair": city_chair,
                "units": units,
                "unit_users": unit_users,
            },
        )
        for plan in sorted(plans, key=lambda p: p.times["create"]):
            scheduler.spawn(stories.report(plan))
        for moment, batch in plan_bulletins(rng, plans, "sign_off"):
            scheduler.spawn(
                stories.bulletin(
                    committee=county,
                    staff=staff,
                    moment=moment,
                    batch=batch,
                    recipients=COUNTY_RECIPIENTS,
                )
            )
        published = [p for p in plans if p.city_outcome == "publish"]
        for plan in published:
            plan.twin = None  # the city publishes the forwarded copies one by one
        for moment, batch in plan_bulletins(rng, published, "city_sign_off", sizes=(1, 2)):
            scheduler.spawn(
                stories.bulletin(
                    committee=city,
                    staff=city_staff,
                    moment=moment,
                    batch=batch,
                    recipients=CITY_RECIPIENTS,
                )
            )
        scheduler.run()
        created["opinionreport"] += OpinionReport.objects.filter(
            committee__in=(county, city)
        ).count()
        created["bulletin"] += Bulletin.objects.filter(committee__in=(county, city)).count()
    with scopes_disabled():  # what happened weeks ago has been read
        Notification.objects.filter(
            committee__in=(county, county.parent),
            kind="opinion",
            read_at__isnull=True,
            created__lt=REAL_NOW() - datetime.timedelta(days=14),
        ).update(read_at=REAL_NOW())
    return LOGINS


# Scale ------------------------------------------------------------------------------------

SCALE_REPORTS_PER_YEAR = 40
SCALE_BULLETINS_PER_YEAR = 20
SCALE_STATES = [(ReportState.PUBLISHED, 60), (ReportState.NOT_USED, 20), (ReportState.USED, 20)]
SCALE_SOURCES = [(SourceKind.MEMBER, 60), (SourceKind.JOINT, 15), (SourceKind.GROUP, 25)]
LEVEL_SUB_KIND = {
    Level.CITY: "adopted_city",
    Level.PROVINCE: "adopted_province",
    Level.NATIONAL: "adopted_national",
}


def seed_scale_opinions(*, committees, years, seed, created):
    """Final-state reports, sent bulletins, parent adoptions and ledger rows, in bulk."""
    today = timezone.localdate()
    for i, committee in enumerate(committees):
        rng = random.Random(seed * 104729 + i)
        _scale_committee(committee, rng, years, today, created)
    return created


def _scale_committee(committee, rng, years, today, created):
    members = list(Membership.objects.filter(committee=committee).values_list("pk", flat=True))
    sessions = {s.opens_on.year: s for s in Session.objects.filter(committee=committee)}
    parent = committee.parent
    title = get_setting(committee, "bulletin_title")
    reports, plans = [], []
    for year in range(today.year - years + 1, today.year + 1):
        first = datetime.date(year, 1, 5)
        last = min(datetime.date(year, 12, 10), today - datetime.timedelta(days=20))
        if last <= first:
            continue
        for _n in range(SCALE_REPORTS_PER_YEAR):
            topic = rng.choice(TOPICS)
            source = _pick(rng, SCALE_SOURCES) if members else SourceKind.GROUP
            state = _pick(rng, SCALE_STATES)
            day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
            lead = rng.choice(members) if source != SourceKind.GROUP else None
            reports.append(
                OpinionReport(
                    committee=committee,
                    session=sessions.get(year),
                    source_kind=source,
                    lead_id=lead,
                    submitting_body="" if lead else rng.choice(PARTY_BODIES),
                    title=rng.choice(topic.titles),
                    situation=f"近期群众反映,{topic.name}方面仍存在一些突出问题。",
                    analysis="相关工作机制尚不健全,部门合力有待加强。",
                    suggestion=f"建议有关部门统筹推进{topic.name}工作,完善长效机制。",
                    state=state,
                    submitted_at=_at(day, rng, back=True),
                    not_used_reason=rng.choice(NOT_USED_REASONS)
                    if state == ReportState.NOT_USED
                    else "",
                )
            )
            cos = (
                rng.sample([m for m in members if m != lead], min(2, len(members) - 1))
                if source == SourceKind.JOINT
                else []
            )
            plans.append((year, day, cos))
    OpinionReport.objects.bulk_create(reports, batch_size=2000)
    created["opinionreport"] += len(reports)
    CoSubmitter.objects.bulk_create(
        [
            CoSubmitter(committee=committee, report=r, membership_id=m, order=order)
            for r, (_y, _d, cos) in zip(reports, plans, strict=True)
            for order, m in enumerate(cos, start=2)
        ],
        batch_size=2000,
    )
    published = {}
    for report, (year, day, _cos) in zip(reports, plans, strict=True):
        if report.state == ReportState.PUBLISHED:
            published.setdefault(year, []).append((day, report))
    bulletins, items_for = [], []
    for year, rows in sorted(published.items()):
        rows.sort(key=lambda row: (row[0], row[1].pk))
        count = min(SCALE_BULLETINS_PER_YEAR, len(rows))
        for number in range(1, count + 1):
            batch = rows[(number - 1) * len(rows) // count : number * len(rows) // count]
            issued = _past(batch[-1][0] + datetime.timedelta(days=rng.randint(3, 10)), today)
            bulletins.append(
                Bulletin(
                    committee=committee,
                    year=year,
                    number=number,
                    title=title,
                    issued_on=issued,
                    recipients="",
                    state=BulletinState.SENT,
                    sent_at=_at(issued, rng, 10, back=True),
                )
            )
            items_for.append([r for _d, r in batch])
    Bulletin.objects.bulk_create(bulletins, batch_size=2000)
    items, item_reports = [], []
    for bulletin, batch in zip(bulletins, items_for, strict=True):
        groups = [batch[:2], *([r] for r in batch[2:])] if len(batch) >= 3 else [[r] for r in batch]
        for position, group in enumerate(groups, start=1):
            kind = ItemKind.COMBINED if len(group) > 1 else ItemKind.SINGLE
            items.append(
                BulletinItem(
                    committee=committee,
                    bulletin=bulletin,
                    position=position,
                    kind=kind,
                    title=group[0].title
                    if kind == ItemKind.SINGLE
                    else "综合反映:" + group[0].title,
                    text=group[0].situation + "\n\n" + group[0].suggestion,
                )
            )
            item_reports.append(group)
    BulletinItem.objects.bulk_create(items, batch_size=2000)
    through = BulletinItem.reports.through
    through.objects.bulk_create(
        [
            through(bulletinitem_id=item.pk, opinionreport_id=r.pk)
            for item, group in zip(items, item_reports, strict=True)
            for r in group
        ],
        batch_size=2000,
    )
    issued_on = {
        r.pk: b.issued_on for b, batch in zip(bulletins, items_for, strict=True) for r in batch
    }
    adoptions = []
    if parent is not None and parent.level in LEVEL_SUB_KIND:
        for report in reports:
            if report.pk in issued_on and rng.random() < 0.25:
                adoptions.append(
                    Adoption(
                        committee=committee,
                        report=report,
                        level=parent.level,
                        by_committee=parent,
                        by_name=parent.name,
                        kind=AdoptionKind.ADOPTED,
                        decided_on=_past(
                            issued_on[report.pk] + datetime.timedelta(days=rng.randint(10, 40)),
                            today,
                        ),
                    )
                )
    Adoption.objects.bulk_create(adoptions, batch_size=2000)
    _scale_history_and_ledger(committee, rng, reports, plans, issued_on, adoptions, today)
    created["bulletin"] += len(bulletins)
    created["adoption"] += len(adoptions)


def _scale_history_and_ledger(committee, rng, reports, plans, issued_on, adoptions, today):
    report_type = ContentType.objects.get_for_model(OpinionReport)
    adopted = {a.report_id: a for a in adoptions}
    history, ledger = [], []
    cos_for = {r.pk: cos for r, (_y, _d, cos) in zip(reports, plans, strict=True)}
    for report, (_year, day, _cos) in zip(reports, plans, strict=True):
        decided = _past(day + datetime.timedelta(days=rng.randint(3, 12)), today)
        outcome = "not_use" if report.state == ReportState.NOT_USED else "use"
        to = ReportState.NOT_USED if outcome == "not_use" else ReportState.USED
        history.append(
            _history(ReportHistory, report, "draft", "submit", "submitted", report.submitted_at)
        )
        history.append(
            _history(ReportHistory, report, "submitted", outcome, to, _at(decided, rng, back=True))
        )
        events = [("submitted", day, "")]
        if outcome == "use":
            events.append(("used", decided, committee.level))
        if report.pk in issued_on:
            published_on = issued_on[report.pk]
            history.append(
                _history(
                    ReportHistory,
                    report,
                    "signed_off",
                    "publish",
                    "published",
                    _at(published_on, rng, 10, back=True),
                )
            )
            events.append(("published", published_on, committee.level))
        if report.pk in adopted:
            a = adopted[report.pk]
            events.append((LEVEL_SUB_KIND[a.level], a.decided_on, a.level))
        if not report.lead_id:
            continue
        people = [report.lead_id, *cos_for[report.pk]]
        for sub_kind, on, level in events:
            for order, membership_id in enumerate(people, start=1):
                ledger.append(
                    DutyRecord(
                        committee=committee,
                        membership_id=membership_id,
                        kind="opinion",
                        sub_kind=sub_kind,
                        occurred_on=on,
                        level=level,
                        role=DutyRole.LEAD if order == 1 else DutyRole.CO_SIGNER,
                        order=order,
                        participants=len(people),
                        source_type=report_type,
                        source_id=report.pk,
                        title=report.title,
                    )
                )
    with _stamped(ReportHistory):
        ReportHistory.objects.bulk_create(history, batch_size=2000)
    DutyRecord.objects.bulk_create(ledger, batch_size=2000)


def reset_scale_opinions(committee_ids):
    """Delete the public-opinion rows of the scale committees (before their members)."""
    DutyRecord._base_manager.filter(committee_id__in=committee_ids, kind="opinion").delete()
    Adoption._base_manager.filter(committee_id__in=committee_ids).delete()
    Adoption._base_manager.filter(by_committee_id__in=committee_ids).delete()
    ItemHandling._base_manager.filter(committee_id__in=committee_ids).delete()
    Bulletin._base_manager.filter(committee_id__in=committee_ids).delete()  # items cascade
    Forwarding._base_manager.filter(committee_id__in=committee_ids).delete()
    reports = OpinionReport._base_manager.filter(committee_id__in=committee_ids)
    reports.filter(origin__isnull=False).delete()
    reports.delete()
