"""The demo: 政协示范县委员会 (a fictional county committee), its city, and one login per role.

``seed_demo()`` is idempotent: every row is keyed (committee codes, term numbers, names, the
digest of a person's ID number, a membership's term and person, usernames), so a second run
finds everything and creates nothing.
"""

import datetime
import importlib
import random
from collections import Counter

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core.fields import digest
from zhengxie.core.models import Notification, Role, RoleAssignment, StaffOffice, User
from zhengxie.core.models.ledger import Level
from zhengxie.core.scoping import scopes_disabled
from zhengxie.demo import data
from zhengxie.demo.people import PersonMaker
from zhengxie.demo.roster import Change, ensure_organisation, ensure_term, plan_roster, write_roster
from zhengxie.organisation.models import (
    Affiliation,
    AffiliationKind,
    Committee,
    GroupKind,
    HandlingUnit,
    MemberGroup,
    Person,
    StatusChangeKind,
)

DEMO_PASSWORD = "zhengxie-demo"
SEED = 20260124
COUNTY = {
    "code": "330000-DEMO-01",
    "name": "政协示范县委员会",
    "short_name": "示范县政协",
    "level": Level.COUNTY,
    "region": "示范县",
}
CITY = {
    "code": "330000-DEMO-00",
    "name": "政协示范市委员会",
    "short_name": "示范市政协",
    "level": Level.CITY,
    "region": "示范市",
}
MEMBERS = 250  # seats of the current term, additions included
CITY_MEMBERS = 60
THINK_TANK = 30
TERM_STARTS = datetime.date(2022, 1, 10)
SESSIONS = [
    (1, "十届一次会议", datetime.date(2022, 1, 10), datetime.date(2022, 1, 13)),
    (2, "十届二次会议", datetime.date(2023, 2, 13), datetime.date(2023, 2, 16)),
    (3, "十届三次会议", datetime.date(2024, 1, 15), datetime.date(2024, 1, 18)),
    (4, "十届四次会议", datetime.date(2025, 2, 17), datetime.date(2025, 2, 20)),
    (5, "十届五次会议", datetime.date(2026, 1, 12), datetime.date(2026, 1, 15)),
]
PREVIOUS_SESSIONS = [
    (1, "九届一次会议", datetime.date(2017, 1, 9), datetime.date(2017, 1, 12)),
    (2, "九届二次会议", datetime.date(2018, 2, 5), datetime.date(2018, 2, 8)),
    (3, "九届三次会议", datetime.date(2019, 1, 14), datetime.date(2019, 1, 17)),
    (4, "九届四次会议", datetime.date(2020, 1, 6), datetime.date(2020, 1, 9)),
    (5, "九届五次会议", datetime.date(2021, 2, 22), datetime.date(2021, 2, 25)),
]
CHANGES = [
    Change(StatusChangeKind.RESIGNED, datetime.date(2024, 6, 20), "十届常委会第九次会议"),
    Change(StatusChangeKind.ADDED, datetime.date(2024, 6, 20), "十届常委会第九次会议"),
    Change(StatusChangeKind.ADDED, datetime.date(2024, 6, 20), "十届常委会第九次会议"),
    Change(StatusChangeKind.RESIGNED, datetime.date(2025, 8, 28), "十届常委会第十四次会议"),
    Change(StatusChangeKind.ADDED, datetime.date(2025, 8, 28), "十届常委会第十四次会议"),
    Change(StatusChangeKind.RESIGNED, datetime.date(2026, 6, 25), "十届常委会第十八次会议"),
    Change(StatusChangeKind.ADDED, datetime.date(2026, 6, 25), "十届常委会第十八次会议"),
]
# Settings the demo sets when the core registry (``zhengxie.core.config.SETTINGS``) declares them.
DEMO_SETTINGS = {
    # The demo county's own rules where they differ from the defaults (提案工作细则).
    "proposal_max_length": 3000,
    "blocked_words": ["赌博", "代开发票", "办证"],
}


def demo_allowed():
    return bool(getattr(settings, "ZHENGXIE_DEMO", False) or settings.DEBUG)


