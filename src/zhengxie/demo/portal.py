"""Demo data for 门户与宣传 (portal): the demo county's portal introduction and contact, ten
news items (eight published, seven of them with pictures; one waiting for review; one draft
returned by the reviewer with a reason), fifteen members who consented to be listed (each
with their own choice of fields, six with a photo) and thirty media reports of this year
across the four media levels.

Everything goes through ``zhengxie.portal.services`` under the proposals seeder's patched
clock, so history and audit rows carry the days things happened. The pictures are drawn here
(plain PNG, no imaging library needed).
"""

import datetime
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhengxie.core.models import Role, RoleAssignment, User
from zhengxie.core.scoping import scopes_disabled
from zhengxie.demo.proposals import REAL_NOW, _acting, ensure_accounts, seeding_clock
from zhengxie.organisation.models import Membership, MembershipStatus
from zhengxie.portal import services
from zhengxie.portal.models import CommitteeProfile, MediaLevel, NewsItem

INTRODUCTION = "\n\n".join(
    [
        (
            "政协示范县委员会是中国人民政治协商会议在示范县的地方委员会,是在中国共产党领导下"
            ",由全县各民主党派、无党派人士、人民团体和各族各界代表人士组成的统一战线组织,是"
            "社会主义协商民主的重要渠道和专门协商机构。"
        ),
        (
            "第十届县政协现有委员250名,分为中共、民主党派、无党派人士、人民团体和经济、教"
            "育、科技、医药卫生、农业等界别,设提案委员会、经济委员会、农业农村委员会、教科卫"
            "体委员会、社会法制委员会、文史和学习委员会等专门委员会,在全县15个乡镇(街道)"
            "设立委员活动小组。"
        ),
        (
            "县政协围绕县委中心工作和全县发展大局,履行政治协商、民主监督、参政议政职能,深化"
            "“请你来协商”“委员会客室”等基层协商品牌建设,每年开展专题协商、对口协商、界别"
            "协商和提案办理协商十余场次,办理委员提案、报送社情民意信息,为建设共同富裕示范县"
            "凝心聚力、建言献策。"
        ),
    ]
)

CONTACT = {
    "address": "示范县县府路18号政协大楼",
    "phone": "0579-88881234",
    "email": "office@zhengxie.shifan.example",
    "office_hours": "工作日 8:30—12:00,14:30—17:30",
}

