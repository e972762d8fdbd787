"""Demo data for 委员之家 (places): nine places of the demo county — the county's 委员之家, four
township 委员会客室 and four village points (eight in use, one being set up) — with a duty
roster for every month of the past year and the next month, 30 visits with 60 residents'
issues routed to public-opinion drafts, proposal drafts, units (some answered) or answered on
the spot, and three public messages waiting for moderation.

Everything goes through ``zhengxie.places.services`` (and the opinions, proposals and
follow-up services they call) under the proposals seeder's patched clock, so history, ledger
rows and audit entries carry the days the events happened.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from zhengxie.core.fields import digest
from zhengxie.core.followup import recommendation_act
from zhengxie.core.models import Role, RoleAssignment, User
from zhengxie.core.scoping import scopes_disabled
from zhengxie.demo.proposals import REAL_NOW, _acting, ensure_accounts, seeding_clock
from zhengxie.organisation.models import HandlingUnit, MemberGroup, Membership, MembershipStatus
from zhengxie.places import services
from zhengxie.places.models import ReceptionRoom, RoomKind, RoomLevel

ROOMS = [
    # name, kind, level, township, address, opened_on (None: being set up)
    ("县政协委员之家", RoomKind.HOME, RoomLevel.COUNTY, "", "县府路18号政协大楼一楼",
     datetime.date(2023, 3, 1)),
    ("城关镇委员会客室", RoomKind.PARLOUR, RoomLevel.TOWNSHIP, "城关镇", "城关镇人民路66号",
     datetime.date(2023, 5, 10)),
    ("凤鸣街道委员会客室", RoomKind.PARLOUR, RoomLevel.TOWNSHIP, "凤鸣街道",
     "凤鸣街道党群服务中心二楼", datetime.date(2023, 6, 1)),
    ("青石镇协商议事室", RoomKind.DELIBERATION, RoomLevel.TOWNSHIP, "青石镇",
     "青石镇便民服务中心", datetime.date(2024, 1, 15)),
    ("白沙镇委员会客室", RoomKind.PARLOUR, RoomLevel.TOWNSHIP, "白沙镇", "白沙镇文化站",
     datetime.date(2024, 4, 8)),
    ("下溪村委员联系点", RoomKind.CONTACT_POINT, RoomLevel.VILLAGE, "城关镇",
     "城关镇下溪村村委会", datetime.date(2024, 6, 1)),
    ("东山村委员联系点", RoomKind.CONTACT_POINT, RoomLevel.VILLAGE, "青石镇",
     "青石镇东山村文化礼堂", datetime.date(2024, 9, 1)),
    ("桥头社区协商议事室", RoomKind.DELIBERATION, RoomLevel.VILLAGE, "凤鸣街道",
     "凤鸣街道桥头社区服务站", datetime.date(2025, 3, 1)),
    ("后坞村委员联系点", RoomKind.CONTACT_POINT, RoomLevel.VILLAGE, "白沙镇",
     "白沙镇后坞村村委会", None),
]  # fmt: skip

ISSUES = [
    ("村口路灯损坏半年无人维修,群众夜间出行不便。", "路灯维修", "公共设施"),
    ("老旧小区加装电梯申请流程复杂,希望简化审批。", "老旧小区加装电梯", "城市更新"),
    ("农村公交班次少,老人到镇上看病不方便。", "农村公交班次", "交通出行"),
    ("集镇农贸市场周边占道经营,交通拥堵。", "集镇农贸市场秩序", "市场管理"),
    ("村里留守儿童放学后无人看管,希望开设托管班。", "留守儿童课后托管", "教育"),
    ("河道垃圾漂浮,汛期前需要清理。", "河道保洁", "生态环境"),
    ("小区停车位不足,车辆乱停影响消防通道。", "小区停车难", "城市管理"),
    ("村卫生室缺少常用药品,慢性病患者需跑到镇卫生院。", "村卫生室药品配备", "医疗卫生"),
    ("农产品销售渠道单一,希望搭建电商直播平台。", "农产品电商销售", "乡村振兴"),
    ("山塘水库年久失修,存在安全隐患。", "山塘水库除险加固", "水利"),
    ("居家养老服务中心活动少,老人参与度不高。", "居家养老服务", "养老"),
    ("学校门口上下学时段交通秩序混乱。", "校门口交通秩序", "交通安全"),
]
ON_SPOT_NOTES = [
    "委员当场解释了相关政策,群众表示理解。",
    "委员现场联系村干部,已明确处理时限。",
    "委员告知办理渠道和所需材料,群众表示满意。",
]
UNIT_ANSWERS = [
    "已安排专人现场查看,将于本月内完成整改。",
    "已列入今年民生实事项目,分步推进。",
]
MESSAGES = [
    "希望周末也能安排委员值班,上班族平时来不了。",
    "建议在会客室门口张贴值班委员名单和联系方式。",
    "小区旁边的工地晚上施工噪音很大,希望委员帮忙反映。",
]
MONTHS_BACK = 11  # the eleven months before this one, confirmed as served
VISITS = 30
ISSUES_PER_VISIT = 2
PENDING_ISSUES = 4
ROUTES = ("on_spot", "to_unit", "to_opinion", "to_proposal")


def _month_start(day, months_back):
    month = day.month - months_back
    year = day.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


def _first_wednesday(month_start):
    return month_start + datetime.timedelta(days=(2 - month_start.weekday()) % 7)


def _moment(day, hour):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _pools(county, rooms, demo_member):
    """Four members in office per place: its township group's first, else the county's."""
    in_office = list(
        Membership.objects.filter(committee=county, status=MembershipStatus.IN_OFFICE)
        .select_related("person")
        .order_by("pk")
    )
    pools, used = {}, set()
    for room in rooms:
        candidates = [m for m in in_office if room.group_id and m.group_id == room.group_id]
        candidates += [m for m in in_office if m not in candidates]
        pool = [m for m in candidates if m.pk not in used][:4]
        used.update(m.pk for m in pool)
        pools[room.pk] = pool
    county_room = rooms[0]
    if demo_member is not None and demo_member not in pools[county_room.pk]:
        pools[county_room.pk] = [demo_member, *pools[county_room.pk][:3]]
    return pools


def _unit_for(county, room):
    if room.township:
        unit = HandlingUnit.objects.filter(committee=county, name__startswith=room.township).first()
        if unit is not None:
            return unit
    return HandlingUnit.objects.filter(committee=county, name__endswith="民政局").first() or (
        HandlingUnit.objects.filter(committee=county).order_by("pk").first()
    )


def _public_users(county, created):
    users = []
    for i, phone in enumerate(("13800001001", "13800001002")):
        phone_digest = digest(phone)
        user, made = User.objects.get_or_create(
            username=f"p_{phone_digest[:12]}",
            defaults={"phone_digest": phone_digest, "display_name": f"公众138****100{i + 1}"},
        )
        if made:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            created["user"] += 1
        role, _made = RoleAssignment.objects.get_or_create(
            user=user,
            committee=county,
            role=Role.PUBLIC,
            defaults={"starts_on": datetime.date(2026, 1, 1)},
        )
        user.active_role = role
        users.append(user)
    return users


def seed_demo_places(*, county, created):
    """Create the demo county's places and their work (nothing if it has places already)."""
    with scopes_disabled(), transaction.atomic(), seeding_clock() as clock:
        if ReceptionRoom.objects.filter(committee=county).exists():
            return created
        today = REAL_NOW().astimezone(timezone.get_current_timezone()).date()
        staff = _acting(User.objects.get(username="staff"), county, Role.STAFF)
        demo_member_user = User.objects.filter(username="member").first()
        demo_member = (
            Membership.objects.filter(
                committee=county, person__user=demo_member_user, status=MembershipStatus.IN_OFFICE
            ).first()
            if demo_member_user
            else None
        )
        groups = {g.name: g for g in MemberGroup.objects.filter(committee=county)}

        # The register.
        clock.set(_moment(datetime.date(2023, 2, 20), 10))
        rooms = []
        for name, kind, level, township, address, opened_on in ROOMS:
            if opened_on is not None:
                clock.set(_moment(opened_on, 10))
            else:
                clock.set(_moment(today - datetime.timedelta(days=20), 10))
            room = services.room_create(
                actor=staff,
                committee=county,
                data={
                    "name": name,
                    "kind": kind,
                    "level": level,
                    "township": township,
                    "address": address,
                    "contact": "0579-8888" + str(len(rooms) + 1).zfill(4),
                    "group": groups.get(f"{township}活动小组"),
                    "is_public": True,
                },
                opened_on=opened_on,
            )
            rooms.append(room)
            created["place_room"] += 1
        in_use = [r for r in rooms if r.opened_on is not None]
        pools = _pools(county, in_use, demo_member)
        members, _units = ensure_accounts(
            committee=county,
            memberships=[m for pool in pools.values() for m in pool],
            units=[],
            starts_on=datetime.date(2022, 1, 1),
            created=created,
        )

        # Rosters: the first Wednesday of each month, two members in turn, planned a month
        # ahead; the past eleven months confirmed as served.
        served_shifts = []
        for back in range(MONTHS_BACK, -2, -1):
            start = _month_start(today, back)
            day = _first_wednesday(start)
            clock.set(_moment(min(start - datetime.timedelta(days=10), today), 9))
            for room in in_use:
                pool = pools[room.pk]
                turn = (MONTHS_BACK - back) % 2
                pair = [pool[2 * turn % len(pool)], pool[(2 * turn + 1) % len(pool)]]
                shift = services.shifts_create(
                    actor=staff,
                    room=room,
                    dates=[day],
                    half_day="am" if len(served_shifts) % 3 else "full",
                    memberships=pair,
                )[0]
                created["place_shift"] += 1
                if back > 0:
                    served_shifts.append(shift)

        for shift in sorted(served_shifts, key=lambda s: (s.date, s.pk)):
            clock.set(_moment(shift.date, 17))
            for sm in shift.shift_members.order_by("pk"):
                services.service_confirm(actor=staff, shift_member=sm)
                created["place_duty_served"] += 1

        # Visits and issues on every third served shift.
        visit_shifts = sorted(served_shifts, key=lambda s: (s.date, s.pk))[::3][:VISITS]
        issue_number = 0
        routed = []
        for v, shift in enumerate(visit_shifts):
            clock.set(_moment(shift.date, 11))
            pair = [sm.membership for sm in shift.shift_members.select_related("membership")]
            recorder = members[pair[0].pk]
            issues = []
            for _i in range(ISSUES_PER_VISIT):
                text, _topic, _field = ISSUES[issue_number % len(ISSUES)]
                issues.append(
                    {
                        "text": text,
                        "resident_name": ("陈", "周", "吴", "郑")[issue_number % 4] + "先生",
                        "contact": f"1390000{issue_number:04d}",
                    }
                )
                issue_number += 1
            visit = services.visit_record(
                actor=recorder,
                room=shift.room,
                shift=shift,
                date=shift.date,
                members=pair,
                residents_count=3 + v % 5,
                summary=f"委员{pair[0].person.name}、{pair[1].person.name}接待群众"
                f"{3 + v % 5}人次,记录反映问题{ISSUES_PER_VISIT}件。",
                issues=issues,
            )
            created["place_visit"] += 1
            created["place_issue"] += ISSUES_PER_VISIT
            routed += [(issue, recorder) for issue in visit.issues.order_by("pk")]

        for k, (issue, recorder) in enumerate(routed[: len(routed) - PENDING_ISSUES]):
            route = ROUTES[k % len(ROUTES)]
            _text, topic, _field = ISSUES[k % len(ISSUES)]
            day = issue.recorded_on + datetime.timedelta(days=0 if route == "on_spot" else 3)
            clock.set(_moment(min(day, today), 15))
            if route == "on_spot":
                services.issue_route(
                    actor=recorder,
                    issue=issue,
                    action="on_spot",
                    note=ON_SPOT_NOTES[k % len(ON_SPOT_NOTES)],
                )
            elif route == "to_unit":
                issue = services.issue_route(
                    actor=staff,
                    issue=issue,
                    action="to_unit",
                    unit=_unit_for(county, issue.room),
                    text=f"请核实处理并答复:{issue.text}",
                    due_on=issue.recorded_on + datetime.timedelta(days=30),
                )
                if k % 8 == 1:
                    unit_role = RoleAssignment.objects.filter(
                        committee=county, role=Role.UNIT, handling_unit=issue.unit
                    ).first()
                    answerer = unit_role.user if unit_role else staff
                    answerer.active_role = unit_role or staff.active_role
                    clock.set(_moment(min(day + datetime.timedelta(days=10), today), 16))
                    recommendation_act(
                        recommendation=issue.recommendation,
                        action="answer",
                        actor=answerer,
                        text=UNIT_ANSWERS[k % len(UNIT_ANSWERS)],
                    )
            elif route == "to_opinion":
                services.issue_route(
                    actor=recorder,
                    issue=issue,
                    action="to_opinion",
                    title=f"关于解决{topic}问题的建议",
                    situation=f"委员在{issue.room.name}接待时,群众反映:{issue.text}",
                    suggestion=f"建议有关部门尽快研究{topic}问题,明确责任和时限。",
                )
            else:
                services.issue_route(
                    actor=recorder,
                    issue=issue,
                    action="to_proposal",
                    title=f"关于进一步做好{topic}工作的提案",
                    situation=f"委员在{issue.room.name}接待时了解到:{issue.text}",
                    suggestions=f"一是摸清{topic}底数;二是落实部门责任;三是建立长效机制。",
                )
            created[f"place_issue_{route}"] += 1

        # Public messages waiting for moderation.
        clock.set(None)
        public = _public_users(county, created)
        for i, text in enumerate(MESSAGES):
            services.message_submit(
                committee=county, room=in_use[i % 3 + 1], text=text, author=public[i % 2]
            )
            created["place_message"] += 1
    return created