def seed_demo(*, proposals=True, opinions=True, meetings=True):
    """Create (or complete) the demo; returns the counts of rows created and the logins.
    ``proposals``: also two years of proposals (``demo.proposals``, ~15–20 s);
    ``opinions``: also a year of public-opinion reports (``demo.opinions``);
    ``meetings``: also a year of meetings, plenary speeches, inspections and research,
    democratic supervision and reception rooms."""
    if not demo_allowed():
        raise CommandError(
            _("演示数据只能在演示或调试模式下创建:请设置 ZHENGXIE_DEMO=1 或 DEBUG=1 后再运行。")
        )
    created = Counter()
    with scopes_disabled(), transaction.atomic():
        city, made = Committee.objects.get_or_create(code=CITY["code"], defaults=CITY)
        created["committee"] += made
        county, made = Committee.objects.get_or_create(
            code=COUNTY["code"], defaults={**COUNTY, "parent": city}
        )
        created["committee"] += made

        ensure_term(
            committee=county,
            number=9,
            name="第九届",
            starts_on=datetime.date(2017, 1, 9),
            ends_on=TERM_STARTS - datetime.timedelta(days=1),
            sessions=PREVIOUS_SESSIONS,
            created=created,
        )
        term = ensure_term(
            committee=county,
            number=10,
            name="第十届",
            starts_on=TERM_STARTS,
            sessions=SESSIONS,
            created=created,
        )
        org = ensure_organisation(
            committee=county,
            term=term,
            level=Level.COUNTY,
            townships=data.TOWNSHIPS,
            created=created,
        )
        rng = random.Random(SEED)
        maker = PersonMaker(rng)
        seats = plan_roster(
            org=org,
            rng=rng,
            maker=maker,
            size=MEMBERS,
            starts_on=TERM_STARTS,
            decided_by="十届一次会议",
            changes=CHANGES,
            level=Level.COUNTY,
            standing=30,
        )
        write_roster(org=org, seats=seats, created=created)
        _think_tank(county=county, rng=rng, maker=maker, created=created)

        city_term = ensure_term(
            committee=city,
            number=10,
            name="第十届",
            starts_on=datetime.date(2022, 1, 5),
            sessions=[
                (n, name, opens - datetime.timedelta(days=5), closes - datetime.timedelta(days=5))
                for n, name, opens, closes in SESSIONS
            ],
            created=created,
        )
        city_org = ensure_organisation(
            committee=city,
            term=city_term,
            level=Level.CITY,
            townships=["东城区", "西城区", "南湖区", "北山区", "示范县"],
            created=created,
        )
        city_rng = random.Random(SEED + 1)
        city_seats = plan_roster(
            org=city_org,
            rng=city_rng,
            size=CITY_MEMBERS,
            starts_on=datetime.date(2022, 1, 5),
            decided_by="十届一次会议",
            level=Level.CITY,
        )
        write_roster(org=city_org, seats=city_seats, created=created)

        logins = _users(county=county, city=city, seats=seats, created=created)
        _settings(county=county, created=created)
    if proposals:
        from zhengxie.demo.proposals import seed_demo_proposals

        seed_demo_proposals(county=county, created=created)
    if opinions:
        from zhengxie.demo.opinions import seed_demo_opinions

        logins += seed_demo_opinions(county=county, created=created)
    if meetings:
        seed_demo_meeting_work(county=county, created=created)
    return created, logins


def seed_demo_meeting_work(*, county, created):
    """The year's meetings and the work done between them (issue: meetings and activities)."""
    from zhengxie.demo.activities import seed_demo_activities
    from zhengxie.demo.archives import seed_demo_archives
    from zhengxie.demo.meetings import seed_demo_meetings
    from zhengxie.demo.notices import seed_demo_notices
    from zhengxie.demo.performance import seed_demo_performance
    from zhengxie.demo.places import seed_demo_places
    from zhengxie.demo.portal import seed_demo_portal
    from zhengxie.demo.speeches import seed_demo_speeches
    from zhengxie.demo.study import seed_demo_study
    from zhengxie.demo.supervision import seed_demo_supervision

    seed_demo_meetings(county=county, created=created)
    seed_demo_speeches(county=county, created=created)
    seed_demo_activities(county=county, created=created)
    seed_demo_supervision(county=county, created=created)
    seed_demo_places(county=county, created=created)
    seed_demo_study(county=county, created=created)
    seed_demo_archives(county=county, created=created)
    seed_demo_portal(county=county, created=created)
    seed_demo_performance(county=county, created=created)
    # Last: it gives the members still without one a login, which the seeders above don't expect.
    seed_demo_notices(county=county, created=created)