# (title, category, summary, paragraphs, days before today, pictures: [(caption, palette)])
NEWS = [
    (
        "县政协召开“推进农村生活污水治理”专题协商会",
        "consultation",
        "县政协围绕农村生活污水治理开展专题协商,16名委员、8个部门负责人参加。",
        [
            "近日,县政协召开“推进农村生活污水治理”专题协商会。县政协主席主持会议,县政府分管副县长到会听取意见并讲话。",
            "会前,县政协组织农业农村委员会和部分委员,深入8个乡镇、23个行政村开展专题调研,实地察看设施运行情况,召开座谈会6场,梳理出运维资金不足、管网破损、专业人员缺乏等问题。",
            "会上,16名委员和特邀群众代表围绕建立长效运维机制、推进城乡污水处理一体化、加强第三方运维监管等建言献策,县住建局、农业农村局等部门负责人现场作答。",
            "会议形成的协商成果将以专报形式报送县委、县政府,并由县政协跟踪办理落实情况。",
        ],
        6,
        [("专题协商会现场,委员发言建言", "red"), ("委员在青石镇察看农村污水处理设施", "green")],
    ),
    (
        "县政协开展“优化营商环境政策落实情况”民主监督视察",
        "work",
        "视察组走访园区企业和政务服务中心,听取企业诉求。",
        [
            "为推动优化营商环境各项政策落地见效,县政协组织部分委员开展民主监督视察。",
            "视察组先后来到县经济开发区、县政务服务中心和5家民营企业,详细了解惠企政策兑现、审批提速、要素保障等情况,听取企业负责人的意见建议。",
            "委员们建议,进一步推行惠企政策“免申即享”,完善企业诉求闭环办理机制,加大对中小微企业的融资支持力度。",
        ],
        14,
        [("视察组在企业生产车间了解生产经营情况", "blue")],
    ),
    (
        "“请你来协商”走进凤鸣街道:老旧小区加装电梯难题有了新解",
        "consultation",
        "委员、部门负责人与居民代表面对面协商老旧小区加装电梯问题。",
        [
            "日前,县政协“请你来协商”平台走进凤鸣街道,围绕老旧小区加装电梯开展协商。",
            "协商中,居民代表讲出了意见难统一、审批环节多、资金筹措难等烦心事,县住建局、自然资源局等部门负责人逐一回应,明确将推出加装电梯“一件事”联办和专项补助。",
            "参加协商的委员表示,将持续跟踪协商成果落实,推动更多小区加装电梯。",
        ],
        21,
        [("协商会上居民代表发言", "orange")],
    ),
    (
        "县政协举办委员履职能力提升培训班",
        "work",
        "培训围绕提案撰写、社情民意信息报送和协商议政开展。",
        [
            "为进一步提升委员履职能力,县政协举办委员履职能力提升培训班,全体县政协委员参加培训。",
            "培训班邀请市政协有关负责同志作专题辅导,围绕如何撰写高质量提案、如何报送社情民意信息、如何在协商中建言资政等进行讲解,并组织委员分组交流履职经验。",
            "参训委员纷纷表示,将学用结合,在调查研究中发现问题,在协商议政中提出真知灼见。",
        ],
        30,
        [("培训班现场", "purple"), ("委员分组交流履职体会", "teal")],
    ),
    (
        "医药卫生界委员开展“送医下乡”界别活动",
        "members",
        "12名医药卫生界委员走进松岭乡,为群众义诊300余人次。",
        [
            "县政协医药卫生界委员来到松岭乡开展“送医下乡”界别活动。",
            "委员们发挥专业优势,为村民开展义诊、健康咨询和慢性病用药指导,现场发放健康宣传资料500余份,为群众义诊300余人次。",
            "活动中,委员们还走访了乡卫生院和两个村卫生室,了解基层医疗卫生服务能力建设情况,将收集到的问题形成社情民意信息报送。",
        ],
        38,
        [("委员为村民义诊", "green")],
    ),
    (
        "委员风采|扎根乡村二十年的“田秀才”",
        "members",
        "农业界委员带领村民发展特色种植,带动200余户增收。",
        [
            "在白沙镇后坞村,提起县政协委员、农业技术推广站站长,村民们都亲切地称他为“田秀才”。",
            "二十年来,他跑遍全县的田间地头,推广高效种植模式,带领村民发展特色水果种植,带动200余户农户增收。",
            "作为政协委员,他围绕农产品品牌建设、农村电商发展等提出提案8件,其中2件被列为重点提案。他说:“委员的履职阵地就在田野上。”",
        ],
        47,
        [("委员在果园指导村民修剪果树", "orange")],
    ),
    (
        "县政协召开提案办理协商会",
        "work",
        "重点提案提案人、承办单位面对面协商办理工作。",
        [
            "县政协召开重点提案办理协商会,部分重点提案的提案人与承办单位负责人面对面沟通交流。",
            "会上,承办单位通报了提案办理进展,提案人对办理工作提出了意见建议。县政协提案委员会要求,各承办单位要坚持办前沟通、办中协商、办后反馈,切实提高提案办理质量。",
        ],
        62,
        [("提案办理协商会现场", "blue")],
    ),
    (
        "关于征集县政协{next}年度协商议题的公告",
        "notice",
        "即日起面向社会公开征集下一年度协商议题。",
        [
            "为进一步提高协商议政的针对性和实效性,县政协即日起面向社会公开征集{next}年度协商议题。",
            "议题应围绕全县经济社会发展中的重点难点问题和群众关心的民生问题,一事一题,写明题目、理由和建议。",
            "欢迎社会各界通过县政协门户网站、各乡镇(街道)委员会客室或来信来电提出议题建议。",
        ],
        75,
        [],
    ),
    (
        "县政协视察全县河湖长制落实情况",
        "work",
        "视察组察看重点河道,建议健全河湖管护长效机制。",
        [
            "县政协组织部分委员视察全县河湖长制落实情况,实地察看了清河、梅湖等重点河道。",
            "委员们建议,进一步压实各级河湖长责任,推进数字化巡河,发动群众参与河湖管护。",
        ],
        3,
        [("委员察看清河河道治理情况", "teal")],
    ),
    (
        "以协商民主助推共同富裕——县政协理论研讨会发言摘编",
        "theory",
        "理论研讨会交流发言摘编。",
        [
            "县政协近日举办协商民主理论研讨会,围绕协商民主助推共同富裕开展交流。",
            "与会同志认为,基层协商要坚持问题导向,把协商平台延伸到群众身边,让群众的“急难愁盼”在协商中得到回应。",
        ],
        1,
        [],
    ),
]
PUBLISHED = 8  # the first eight are published; the ninth waits for review, the tenth is a draft
RETURN_REASON = "请补充活动照片,并核实文中参会人数。"

