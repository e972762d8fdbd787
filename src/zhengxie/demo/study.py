"""Demo data for 学习培训 (study): this year's study plan (8 items, published), six study
sessions and trainings — four closed with attendance and ledger rows, one held awaiting its
attendance, one training ahead open for sign-up — five study materials with twelve
distributions, and two reading groups (书香政协) with four sessions held and one ahead.

Everything goes through ``zhengxie.study.services`` under the proposals seeder's patched clock,
so history, audit and ledger rows carry the days the events happened. The demo member
(``member``) is invited to every session and belongs to the first reading group.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from zhengxie.core.models import Role, User
from zhengxie.core.scoping import scopes_disabled
from zhengxie.demo.proposals import REAL_NOW, _acting, seeding_clock
from zhengxie.organisation.models import (
    MemberGroup,
    Membership,
    MembershipStatus,
    Position,
    PositionKind,
    SpecialCommittee,
)
from zhengxie.organisation.queries import members_by_audience
from zhengxie.study import services
from zhengxie.study.models import StudyPlan

# topic, kind, planned month, audience, audience parameter (name), note
PLAN_ITEMS = [
    ("学习习近平新时代中国特色社会主义思想", "study", 2, "all", None, "结合主题教育,原原本本学"),
    ("学习贯彻全国两会精神", "study", 3, "standing", None, "常委会议前集体学习"),
    ("新任委员履职能力培训", "training", 4, "all", None, "邀请市政协领导授课"),
    ("书香政协·全民阅读月", "reading", 4, "all", None, "各读书小组开展读书分享"),
    ("提案撰写与办理专题培训", "training", 5, "special_committee", "提案委员会", ""),
    ("学习《中国人民政治协商会议章程》", "study", 6, "chairs", None, "主席会议集体学习"),
    ("民主监督工作专题培训", "training", 9, "group", "城关镇活动小组", ""),
    ("学习党的二十届四中全会精神", "study", 11, "all", None, "专题辅导报告会"),
]
# title, kind, plan item index, days before today (negative: ahead), half-days, place,
# speaker, audience, parameter, what happens ("close", "hold" or "plan")
SESSIONS = [
    ("学习习近平新时代中国特色社会主义思想专题辅导报告", "study", 0, 200, "1", "县政协报告厅",
     "县委党校 陈教授", "standing", None, "close"),
    ("学习贯彻全国两会精神集体学习会", "study", 1, 150, "0.5", "县政协三楼会议室",
     "县政协主席", "special_committee", "文史和学习委员会", "close"),
    ("新任委员履职能力培训班", "training", 2, 120, "2", "县委党校", "市政协研究室 王主任",
     "group", "城关镇活动小组", "close"),
    ("学习《中国人民政治协商会议章程》", "study", 5, 60, "0.5", "县政协二楼会议室",
     "县政协秘书长", "chairs", None, "close"),
    ("提案撰写与办理专题培训", "training", 4, 20, "1", "县政协报告厅", "县政协提案委员会",
     "special_committee", "提案委员会", "hold"),
    ("民主监督工作专题培训班", "training", 6, -14, "2", "县委党校", "市政协民主监督处",
     "group", "凤鸣街道活动小组", "plan"),
]  # fmt: skip
# title, kind, url, tags, description, distributions: (session index or None, days before
# today, copies, recipients)
MATERIALS = [
    ("《中国人民政治协商会议章程》", "book", "", "政协理论、章程",
     "全国政协十四届二次会议通过的章程修正案文本。",
     [(0, 200, 60, "全体常委"), (3, 60, 12, "主席会议成员"), (None, 100, 180, "全体委员")]),
    ("《习近平关于加强和改进人民政协工作的重要思想学习读本》", "book", "", "政协理论、思想武装",
     "系统阐述新时代人民政协理论的学习读本。",
     [(0, 200, 60, "全体常委"), (None, 180, 190, "全体委员")]),
    ("政协委员履职手册(2026年版)", "document", "https://www.cppcc.gov.cn/", "履职能力、新任委员",
     "县政协办公室编印,收录履职制度、提案和社情民意撰写要求。",
     [(2, 120, 45, "新任委员"), (None, 90, 20, "委员活动小组")]),
    ("学习强国·政协频道", "link", "https://www.xuexi.cn/", "政协理论",
     "委员日常自学的网上平台。", []),
    ("提案撰写实务讲座(视频)", "video", "https://www.cppcc.gov.cn/zxww/newcppcc/", "提案、履职能力",
     "市政协提案委员会专题讲座录像。",
     [(4, 20, 35, "提案委员会组成人员"), (None, 40, 15, "界别活动小组"),
      (None, 10, 25, "新任委员"), (1, 150, 18, "文史和学习委员会"), (None, 5, 10, "机关干部")]),
]  # fmt: skip
# name, size, current book, description, sessions: (days before today, book, notes)
GROUPS = [
    ("书香政协·城关读书小组", 8, "《习近平谈治国理政》第四卷",
     "城关镇、凤鸣街道委员自愿组成,每两月开展一次读书分享。",
     [(180, "《之江新语》", "委员围绕“干在实处、走在前列”交流读书体会。"),
      (90, "《习近平谈治国理政》第四卷", "领读第三专题,结合履职谈体会。"),
      (-10, "《习近平谈治国理政》第四卷", "")]),
    ("文史读书会", 6, "《乡土中国》",
     "文史和学习委员会牵头,研读地方文史与社会学经典。",
     [(130, "《县志·人物卷》", "结合文史资料征集,交流地方人物研究。"),
      (40, "《乡土中国》", "讨论“差序格局”与基层治理。")]),
]  # fmt: skip


def _moment(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _in_office(county):
    return Membership.objects.filter(committee=county, status=MembershipStatus.IN_OFFICE)


def _parameter(county, audience, name):
    if audience == "special_committee":
        return {"special_committee": SpecialCommittee.objects.get(committee=county, name=name)}
    if audience == "group":
        return {"group": MemberGroup.objects.get(committee=county, name=name)}
    return {}


def _outcome(i):
    """Attendance of the i-th member on a list: mostly attended, some leave, a few absent."""
    return "leave" if i % 10 == 7 else "absent" if i % 10 == 9 else "attended"


def _demo_member(county):
    user = User.objects.filter(username="member").first()
    if user is None:
        return None
    return _in_office(county).filter(person__user=user).first()


def seed_demo_study(*, county, created):
    """Create the demo county's study work (nothing if it has a study plan already)."""
    with scopes_disabled(), transaction.atomic(), seeding_clock() as clock:
        if StudyPlan.objects.filter(committee=county).exists():
            return created
        today = REAL_NOW().astimezone(timezone.get_current_timezone()).date()
        jan = datetime.date(today.year, 1, 1)
        staff = _acting(User.objects.get(username="staff"), county, Role.STAFF)
        demo_member = _demo_member(county)

        # The plan, drafted and published in January.
        clock.set(_moment(min(jan + datetime.timedelta(days=14), today), 10))
        plan = services.plan_create(
            actor=staff,
            committee=county,
            data={
                "year": today.year,
                "title": f"{today.year}年度县政协委员学习培训计划",
                "note": "坚持把政治理论学习放在首位,全年安排集体学习、专题培训和读书活动。",
            },
        )
        created["study_plan"] += 1
        items = []
        for topic, kind, month, audience, name, note in PLAN_ITEMS:
            items.append(
                services.item_add(
                    actor=staff,
                    plan=plan,
                    data={
                        "topic": topic,
                        "kind": kind,
                        "planned_month": month,
                        "audience": audience,
                        "note": note,
                        **_parameter(county, audience, name),
                    },
                )
            )
            created["study_plan_item"] += 1
        clock.set(_moment(min(jan + datetime.timedelta(days=19), today), 9))
        services.plan_publish(actor=staff, plan=plan)

        sessions = [
            _session(county, staff, clock, today, spec, items, demo_member, created)
            for spec in SESSIONS
        ]
        _materials(county, staff, clock, today, sessions, created)
        _groups(county, staff, clock, today, items[3], demo_member, created)
        clock.set(None)
    return created


