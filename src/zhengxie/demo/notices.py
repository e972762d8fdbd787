"""Demo data for 通知公告 (notices): seven notices the demo county's office sent this year —
a standing-committee meeting, study training, a sector inspection, a township group's
consultation, a withdrawn schedule change, a call for proposal leads that asks for a 回执, and
a recent request for duty reports — plus one draft. Most members read the older ones (some
after a reminder), the recent one is still mostly unread, and a few members without a
platform account stay unread (无平台账号).

Everything goes through ``zhengxie.notices.services`` under the proposals seeder's patched
clock, so sending, reading, acknowledging and reminding carry the moments they happened.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from zhengxie.core.models import Role, User
from zhengxie.core.scoping import scopes_disabled
from zhengxie.demo.proposals import REAL_NOW, _acting, ensure_accounts, seeding_clock
from zhengxie.notices import services
from zhengxie.notices.models import Notice
from zhengxie.organisation.models import MemberGroup, Membership, MembershipStatus, Sector

SEED = 20261124
NO_ACCOUNT_EVERY = 15  # one seat in fifteen (without a login yet) stays without an account


class Spec:
    def __init__(self, days_back, title, body, audience, read_share, **extra):
        self.days_back, self.title, self.body = days_back, title, body
        self.audience, self.read_share = audience, read_share
        self.reply_days = extra.get("reply_days")
        self.ack_share = extra.get("ack_share", 0)
        self.withdraw_note = extra.get("withdraw_note", "")
        self.remind = extra.get("remind", True)


NOTICES = [
    Spec(
        250,
        "关于召开县政协第十届常务委员会第十五次会议的通知",
        "各位常委:\n经县政协主席会议研究,定于近期召开县政协第十届常务委员会第十五次会议。"
        "会议主要议程:听取县人民政府关于全县营商环境优化提升工作情况的通报;"
        "协商讨论关于推进县域商业体系建设的建议案;审议有关人事事项。\n"
        "请各位常委准时出席,因故不能参会的请提前在平台上请假。",
        {"by": "standing"},
        0.95,
    ),
    Spec(
        200,
        "关于开展2026年度政协委员学习培训的通知",
        "各位委员:\n为进一步提高委员履职能力,县政协定于下月举办2026年度委员学习培训班,"
        "内容包括习近平总书记关于加强和改进人民政协工作的重要思想、提案撰写与社情民意信息报送实务等。"
        "培训分两期进行,请各位委员根据工作安排选择一期参加,并在本周内向办公室报名。",
        {"by": "all"},
        0.9,
    ),
    Spec(
        150,
        "关于组织教育界委员开展“双减”政策落实情况专题视察的通知",
        "教育界各位委员:\n根据年度视察计划,县政协将组织教育界委员对全县“双减”政策落实情况开展专题视察,"
        "实地察看部分中小学课后服务和校外培训机构治理情况,并与县教育局座谈交流。"
        "请参加视察的委员提前熟悉相关政策,视察当天上午8时30分在县政协门口集中乘车。",
        {"by": "sector", "sector": "教育界"},
        0.85,
    ),
    Spec(
        95,
        "关于参加城关镇“请你来协商”活动的通知",
        "城关镇活动小组各位委员:\n城关镇委员会客室定于本月下旬开展“请你来协商”活动,"
        "围绕老旧小区加装电梯和停车难问题,与镇政府及有关部门负责同志、居民代表面对面协商。"
        "请各位委员提前走访了解群众意见,准备好协商发言。",
        {"by": "group", "group": "城关镇活动小组"},
        0.8,
    ),
    Spec(
        60,
        "关于调整委员学习讲座时间的通知",
        "各位委员:\n原定本周五下午举办的委员学习讲座时间调整为下周二下午2时30分,地点不变。",
        {"by": "all"},
        0.3,
        withdraw_note="讲座时间再次调整,另行通知",
        remind=False,
    ),
    Spec(
        30,
        "关于征集县政协十届六次会议提案线索的通知",
        "各位委员:\n县政协十届六次会议即将召开。为提高提案质量,现向全体委员征集提案线索,"
        "请围绕县委县政府中心工作和群众关心的民生问题,深入调查研究,每位委员至少提出一条提案线索。"
        "请在回执截止日期前点“已知悉”回执,并可在回复中简要说明拟提提案方向。",
        {"by": "all"},
        0.75,
        reply_days=40,
        ack_share=0.8,
    ),
    Spec(
        4,
        "关于报送2026年度委员履职情况的通知",
        "各位委员:\n根据委员履职管理办法,请各位委员对照本人履职档案,核对本年度参加会议、"
        "提交提案和社情民意信息、参加视察调研等情况,如有遗漏请于本月底前通过平台申请补录。",
        {"by": "all"},
        0.35,
        remind=False,
    ),
]
DRAFT = Spec(
    0,
    "关于召开县政协十届六次会议的预备通知",
    "各位委员:\n县政协十届六次会议拟于明年一月上旬召开,具体时间另行通知。"
    "请各位委员提前安排好工作,做好参会准备。",
    {"by": "all"},
    0,
)
REPLIES = [
    "已知悉,拟就农村养老服务提出提案。",
    "收到,将围绕中小学课后服务提交提案线索。",
    "已知悉。",
    "收到,拟关注县域物流体系建设。",
    "已知悉,近期将深入企业调研后报送。",
]


def _moment(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _audience(county, spec):
    data = {"by": spec.audience["by"], "memberships": []}
    if "sector" in spec.audience:
        data["sector"] = Sector.objects.filter(
            committee=county, name=spec.audience["sector"]
        ).first()
    if "group" in spec.audience:
        data["group"] = MemberGroup.objects.filter(
            committee=county, name=spec.audience["group"]
        ).first()
    if data["by"] in ("sector", "group") and data.get(data["by"]) is None:
        data = {"by": "all", "memberships": []}
    return data


def _data(county, spec, sent_on):
    return {
        "title": spec.title,
        "body": spec.body,
        **_audience(county, spec),
        "reply_required": spec.reply_days is not None,
        "reply_by": sent_on + datetime.timedelta(days=spec.reply_days) if spec.reply_days else None,
    }


def _accounts(county, created):
    """Member logins for the members in office (except one in fifteen of those without one
    yet), by membership id."""
    in_office = list(
        Membership.objects.filter(committee=county, status=MembershipStatus.IN_OFFICE)
        .select_related("person")
        .order_by("pk")
    )
    # By position, not by id: ids differ between databases (PostgreSQL never reuses them).
    wanted = [m for i, m in enumerate(in_office, 1) if m.person.user_id or i % NO_ACCOUNT_EVERY]
    users = ensure_accounts(
        committee=county,
        memberships=wanted,
        units=[],
        starts_on=datetime.date(2022, 1, 1),
        created=created,
    )[0]
    acting = {pk: _acting(user, county, Role.MEMBER) for pk, user in users.items()}
    # A leader's login linked to their seat acts as chair, not as a member: no receipts.
    return {pk: user for pk, user in acting.items() if user.active_role is not None}


def _reads(rng, spec, recipients, members, keep_unread, window):
    """(delay, recipient, acknowledges) for the members who read the notice."""
    readable = [r for r in recipients if r.membership_id in members]
    readable = [r for r in readable if members[r.membership_id].pk not in keep_unread]
    chosen = rng.sample(readable, round(spec.read_share * len(readable)))
    reads = []
    for r in chosen:
        quick = rng.random() < 0.7
        share = rng.uniform(0.01, 0.15) if quick else rng.uniform(0.2, 1)
        reads.append((window * share, r, rng.random() < spec.ack_share))
    return sorted(reads, key=lambda x: (x[0], x[1].pk))


def seed_demo_notices(*, county, created):
    """Create the demo county's notices and their receipts (nothing if it has notices)."""
    with scopes_disabled(), transaction.atomic(), seeding_clock() as clock:
        if Notice.objects.filter(committee=county).exists():
            return created
        rng = random.Random(SEED)
        now = REAL_NOW()
        today = now.astimezone(timezone.get_current_timezone()).date()
        first_day = datetime.date(today.year, 1, 2)
        staff = _acting(User.objects.get(username="staff"), county, Role.STAFF)
        members = _accounts(county, created)
        demo_member = User.objects.filter(username="member").values_list("pk", flat=True)
        for spec in NOTICES:
            sent_on = max(today - datetime.timedelta(days=spec.days_back), first_day)
            sent_at = min(_moment(sent_on, 9, 30), now - datetime.timedelta(hours=2))
            clock.set(sent_at - datetime.timedelta(hours=1))
            notice = services.notice_create(
                actor=staff, committee=county, data=_data(county, spec, sent_on)
            )
            clock.set(sent_at)
            notice = services.notice_send(actor=staff, notice=notice)
            created["notice"] += 1
            recipients = list(notice.recipients.order_by("pk"))
            created["notice_recipient"] += len(recipients)
            # The demo member leaves the newest notices unread (the badge) and the 回执 open.
            keep = set(demo_member) if spec.days_back <= 30 else set()
            end = now - datetime.timedelta(hours=1)
            if spec.withdraw_note:
                end = sent_at + datetime.timedelta(hours=20)
            window = min(end - sent_at, datetime.timedelta(days=6))
            reads = _reads(rng, spec, recipients, members, keep, window)
            reminder_at = sent_at + datetime.timedelta(hours=26)
            reminded = not (spec.remind and reminder_at < end)
            for delay, recipient, acknowledges in reads:
                moment = sent_at + delay
                if not reminded and moment > reminder_at:
                    clock.set(reminder_at)
                    services.notice_remind(actor=staff, notice=notice)
                    created["notice_reminder"] += 1
                    reminded = True
                user = members[recipient.membership_id]
                clock.set(moment)
                services.notice_open(actor=user, notice=notice)
                created["notice_read"] += 1
                if acknowledges:
                    clock.set(moment + datetime.timedelta(minutes=3))
                    services.notice_acknowledge(
                        actor=user, notice=notice, reply=REPLIES[recipient.pk % len(REPLIES)]
                    )
                    created["notice_acknowledged"] += 1
            if spec.withdraw_note:
                clock.set(end)
                services.notice_withdraw(actor=staff, notice=notice, note=spec.withdraw_note)
                created["notice_withdrawn"] += 1
        clock.set(now - datetime.timedelta(minutes=30))
        services.notice_create(actor=staff, committee=county, data=_data(county, DRAFT, today))
        created["notice_draft"] += 1
    return created