def _think_tank(*, county, rng, maker, created):
    group, made = MemberGroup.objects.get_or_create(
        committee=county,
        name="示范县政协智库",
        defaults={"kind": GroupKind.THINK_TANK, "position": 1},
    )
    created["membergroup"] += made
    specs = [
        maker.person(sector="特邀", party_rule=data.MIXED, profile="professional", min_year=1955)
        for _ in range(THINK_TANK)
    ]
    fields = [rng.choice(data.THINK_TANK_FIELDS) for _ in specs]
    digests = [digest(spec.id_number) for spec in specs]
    known = set(
        Person.objects.filter(committee=county, id_number_digest__in=digests).values_list(
            "id_number_digest", flat=True
        )
    )
    new = [
        (
            Person(
                committee=county,
                name=spec.name,
                gender=spec.gender,
                ethnicity=spec.ethnicity,
                birth_year=spec.birth_year,
                party=spec.party,
                education=spec.education,
                id_number=spec.id_number,
                id_number_digest=d,
                phone=spec.phone,
            ),
            field,
        )
        for spec, d, field in zip(specs, digests, fields, strict=True)
        if d not in known
    ]
    Person.objects.bulk_create([person for person, _f in new])
    Affiliation.objects.bulk_create(
        [
            Affiliation(
                committee=county,
                person=person,
                kind=AffiliationKind.THINK_TANK,
                group=group,
                field=field,
                starts_on=datetime.date(2023, 3, 1),
            )
            for person, field in new
        ]
    )
    created["person"] += len(new)
    created["affiliation"] += len(new)


def _users(*, county, city, seats, created):
    """One login per role; the chair and the member are linked to their persons."""
    in_office = [s for s in seats if s.left is None]
    chair = next(s for s in seats if any(p["office"] == "chair" for p in s.positions))
    member = next(s for s in in_office if not s.positions)
    education = HandlingUnit.objects.get(committee=county, name="县教育局")
    password = make_password(DEMO_PASSWORD)  # hashed once: six hashes would take seconds
    accounts = [
        ("admin", _("系统管理员"), None, [(county, Role.ADMIN, {})]),
        (
            "staff",
            "林晓雯",
            None,
            [
                (county, Role.STAFF, {"office": StaffOffice.PROPOSALS}),
                (city, Role.STAFF, {"office": StaffOffice.GENERAL}),
            ],
        ),
        ("chair", chair.spec.name, chair.person, [(county, Role.CHAIR, {"title": "主席"})]),
        ("member", member.spec.name, member.person, [(county, Role.MEMBER, {})]),
        ("unit", "县教育局联络员", None, [(county, Role.UNIT, {"handling_unit": education})]),
        ("leader", "周建国", None, [(county, Role.LEADER, {"title": "县委副书记"})]),
    ]
    logins = []
    for username, display_name, person, roles in accounts:
        user, made = User.objects.get_or_create(
            username=username, defaults={"display_name": display_name, "password": password}
        )
        created["user"] += made
        if person is not None and person.user_id is None:
            person.user = user
            person.save(update_fields=["user"])
            created["person_link"] += 1
        for committee, role, extra in roles:
            _assignment, made = RoleAssignment.objects.get_or_create(
                user=user,
                committee=committee,
                role=role,
                defaults={"starts_on": TERM_STARTS, **extra},
            )
            created["roleassignment"] += made
        logins.append((username, roles[0][1].label, display_name))
        _notifications(user=user, committee=county, username=username, created=created)
    return logins


NOTIFICATIONS = {
    # Only facts the demo data holds: no proposals exist until the proposals app seeds them.
    "member": [
        ("欢迎使用智慧政协", "可在“委员名录”中查看本会委员,在首页查看本人身份与职务。"),
        ("委员信息请核对", "请核对本人的界别、活动小组和联系方式,如有变动请告知办公室。"),
    ],
    "staff": [
        ("第十届委员名册已更新", "十届委员中增补4名、辞去3名,相关职务已结束,请核对小组安排。"),
        ("欢迎使用智慧政协", "名册导入、委员名录和组织机构维护均在左侧菜单中。"),
    ],
    "chair": [("欢迎使用智慧政协", "首页汇总了本会委员按界别、党派和活动小组的分布。")],
    "unit": [("欢迎使用智慧政协", "本单位承办的事项将在此处提醒,请保持联系人信息准确。")],
    "leader": [("欢迎使用智慧政协", "您可在首页查看政协委员的构成情况。")],
}  # fmt: skip


def _notifications(*, user, committee, username, created):
    for i, (title, body) in enumerate(NOTIFICATIONS.get(username, [])):
        _notification, made = Notification.objects.get_or_create(
            recipient=user,
            title=title,
            defaults={
                "committee": committee,
                "kind": "demo",
                "body": body,
                "read_at": timezone.now() if i else None,
            },
        )
        created["notification"] += made


def _settings(*, county, created):
    """A setting or two through the core registry, when there is one."""
    try:
        registry = getattr(importlib.import_module("zhengxie.core.config"), "SETTINGS", None)
    except ImportError:
        return
    if not registry:
        return
    from zhengxie.core.models import CommitteeSetting

    for key, value in DEMO_SETTINGS.items():
        if key in registry:
            _setting, made = CommitteeSetting.objects.get_or_create(
                committee=county, key=key, defaults={"value": value}
            )
            created["committeesetting"] += made
