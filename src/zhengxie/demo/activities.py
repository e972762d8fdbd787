"""The demo county's inspections, research and other activities of the current year, made
through the activities services: the year's topic plan (8 items) and the economic committee's
work plan (4 items), 12 activities (4 inspections, 5 research, 3 others; 9 held, 1 open for
sign-up, 1 planned, 1 cancelled) with participants and attendance (the demo member took part
in the first), 3 reports with 2
recommendations each, and one joint inspection with the city committee (its staff add and
record 3 city members)."""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhengxie.activities import services
from zhengxie.activities.models import Activity, Participation, Plan
from zhengxie.core.followup import recommendation_add
from zhengxie.core.models import Role, RoleAssignment, User
from zhengxie.core.scoping import scopes_disabled
from zhengxie.organisation.models import Membership, MembershipStatus, SpecialCommittee

SEED = 20260506

TOPIC_ITEMS = [
    ("全县农村生活污水治理情况", "inspection", "农业农村委员会", 3),
    ("县域义务教育优质均衡发展", "research", "教科卫体委员会", 4),
    ("优化营商环境政策落实情况", "inspection", "经济委员会", 5),
    ("基层医疗卫生服务能力建设", "research", "教科卫体委员会", 6),
    ("历史文化街区保护利用", "research", "文史和学习委员会", 7),
    ("河湖长制落实情况", "inspection", "农业农村委员会", 8),
    ("居家养老服务体系建设", "research", "社会法制委员会", 9),
    ("“八五”普法规划实施情况", "supervision", "社会法制委员会", 10),
]
ECONOMIC_ITEMS = [
    ("民营企业融资难问题调研", "research", 4),
    ("县级工业园区转型升级视察", "inspection", 6),
    ("农村电商发展情况调研", "research", 9),
    ("经济界别委员座谈", "sector", 11),
]
# (title, category, kind, plan item index or None, days before today (negative: ahead),
#  state, participants, report?)
ACTIVITIES = [
    ("全县农村生活污水治理情况专题视察", "inspection", "视察", 0, 240, "held", 8, False),
    ("县域义务教育优质均衡发展专题调研", "research", "调研", 1, 210, "held", 7, True),
    ("优化营商环境政策落实情况视察", "inspection", "视察", 2, 180, "held", 9, False),
    ("基层医疗卫生服务能力建设调研", "research", "调研", 3, 150, "held", 6, True),
    ("历史文化街区保护利用调研", "research", "调研", 4, 120, "held", 6, False),
    ("河湖长制落实情况联动视察", "inspection", "视察", 5, 90, "held", 8, True),
    ("民营企业融资难问题调研", "research", "调研", 8, 60, "held", 5, False),
    ("教育界别委员进校园活动", "sector", "界别活动", None, 45, "held", 6, False),
    ("城关镇委员小组走访企业", "other", "委员小组活动", None, 30, "held", 5, False),
    ("居家养老服务体系建设调研", "research", "调研", 6, -20, "open", 3, False),
    ("县级工业园区转型升级视察", "inspection", "视察", 9, -45, "planned", 0, False),
    ("委员读书分享会", "other", "其他", None, 75, "cancelled", 0, False),
]
JOINT = 5  # the joint inspection with the city committee
REPORTS = {
    1: (
        "关于推进县域义务教育优质均衡发展的调研报告",
        [("建议统筹城乡教师编制,建立县域内教师交流轮岗机制。", "县教育局"),
         ("建议加大乡村小规模学校投入,改善寄宿条件。", "县财政局")],
    ),
    3: (
        "关于提升基层医疗卫生服务能力的调研报告",
        [("建议推进县域医共体建设,下沉优质医疗资源。", "县卫生健康局"),
         ("建议完善乡村医生待遇保障,稳定基层队伍。", "县人力资源和社会保障局")],
    ),
    5: (
        "关于河湖长制落实情况的视察报告",
        [("建议建立跨县河道联防联治机制,开展联合巡河。", "县水利局"),
         ("建议将河湖管护纳入乡镇年度考核。", "县人民政府办公室")],
    ),
}  # fmt: skip


def _acting(user, committee, role):
    user.active_role = RoleAssignment.objects.filter(
        user=user, committee=committee, role=role
    ).first()
    return user