def _session(county, staff, clock, today, spec, items, demo_member, created):
    title, kind, item_index, back, half_days, place, speaker, audience, name, outcome = spec
    day = today - datetime.timedelta(days=back)
    item = items[item_index]
    clock.set(_moment(min(day - datetime.timedelta(days=10), today), 9))
    session = services.session_create(
        actor=staff,
        committee=county,
        data={
            "kind": kind,
            "title": title,
            "date": day,
            "half_days": half_days,
            "place": place,
            "speaker": speaker,
            "signup_open": outcome == "plan",
            "description": f"{item.topic}。{item.note}" if item.note else item.topic,
        },
        plan_item=item if item.plan.year == day.year else None,
    )
    invitees = list(
        members_by_audience(
            committee=county, by=audience, on=day, **_parameter(county, audience, name)
        ).order_by("pk")
    )
    if demo_member is not None and demo_member not in invitees:
        invitees.append(demo_member)
    services.session_invite(actor=staff, session=session, memberships=invitees)
    created["study_session"] += 1
    created["study_attendance"] += len(invitees)
    if outcome == "plan":
        return session
    clock.set(_moment(day, 17))
    session = services.session_act(actor=staff, session=session, action="hold")
    if outcome == "close":
        rows = session.attendances.order_by("pk")
        entries = {row.pk: _outcome(i) for i, row in enumerate(rows)}
        if demo_member is not None:
            entries[rows.get(membership=demo_member).pk] = "attended"
        services.attendance_record(actor=staff, session=session, entries=entries)
        clock.set(_moment(day + datetime.timedelta(days=1), 10))
        session = services.session_close(actor=staff, session=session)
        created["study_session_closed"] += 1
        created["study_ledger"] += sum(1 for s in entries.values() if s == "attended")
    return session


