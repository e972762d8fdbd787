"""Demo data for democratic supervision (民主监督) of the demo county.

Five groups of the current year delegated to five departments (3–5 members each; the demo
``member`` sits in the first), recommendation letters of three of them driven through
``zhengxie.supervision.services`` (two answered, one re-checked with the government's inspection
office), one multi-year special topic run jointly with the city committee, and one democratic
appraisal of ten departments. History, audit, ledger rows and notifications are the real ones.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from zhengxie.core.followup import recommendation_act
from zhengxie.core.models import Recommendation, Role, RoleAssignment, User
from zhengxie.core.scoping import scopes_disabled
from zhengxie.organisation.models import (
    Committee,
    HandlingUnit,
    Membership,
    MembershipStatus,
)
from zhengxie.supervision import services
from zhengxie.supervision.models import SupervisionGroup

CITY_CODE = "330000-DEMO-00"
TOPIC = {
    "title": "城乡生活垃圾分类专项民主监督",
    "description": "会同市政协开展为期三年的专项民主监督,聚焦垃圾分类设施建设、"
    "收运处置体系和群众参与情况。",
    "lead": "县政协副主席牵头",
}
GROUPS = [
    # (name, unit, members including the leader)
    ("第一民主监督小组", "县教育局", 5),
    ("第二民主监督小组", "县卫生健康局", 4),
    ("第三民主监督小组", "县住房和城乡建设局", 3),
    ("第四民主监督小组", "县农业农村局", 4),
    ("第五民主监督小组", "县生态环境分局", 3),
]
LETTERS = {
    # group index: (title, text, recommendations, answer, recheck)
    0: (
        "关于进一步加强中小学校园安全管理的民主监督建议书",
        "第一民主监督小组通过列席局务会议、实地察看12所中小学校和座谈走访,"
        "对县教育局校园安全管理工作进行了监督。总体看,校园安全责任体系基本健全,"
        "但部分农村学校安防设施老化、校车运行管理仍有薄弱环节。",
        [
            "加快农村学校安防设施更新改造",
            "完善校车运行动态监管平台",
            "加强学校心理健康教育师资配备",
        ],
        "我局高度重视监督建议,已将农村学校安防改造列入年度计划,校车监管平台于下半年上线运行,"
        "并通过公开招聘补充心理健康教师8名。",
        None,
    ),
    1: (
        "关于提升基层医疗卫生服务能力的民主监督建议书",
        "第二民主监督小组深入8个乡镇卫生院和部分村卫生室开展监督,听取县卫生健康局专题汇报。"
        "基层首诊能力仍然不足,医务人员引不进、留不住的问题较为突出。",
        ["完善乡镇卫生院人才引进和激励政策", "推进县域医共体信息系统互联互通"],
        "已出台基层卫生人才激励办法,医共体信息平台完成一期建设,实现检查结果互认。",
        {
            "participants": "第二民主监督小组成员、县政府督查室",
            "with_inspection_office": True,
            "findings": "人才激励办法已落地,医共体平台运行正常,个别卫生院设备配置仍需跟进。",
            "rating": "mostly",
        },
    ),
    2: (
        "关于加快老旧小区改造的民主监督建议书",
        "第三民主监督小组对县住房和城乡建设局老旧小区改造工作开展监督,"
        "实地察看在建小区6个,发现改造内容与居民需求衔接不够、后续管理机制不健全。",
        ["改造前充分征求居民意见", "同步建立长效物业管理机制"],
        "已建立改造项目居民议事制度,对已改造小区推行“红色物业”管理,覆盖率达到80%。",
        None,
    ),
}
APPRAISAL_UNITS = [
    ("县教育局", "93.5"),
    ("县卫生健康局", "91"),
    ("县住房和城乡建设局", "86.5"),
    ("县农业农村局", "88"),
    ("县生态环境分局", "84"),
    ("县交通运输局", "79.5"),
    ("县市场监督管理局", "82"),
    ("县人力资源和社会保障局", "90.5"),
    ("县民政局", "76"),
    ("县自然资源和规划局", "58.5"),
]


def _acting(user, committee, role):
    user.active_role = (
        RoleAssignment.objects.filter(user=user, committee=committee, role=role)
        .order_by("pk")
        .first()
    )
    return user


def _memberships(county, count):
    """In-office members of the current term, the demo ``member`` first, in a fixed order."""
    latest = (
        Membership.objects.filter(committee=county, status=MembershipStatus.IN_OFFICE)
        .order_by("-term__starts_on")
        .values_list("term_id", flat=True)
        .first()
    )
    people = list(
        Membership.objects.filter(
            committee=county, term_id=latest, status=MembershipStatus.IN_OFFICE
        )
        .select_related("person")
        .order_by("pk")
    )
    first = [m for m in people if m.person.user_id and m.person.user.username == "member"]
    rest = [m for m in people if m not in first]
    return (first + rest[::7])[:count]


def seed_demo_supervision(*, county, created):
    """Supervision groups, letters, a joint topic and an appraisal; nothing if any group exists."""
    with scopes_disabled():
        if SupervisionGroup.objects.filter(committee=county).exists():
            return
    today = timezone.localdate()
    year = today.year
    with scopes_disabled(), transaction.atomic():
        staff = _acting(User.objects.get(username="staff"), county, Role.STAFF)
        unit_user = User.objects.filter(username="unit").first()
        city = Committee.objects.get(code=CITY_CODE)
        topic = services.topic_create(
            actor=staff,
            committee=county,
            data={**TOPIC, "starts_year": year - 1, "ends_year": year + 1},
        )
        services.topic_share(actor=staff, topic=topic, committee=city)
        created["supervisiontopic"] += 1
        created["share"] += 1

        units = {u.name: u for u in HandlingUnit.objects.filter(committee=county)}
        pool = _memberships(county, sum(size for _n, _u, size in GROUPS))
        groups, start = [], 0
        for index, (name, unit_name, size) in enumerate(GROUPS):
            chosen = pool[start : start + size]
            start += size
            groups.append(
                services.group_create(
                    actor=staff,
                    committee=county,
                    data={
                        "year": year,
                        "name": name,
                        "unit": units[unit_name],
                        "topic": topic if index == len(GROUPS) - 1 else None,
                        "note": "",
                    },
                    leader=chosen[0],
                    members=chosen[1:],
                )
            )
            created["supervisiongroup"] += 1
            created["groupmember"] += size

        for index, (title, text, recs, answer, recheck) in LETTERS.items():
            group = groups[index]
            sent_on = today - datetime.timedelta(days=150 - 10 * index)
            letter = services.letter_create(
                actor=staff,
                group=group,
                data={
                    "title": title,
                    "text": text,
                    "due_on": sent_on + datetime.timedelta(days=60),
                },
                recommendations=recs,
            )
            created["supervisionletter"] += 1
            created["recommendation"] += len(recs)
            letter = services.letter_send(actor=staff, letter=letter, sent_on=sent_on)
            created["dutyrecord"] += group.group_members.count()
            answerer = staff
            if unit_user is not None and group.unit.name == "县教育局":
                answerer = _acting(unit_user, county, Role.UNIT)
            for rec in Recommendation.objects.filter(source_id=letter.pk).order_by("position"):
                if rec.source_type.model_class() is not type(letter):
                    continue
                recommendation_act(
                    recommendation=rec, action="answer", actor=answerer, text="已研究落实。"
                )
            letter = services.letter_answer(
                actor=answerer,
                letter=letter,
                text=answer,
                answered_on=sent_on + datetime.timedelta(days=45),
            )
            if recheck is not None:
                services.letter_recheck(
                    actor=staff,
                    letter=letter,
                    data={**recheck, "checked_on": sent_on + datetime.timedelta(days=120)},
                )
                created["recheck"] += 1

        appraisal = services.appraisal_create(
            actor=staff,
            committee=county,
            data={
                "year": year,
                "title": f"{year}年度政府部门民主评议",
                "method": "委员问卷测评与监督小组评价相结合,满分100分。",
            },
        )
        services.appraisal_set_scores(
            actor=staff,
            appraisal=appraisal,
            rows=[{"unit": units[name], "score": score} for name, score in APPRAISAL_UNITS],
        )
        created["appraisal"] += 1
        created["appraisalscore"] += len(APPRAISAL_UNITS)