MEDIA_OUTLETS = {
    MediaLevel.COUNTY: ["示范县融媒体中心", "今日示范", "示范县新闻网"],
    MediaLevel.CITY: ["示范日报", "示范市广播电视台", "示范新闻网"],
    MediaLevel.PROVINCE: ["浙江日报", "联谊报", "浙江政协网"],
    MediaLevel.NATIONAL: ["人民政协报", "人民政协网"],
}
MEDIA_PLAN = (
    [MediaLevel.COUNTY] * 14
    + [MediaLevel.CITY] * 9
    + [MediaLevel.PROVINCE] * 5
    + [MediaLevel.NATIONAL] * 2
)
MEDIA_TOPICS = [
    "“请你来协商”让群众的事有人商、有人办",
    "委员会客室架起连心桥",
    "专题协商推进农村生活污水治理",
    "民主监督助力优化营商环境",
    "提案办理协商提质增效",
    "医药卫生界委员送医下乡",
    "政协委员为乡村振兴献良策",
    "基层协商议事室解民忧",
    "社情民意信息直通车畅通民意",
    "委员履职能力提升培训开班",
]
MEDIA_FORMS = ["示范县政协:{t}", "{t}——示范县政协履职纪实", "示范县:{t}"]

BIO_FIELDS = ["教育教学", "临床医疗", "农业技术推广", "企业经营管理", "法律服务", "文化传承"]
BIO_TOPICS = ["乡村振兴", "基层医疗", "义务教育均衡", "民营经济发展", "社区治理", "非遗保护"]

PALETTES = {
    "red": ((250, 226, 222), (196, 60, 48), (140, 30, 24)),
    "green": ((222, 240, 226), (92, 160, 104), (46, 104, 60)),
    "blue": ((220, 232, 248), (84, 128, 196), (40, 70, 130)),
    "orange": ((252, 236, 214), (224, 142, 60), (150, 84, 30)),
    "purple": ((236, 226, 246), (140, 104, 186), (84, 56, 126)),
    "teal": ((218, 242, 240), (64, 156, 150), (28, 96, 92)),
}


# Pictures -------------------------------------------------------------------------------------


