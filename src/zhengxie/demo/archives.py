"""Demo data for 文史资料 (archives): two collection campaigns of the demo county — the closed
「示范县茶业百年」 and the open 「百年老街记忆」 — with 20 materials from members and outside
contributors (texts, photos — one batch of 300 —, scans, oral-history recordings), one volume
published from the tea campaign (《茶乡记忆》, 第11辑) and one in editing (《百年老街》, 第12辑),
and the committee's periodical 《政协之声》 with last year's issues and this year's so far.

Everything goes through ``zhengxie.archives.services`` under the proposals seeder's patched
clock, so history, ledger rows and audit entries carry the days the events happened; the demo
member submits two of their own materials.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from zhengxie.archives import services
from zhengxie.archives.models import Campaign
from zhengxie.core.models import Role, User
from zhengxie.core.scoping import scopes_disabled
from zhengxie.demo.proposals import REAL_NOW, _acting, ensure_accounts, seeding_clock
from zhengxie.organisation.models import Membership, MembershipStatus, SpecialCommittee

TEA, STREET = "tea", "street"
CAMPAIGNS = {
    # key: theme, call text, opens (days ago), deadline (days ago; negative: ahead); the tea
    # campaign is closed after its deadline, the old-street one still collects.
    TEA: (
        "示范县茶业百年",
        "为系统记录我县茶叶种植、加工和流通的百年历程,县政协文史和学习委员会面向社会征集"
        "有关茶厂、茶场、供销社茶叶收购站和名茶品牌的文字回忆、老照片、档案票证和亲历者口述。"
        "来稿请注明出处,并签署授权书。",
        720,
        420,
    ),
    STREET: (
        "百年老街记忆",
        "城关老街是我县保存最完整的历史街区。为抢救老街的历史记忆,现面向全县委员和社会各界"
        "征集老街商号、手工作坊、民俗活动的文字资料、老照片、旧地图和口述回忆。"
        "照片请尽量注明拍摄年代和地点;口述史可由文史委工作人员上门录音整理。",
        240,
        -60,
    ),
}
# (campaign or None, title, kind, words, images, minutes, contributor, received (days ago),
#  consent, outcome) — contributor: ("m", index) a member (0: the demo member, who submits
#  their own while the campaign collects) or ("o", name, phone, affiliation); outcome:
#  accepted / submitted / returned (with the reason).
MATERIALS = [
    (TEA, "县茶厂建厂始末", "text", 7600, 0, None, ("m", 1), 660, True, "accepted"),
    (TEA, "我的父亲是第一代制茶师", "text", 5200, 6, None, ("m", 2), 640, True, "accepted"),
    (TEA, "老茶厂生产车间旧照", "photos", 0, 86, None,
     ("o", "赵永康", "13857901234", "县茶厂退休职工"), 610, True, "accepted"),
    (TEA, "1958年县茶叶收购台账", "scans", 3100, 42, None,
     ("o", "王卫东", "13957902345", "县档案馆"), 590, True, "accepted"),
    (TEA, "茶山岁月——东山村老茶农口述", "oral", 11800, 0, 95,
     ("o", "钱阿根", "13757903456", "青石镇东山村茶农"), 560, True, "accepted"),
    (TEA, "“云山翠芽”名茶的由来", "text", 4300, 3, None, ("m", 3), 520, True, "accepted"),
    (TEA, "供销社茶叶收购站记忆", "text", 3600, 0, None, ("m", 4), 470, False, "accepted"),
    (STREET, "老街商号一览(1930—1956)", "text", 8200, 0, None, ("m", 0), 200, True, "accepted"),
    (STREET, "老街百年影像", "photos", 0, 300, None,
     ("o", "陈国华", "13605791234", "县摄影家协会会员"), 190, True, "accepted"),
    (STREET, "城关老街石板路修缮记", "text", 3900, 12, None, ("m", 5), 170, True, "accepted"),
    (STREET, "回春堂药铺三代人", "text", 5600, 4, None, ("m", 6), 150, True, "accepted"),
    (STREET, "老街裁缝铺的故事", "oral", 7400, 0, 62,
     ("o", "孙美英", "13505792345", "老街居民"), 130, True, "accepted"),
    (STREET, "老街店招与门楣拓片", "scans", 0, 48, None,
     ("o", "周建平", "13305793456", "县博物馆"), 110, True, "accepted"),
    (STREET, "老街端午龙舟赛记事", "mixed", 4100, 24, None, ("m", 2), 95, True, "accepted"),
    (STREET, "老街消防水龙会", "text", 3000, 2, None, ("m", 7), 80, True, "accepted"),
    (STREET, "老街茶馆里的评话", "text", 2100, 0, None, ("m", 8), 60, True,
     "returned:请补充评话艺人的姓名和演出的具体年代。"),
    (STREET, "老街上的打铁铺", "text", 2800, 5, None, ("m", 9), 30, True, "submitted"),
    (STREET, "老街旧地图(1947年)", "scans", 500, 2, None,
     ("o", "吴振华", "13905794567", "退休教师"), 20, True, "submitted"),
    (STREET, "我记忆中的老街电影院", "text", 3300, 2, None, ("m", 0), 8, True, "submitted"),
    (None, "县政协成立初期工作回忆", "text", 6400, 8, None, ("m", 10), 300, True, "accepted"),
]  # fmt: skip
VOLUMES = [
    # title, series number, campaign, chapters [(title, [material titles])], published
    (
        "茶乡记忆",
        "第11辑",
        TEA,
        [
            ("茶厂春秋", ["县茶厂建厂始末", "我的父亲是第一代制茶师", "老茶厂生产车间旧照"]),
            ("茶山人家", ["茶山岁月——东山村老茶农口述", "“云山翠芽”名茶的由来"]),
            ("史料辑存", ["1958年县茶叶收购台账"]),
        ],
        True,
    ),
    (
        "百年老街",
        "第12辑",
        STREET,
        [
            ("老街商号", ["老街商号一览(1930—1956)", "回春堂药铺三代人"]),
            ("街巷旧影", ["老街百年影像", "老街店招与门楣拓片", "城关老街石板路修缮记"]),
            ("市井风情", ["老街裁缝铺的故事", "老街端午龙舟赛记事", "老街消防水龙会"]),
        ],
        False,
    ),
]
SERIES = "示范县文史资料"
ISSUE_THEMES = [
    "新春特刊",
    "全会特刊",
    "协商议政",
    "委员风采",
    "民主监督在行动",
    "文史天地",
    "委员履职故事",
    "界别之声",
    "年终特刊",
]
ISSUE_MONTHS = (1, 3, 5, 7, 9, 11)


def _moment(day, hour=10):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _contributors(county):
    """The demo member first, then other members in office (with logins for those who submit
    their own materials)."""
    member_user = User.objects.filter(username="member").first()
    in_office = Membership.objects.filter(
        committee=county, status=MembershipStatus.IN_OFFICE
    ).select_related("person")
    mine = in_office.filter(person__user=member_user).order_by("-term__starts_on").first()
    others = list(in_office.exclude(pk=mine.pk if mine else None).order_by("pk")[:12])
    return [mine or others.pop(0), *others]


def _submit(*, staff, county, campaign, row, members, users, clock, today):
    _c, title, kind, words, images, minutes, who, days_ago, consent, _outcome = row
    received = today - datetime.timedelta(days=days_ago)
    clock.set(_moment(received))
    data = {
        "campaign": campaign,
        "title": title,
        "kind": kind,
        "word_count": words,
        "image_count": images,
        "duration_minutes": minutes,
        "received_on": received,
        "consent_given": consent,
        "consent_terms": "同意县政协在文史资料编研、出版和展览中无偿使用。" if consent else "",
    }
    if who[0] == "m":
        membership = members[who[1]]
        data["rights_holder"] = membership.person.name if consent else ""
        if who[1] == 0 and campaign is not None and services.campaign_collecting(campaign):
            return services.material_submit(actor=users[membership.pk], committee=county, data=data)
        data["membership"] = membership
    else:
        _kind, name, phone, affiliation = who
        data.update(
            contributor_name=name,
            contributor_phone=phone,
            contributor_affiliation=affiliation,
            rights_holder=name if consent else "",
        )
    return services.material_submit(actor=staff, committee=county, data=data)


def _review(*, staff, material, outcome, clock):
    """Staff decide a week after the material came in (or not yet)."""
    if outcome == "submitted":
        return material
    clock.set(_moment(material.received_on + datetime.timedelta(days=7), 15))
    if outcome == "accepted":
        return services.material_act(actor=staff, material=material, action="accept")
    reason = outcome.split(":", 1)[1]
    return services.material_act(actor=staff, material=material, action="return", note=reason)


def _volumes(*, staff, county, campaigns, by_title, chief, clock, today, created):
    for title, number, key, chapters, published in VOLUMES:
        campaign = campaigns[key]
        start = (
            campaign.deadline + datetime.timedelta(days=10)
            if published
            else (today - datetime.timedelta(days=40))
        )
        clock.set(_moment(min(start, today)))
        volume = services.volume_create(
            actor=staff,
            committee=county,
            data={
                "title": title,
                "series": SERIES,
                "number": number,
                "campaign": campaign,
                "chief_editor": chief,
                "editors": [staff],
            },
        )
        created["archive_volume"] += 1
        for chapter_title, titles in chapters:
            chapter = services.chapter_add(actor=staff, volume=volume, title=chapter_title)
            services.chapter_place(
                actor=staff, chapter=chapter, materials=[by_title[t] for t in titles]
            )
            created["archive_chapter"] += 1
        clock.set(_moment(min(start + datetime.timedelta(days=30), today)))
        volume = services.volume_act(actor=staff, volume=volume, action="start_editing")
        if published:
            published_on = today - datetime.timedelta(days=45)
            clock.set(_moment(published_on, 16))
            services.volume_act(
                actor=staff,
                volume=volume,
                action="publish",
                published_on=published_on,
                print_run=1500,
                note="内部资料,赠送委员、各乡镇(街道)和县图书馆。",
            )
            created["archive_volume_published"] += 1


def _periodical(*, staff, county, clock, today, created):
    periodical = services.periodical_create(
        actor=staff,
        committee=county,
        name="政协之声",
        description="县政协机关刊物,双月刊,每期印发800份,赠送委员和有关部门。",
    )
    days = [datetime.date(today.year - 1, m, 20) for m in ISSUE_MONTHS]
    days += [d for m in ISSUE_MONTHS if (d := datetime.date(today.year, m, 20)) <= today]
    if days[-1].year != today.year:  # early January: the first issue of the year is out today
        days.append(today)
    for i, day in enumerate(days):
        clock.set(_moment(day, 9))
        services.issue_create(
            actor=staff,
            periodical=periodical,
            data={
                "published_on": day,
                "copies": 800,
                "title": ISSUE_THEMES[(i + day.month) % len(ISSUE_THEMES)],
            },
        )
        created["archive_issue"] += 1


def seed_demo_archives(*, county, created):
    """Create the demo county's 文史资料 (nothing if it has campaigns already)."""
    with scopes_disabled(), transaction.atomic(), seeding_clock() as clock:
        if Campaign.objects.filter(committee=county).exists():
            return created
        today = REAL_NOW().astimezone(timezone.get_current_timezone()).date()
        staff = _acting(User.objects.get(username="staff"), county, Role.STAFF)
        wenshi = SpecialCommittee.objects.filter(committee=county, name="文史和学习委员会").first()
        members = _contributors(county)
        users, _units = ensure_accounts(
            committee=county,
            memberships=members[:1],
            units=[],
            starts_on=datetime.date(2022, 1, 1),
            created=created,
        )
        for membership in members[:1]:
            _acting(users[membership.pk], county, Role.MEMBER)

        campaigns = {}
        for key, (theme, call_text, opens, deadline) in CAMPAIGNS.items():
            opens_on = today - datetime.timedelta(days=opens)
            clock.set(_moment(opens_on - datetime.timedelta(days=5)))
            campaigns[key] = services.campaign_create(
                actor=staff,
                committee=county,
                data={
                    "theme": theme,
                    "call_text": call_text,
                    "opens_on": opens_on,
                    "deadline": today - datetime.timedelta(days=deadline),
                    "special_committee": wenshi,
                },
            )
            created["archive_campaign"] += 1

        by_title = {}
        tea_closed = False
        for row in sorted(MATERIALS, key=lambda r: -r[7]):
            if not tea_closed and row[7] < CAMPAIGNS[TEA][3]:
                # The tea campaign closes the day after its deadline, before later materials.
                clock.set(_moment(campaigns[TEA].deadline + datetime.timedelta(days=1), 9))
                campaigns[TEA] = services.campaign_act(
                    actor=staff, campaign=campaigns[TEA], action="close", note="征集期满"
                )
                tea_closed = True
            material = _submit(
                staff=staff,
                county=county,
                campaign=campaigns[row[0]] if row[0] else None,
                row=row,
                members=members,
                users=users,
                clock=clock,
                today=today,
            )
            by_title[material.title] = _review(
                staff=staff, material=material, outcome=row[9], clock=clock
            )
            created["archive_material"] += 1

        _volumes(
            staff=staff,
            county=county,
            campaigns=campaigns,
            by_title=by_title,
            chief=members[3],
            clock=clock,
            today=today,
            created=created,
        )
        _periodical(staff=staff, county=county, clock=clock, today=today, created=created)
        clock.set(None)
    return created