def seed_demo_activities(*, county, created):
    """Does nothing when the county already has activities or plans."""
    with scopes_disabled():
        if (
            Activity.objects.filter(committee=county).exists()
            or Plan.objects.filter(committee=county).exists()
        ):
            return
    today = timezone.localdate()
    rng = random.Random(SEED)
    with scopes_disabled(), transaction.atomic():
        city = county.parent
        staff = _acting(User.objects.get(username="staff"), county, Role.STAFF)
        city_staff = _acting(User.objects.get(username="staff"), city, Role.STAFF)
        member_user = User.objects.get(username="member")
        committees = {sc.name: sc for sc in SpecialCommittee.objects.filter(committee=county)}
        in_office = list(
            Membership.objects.filter(
                committee=county, term__number=10, status=MembershipStatus.IN_OFFICE
            )
            .exclude(person__user=member_user)
            .order_by("pk")
        )
        mine = (
            Membership.objects.filter(
                committee=county, person__user=member_user, status=MembershipStatus.IN_OFFICE
            )
            .order_by("-term__starts_on")
            .first()
        )
        city_members = list(
            Membership.objects.filter(committee=city, status=MembershipStatus.IN_OFFICE).order_by(
                "pk"
            )[:3]
        )

        topic_plan = services.plan_create(
            actor=staff,
            committee=county,
            data={
                "year": today.year,
                "kind": "topics",
                "note": "经县政协主席会议研究确定,报县委同意。",
            },
        )
        economic = committees.get("经济委员会")
        sc_plan = services.plan_create(
            actor=staff,
            committee=county,
            data={"year": today.year, "kind": "special_committee", "special_committee": economic},
        )
        items = []
        for topic, category, lead, month in TOPIC_ITEMS:
            items.append(
                services.plan_item_add(
                    actor=staff,
                    plan=topic_plan,
                    data={
                        "topic": topic,
                        "category": category,
                        "lead_special_committee": committees.get(lead),
                        "lead_chair": "",
                        "planned_month": month,
                    },
                )
            )
        for topic, category, month in ECONOMIC_ITEMS:
            items.append(
                services.plan_item_add(
                    actor=staff,
                    plan=sc_plan,
                    data={
                        "topic": topic,
                        "category": category,
                        "lead_special_committee": economic,
                        "planned_month": month,
                    },
                )
            )
        created["activity_plan"] += 2
        created["activity_planitem"] += len(items)

        for index, row in enumerate(ACTIVITIES):
            title, category, kind, item_index, days_ago, state, people, has_report = row
            starts_on = today - datetime.timedelta(days=days_ago)
            item = items[item_index] if item_index is not None else None
            activity = services.activity_create(
                actor=staff,
                committee=county,
                data={
                    "title": title,
                    "category": category,
                    "kind": kind,
                    "starts_on": starts_on,
                    "half_days": Decimal("1") if category == "inspection" else Decimal("2"),
                    "place": "示范县",
                    "special_committee": item.lead_special_committee if item else None,
                    "description": f"{title},听取有关部门情况介绍并实地察看。",
                },
                plan_item=item,
            )
            created["activity"] += 1
            chosen = rng.sample(in_office, people) if people else []
            if index == 0 and mine is not None:
                chosen.append(mine)  # the demo member's own record (我的活动)
            if chosen:
                services.participants_assign(
                    actor=staff, activity=activity, memberships=chosen[:1], role="lead"
                )
                services.participants_assign(actor=staff, activity=activity, memberships=chosen[1:])
            if state == "open":
                services.activity_act(actor=staff, activity=activity, action="open")
                continue
            if state == "planned":
                continue
            if state == "cancelled":
                services.activity_act(
                    actor=staff, activity=activity, action="cancel", note="因工作安排调整取消。"
                )
                continue
            activity = services.activity_act(actor=staff, activity=activity, action="hold")
            participations = list(
                Participation.objects.filter(activity=activity, committee=county).order_by("pk")
            )
            services.attendance_record(
                actor=staff,
                activity=activity,
                entries={
                    p.pk: {"attendance": "leave" if i == len(participations) - 1 else "attended"}
                    for i, p in enumerate(participations)
                },
            )
            if index == JOINT:
                services.activity_share(actor=staff, activity=activity, committee=city)
                created["activity_share"] += 1
                added = services.participants_assign(
                    actor=city_staff, activity=activity, memberships=city_members
                )
                services.attendance_record(
                    actor=city_staff,
                    activity=activity,
                    entries={p.pk: {"attendance": "attended"} for p in added},
                )
            if index in REPORTS:
                title_text, recommendations = REPORTS[index]
                services.report_create(
                    actor=staff,
                    activity=activity,
                    data={
                        "title": title_text,
                        "text": "(报告正文略)",
                        "written_on": min(starts_on + datetime.timedelta(days=20), today),
                    },
                    authors=chosen[:2],
                )
                created["activityreport"] += 1
                for text, addressee in recommendations:
                    recommendation_add(source=activity, text=text, addressee=addressee, actor=staff)
                    created["activity_recommendation"] += 1
        created["activity_participation"] += Participation.objects.filter(
            activity__committee=county
        ).count()