def png_bytes(width, height, rows):
    """A PNG (8-bit RGB) from ``rows``: an iterable of ``height`` rows of ``width`` RGB bytes."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def scene_png(palette="red", width=480, height=270):
    """A stylised picture: a sky gradient over a row of buildings (for news items)."""
    sky, mid, dark = PALETTES[palette]
    blocks = [  # (first x, last x, top y) as shares of the picture
        (0.05, 0.22, 0.55),
        (0.25, 0.40, 0.42),
        (0.43, 0.57, 0.30),
        (0.60, 0.75, 0.45),
        (0.78, 0.95, 0.58),
    ]
    rows = []
    for y in range(height):
        t = y / (height - 1)
        row = bytearray(bytes(_mix(sky, mid, t * 0.6)) * width)
        for i, (x0, x1, top) in enumerate(blocks):
            if t >= top:
                colour = bytes(dark if i % 2 else _mix(mid, dark, 0.5))
                a, b = int(x0 * width), int(x1 * width)
                row[a * 3 : b * 3] = colour * (b - a)
        if t > 0.9:
            row = bytearray(bytes(_mix(dark, (40, 40, 40), 0.5)) * width)
        rows.append(row)
    return png_bytes(width, height, rows)


def portrait_png(palette="blue", width=120, height=160):
    """A head-and-shoulders silhouette (for members' photos)."""
    light, mid, dark = PALETTES[palette]
    cx, cy, r = width / 2, height * 0.38, width * 0.22
    rows = []
    for y in range(height):
        row = bytearray()
        for x in range(width):
            head = (x - cx) ** 2 + (y - cy) ** 2 <= r * r
            shoulders = y > height * 0.66 and abs(x - cx) < (y - height * 0.5) * 0.9
            row += bytes(dark if head or shoulders else light)
        rows.append(row)
    return png_bytes(width, height, rows)


def _upload(name, content):
    return SimpleUploadedFile(name, content, content_type="image/png")


# Seeding --------------------------------------------------------------------------------------


def _moment(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _news(*, county, staff, reviewer, clock, today, created):
    next_year = str(today.year + 1)
    for index, (title, category, summary, paragraphs, days, pictures) in enumerate(NEWS):
        day = today - datetime.timedelta(days=days)
        title = title.replace("{next}", next_year)
        paragraphs = [p.replace("{next}", next_year) for p in paragraphs]
        clock.set(_moment(day - datetime.timedelta(days=1), 9, 30))
        news = services.news_create(
            actor=staff,
            committee=county,
            data={
                "title": title,
                "category": category,
                "summary": summary,
                "body": "\n\n".join(paragraphs),
            },
        )
        created["portal_news"] += 1
        for number, (caption, palette) in enumerate(pictures, start=1):
            services.news_image_add(
                actor=staff,
                news=news,
                upload=_upload(f"news-{index + 1}-{number}.png", scene_png(palette)),
                caption=caption,
            )
            created["portal_news_image"] += 1
        if index == len(NEWS) - 1:
            # The draft: submitted once and returned by the reviewer with a reason.
            clock.set(_moment(day - datetime.timedelta(days=1), 15))
            services.news_act(actor=staff, news=news, action="submit")
            clock.set(_moment(day, 10))
            services.news_act(actor=reviewer, news=news, action="return", note=RETURN_REASON)
            continue
        clock.set(_moment(day - datetime.timedelta(days=1), 16))
        services.news_act(actor=staff, news=news, action="submit")
        if index < PUBLISHED:
            clock.set(_moment(day, 10, 15))
            services.news_act(actor=reviewer, news=news, action="approve")
            created["portal_news_published"] += 1


def _consents(*, county, clock, today, created):
    """Fifteen members in office across the sectors (not the demo member, who can try it
    out) give consent."""
    demo_member = User.objects.filter(username="member").first()
    member_users = RoleAssignment.objects.filter(committee=county, role=Role.MEMBER).values(
        "user_id"
    )
    candidates = Membership.objects.filter(
        Q(person__user__isnull=True) | Q(person__user__in=member_users),
        committee=county,
        status=MembershipStatus.IN_OFFICE,
    )
    if demo_member is not None:
        candidates = candidates.exclude(person__user=demo_member)
    # Every fifteenth seat, so that the list spans the sectors.
    memberships = list(candidates.select_related("person", "sector").order_by("pk"))[::15][:15]
    users, _units = ensure_accounts(
        committee=county,
        memberships=memberships,
        units=[],
        starts_on=datetime.date(2022, 1, 1),
        created=created,
    )
    palettes = list(PALETTES)
    for i, membership in enumerate(memberships):
        user = _acting(users[membership.pk], county, Role.MEMBER)
        clock.set(_moment(today - datetime.timedelta(days=60 - 3 * i), 20))
        with_photo = i % 5 in (0, 2)
        with_bio = i % 2 == 0
        bio = (
            f"{membership.work_unit or '本县'}{membership.job_title or ''},"
            f"长期从事{BIO_FIELDS[i % len(BIO_FIELDS)]}工作,"
            f"履职中重点关注{BIO_TOPICS[i % len(BIO_TOPICS)]}。"
        )
        services.public_profile_save(
            actor=user,
            membership=membership,
            data={
                "consent": True,
                "show_sector": True,
                "show_employer": i % 3 != 2,
                "show_photo": with_photo,
                "bio": bio if with_bio else "",
                "show_bio": with_bio,
            },
            photo=(
                _upload(f"photo-{membership.pk}.png", portrait_png(palettes[i % len(palettes)]))
                if with_photo
                else None
            ),
        )
        created["portal_public_profile"] += 1
        created["portal_public_photo"] += with_photo


def _media(*, county, staff, clock, today, created):
    first = datetime.date(today.year, 1, 1)
    elapsed = (today - first).days
    for i, level in enumerate(MEDIA_PLAN):
        day = first + datetime.timedelta(days=(i * elapsed) // len(MEDIA_PLAN))
        clock.set(_moment(day, 17))
        outlets = MEDIA_OUTLETS[level]
        outlet = outlets[i % len(outlets)]
        topic = MEDIA_TOPICS[i % len(MEDIA_TOPICS)]
        title = MEDIA_FORMS[i % len(MEDIA_FORMS)].format(t=topic)
        printed = outlet in ("今日示范", "示范日报", "浙江日报", "联谊报") and i % 2 == 0
        services.media_report_create(
            actor=staff,
            committee=county,
            data={
                "outlet": outlet,
                "level": level,
                "published_on": day,
                "title": title,
                "link": ""
                if printed
                else f"https://news.{level}.example/{day:%Y%m%d}/{i + 1}.html",
                "note": "纸质版刊发" if printed else "",
            },
        )
        created["portal_media_report"] += 1


def seed_demo_portal(*, county, created):
    """The demo county's portal and media log (nothing if it has a portal profile already)."""
    with scopes_disabled(), transaction.atomic(), seeding_clock() as clock:
        if CommitteeProfile.objects.filter(committee=county).exists():
            return created
        today = REAL_NOW().astimezone(timezone.get_current_timezone()).date()
        staff = _acting(User.objects.get(username="staff"), county, Role.STAFF)
        reviewer = _acting(User.objects.get(username="admin"), county, Role.ADMIN)

        clock.set(_moment(today - datetime.timedelta(days=120), 10))
        services.committee_profile_save(
            actor=staff, committee=county, data={"introduction": INTRODUCTION, **CONTACT}
        )
        created["portal_profile"] += 1
        if not NewsItem.objects.filter(committee=county).exists():
            _news(
                county=county,
                staff=staff,
                reviewer=reviewer,
                clock=clock,
                today=today,
                created=created,
            )
        _consents(county=county, clock=clock, today=today, created=created)
        _media(county=county, staff=staff, clock=clock, today=today, created=created)
        clock.set(None)
    return created