def _materials(county, staff, clock, today, sessions, created):
    for title, kind, url, tags, description, distributions in MATERIALS:
        first = max((back for _s, back, _c, _r in distributions), default=30)
        clock.set(_moment(today - datetime.timedelta(days=first + 5), 11))
        material = services.material_create(
            actor=staff,
            committee=county,
            data={
                "title": title,
                "kind": kind,
                "url": url,
                "tags": tags,
                "description": description,
            },
        )
        created["study_material"] += 1
        for session_index, back, copies, recipients in distributions:
            day = today - datetime.timedelta(days=back)
            clock.set(_moment(day, 15))
            services.distribution_add(
                actor=staff,
                material=material,
                data={
                    "date": day,
                    "copies": copies,
                    "recipients": recipients,
                    "session": sessions[session_index] if session_index is not None else None,
                },
            )
            created["study_distribution"] += 1
            created["study_copies"] += copies


def _groups(county, staff, clock, today, reading_item, demo_member, created):
    """Two reading groups: the first of township members (with the demo member), the second
    of the 文史和学习委员会's members."""
    wenshi = Position.objects.filter(
        committee=county,
        kind=PositionKind.SPECIAL_COMMITTEE,
        special_committee__name="文史和学习委员会",
        ends_on__isnull=True,
    ).values("membership")
    pools = [
        _in_office(county).filter(group__name__in=["城关镇活动小组", "凤鸣街道活动小组"]),
        _in_office(county).filter(pk__in=wenshi),
    ]
    used = set()
    for (name, size, book, description, meetings), pool in zip(GROUPS, pools, strict=True):
        members = [m for m in pool.order_by("pk") if m.pk not in used][:size]
        if len(members) < size:
            extra = _in_office(county).exclude(pk__in=[*used, *(m.pk for m in members)])
            members += list(extra.order_by("pk")[: size - len(members)])
        if demo_member is not None and name == GROUPS[0][0] and demo_member not in members:
            members = [demo_member, *members[: size - 1]]
        used.update(m.pk for m in members)
        first = max(back for back, _b, _n in meetings)
        clock.set(_moment(today - datetime.timedelta(days=first + 20), 10))
        group = services.group_create(
            actor=staff,
            committee=county,
            data={
                "name": name,
                "leader": members[1] if len(members) > 1 else members[0],
                "members": members,
                "current_book": book,
                "description": description,
            },
        )
        created["study_reading_group"] += 1
        for back, title, notes in meetings:
            day = today - datetime.timedelta(days=back)
            clock.set(_moment(min(day - datetime.timedelta(days=7), today), 9))
            linked = reading_item if back == first and day.year == reading_item.plan.year else None
            session = services.reading_session_create(
                actor=staff,
                group=group,
                data={"date": day, "book_title": title, "half_days": "1", "notes": notes},
                plan_item=linked,
            )
            created["study_reading_session"] += 1
            if back < 0:
                continue
            clock.set(_moment(day, 17))
            rows = session.attendances.order_by("pk")
            entries = {row.pk: "leave" if i % 5 == 4 else "attended" for i, row in enumerate(rows)}
            services.reading_attendance_record(actor=staff, session=session, entries=entries)
            services.reading_session_act(actor=staff, session=session, action="close")
            created["study_reading_closed"] += 1
            created["study_ledger"] += sum(1 for s in entries.values() if s == "attended")