# Scale data (``zhengxie seed-scale``) -------------------------------------------------------

SCALE_ACTIVITIES = [  # (category, title, how many in the year, share of members taking part)
    ("inspection", "视察", 15, 0.30),
    ("research", "专题调研", 20, 0.32),
    ("sector", "界别活动", 16, 0.35),
    ("other", "委员小组活动", 34, 0.40),
]


def seed_scale_activities(*, committees, seed, created, year=None):
    """A full year of held activities for every scale committee — about 30 participations a
    member, each with its ledger row — so that a provincial year holds about a million ledger
    rows (the ``bench/points`` workload). Bulk inserts: the services would take hours."""
    from django.contrib.contenttypes.models import ContentType

    from zhengxie.activities.models import Attendance
    from zhengxie.activities.services import LEDGER_KIND
    from zhengxie.core.models import DutyRecord

    today = timezone.localdate()
    year = year or today.year
    last_day = min(today, datetime.date(year, 12, 31))
    activity_type = ContentType.objects.get_for_model(Activity)
    for i, committee in enumerate(committees):
        rng = random.Random(seed * 104729 + i)
        members = list(
            Membership.objects.filter(committee=committee).in_office().values_list("pk", flat=True)
        )
        plan = []
        for category, title, count, share in SCALE_ACTIVITIES:
            for n in range(1, count + 1):
                day = datetime.date(year, 1, 1) + datetime.timedelta(
                    days=rng.randint(0, (last_day - datetime.date(year, 1, 1)).days)
                )
                plan.append((category, f"{year}年{title}(第{n}次)", day, share))
        activities = Activity.objects.bulk_create(
            [
                Activity(
                    committee=committee,
                    title=title,
                    category=category,
                    kind=dict(SCALE_KINDS)[category],
                    starts_on=day,
                    ends_on=day,
                    half_days=Decimal("1"),
                    state="held",
                )
                for category, title, day, _share in plan
            ]
        )
        participations, ledger = [], []
        for activity, (category, _title, day, share) in zip(activities, plan, strict=True):
            kind, sub_kind = LEDGER_KIND[category]
            for membership_id in rng.sample(members, round(len(members) * share)):
                participations.append(
                    Participation(
                        committee=committee,
                        activity=activity,
                        membership_id=membership_id,
                        how="assigned",
                        attendance=Attendance.ATTENDED,
                    )
                )
                ledger.append(
                    DutyRecord(
                        committee=committee,
                        membership_id=membership_id,
                        kind=kind,
                        sub_kind=sub_kind,
                        occurred_on=day,
                        half_days=Decimal("1"),
                        role="participant",
                        source_type=activity_type,
                        source_id=activity.pk,
                        title=activity.title,
                    )
                )
        Participation.objects.bulk_create(participations, batch_size=5000)
        DutyRecord.objects.bulk_create(ledger, batch_size=5000)
        created["activity"] += len(activities)
        created["activity_participation"] += len(participations)


SCALE_KINDS = [
    ("inspection", "视察"),
    ("research", "调研"),
    ("sector", "界别活动"),
    ("other", "其他"),
]


def reset_scale_activities(committee_ids):
    from zhengxie.activities.models import ActivityHistory
    from zhengxie.core.models import DutyRecord

    DutyRecord._base_manager.filter(
        committee_id__in=committee_ids,
        kind__in=("inspection", "research", "activity", "supervision", "activity_report"),
    ).delete()
    Participation._base_manager.filter(committee_id__in=committee_ids).delete()
    ActivityHistory._base_manager.filter(committee_id__in=committee_ids).delete()
    Activity._base_manager.filter(committee_id__in=committee_ids).delete()
