"""A year of the demo county's meetings, driven through ``zhengxie.meetings.services`` under the
proposals seeder's patched clock: the plenary of 十届五次会议, four standing-committee meetings,
ten chairs' meetings, two special-committee meetings — each planned, notified, with leave
requested and approved, sign-in, absences and the ledger rows that closing writes — and one
standing-committee meeting still ahead, to which the demo member is invited.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from zhengxie.core.models import Role, User
from zhengxie.core.scoping import scopes_disabled
from zhengxie.demo.proposals import _acting, seeding_clock
from zhengxie.meetings import services
from zhengxie.meetings.models import Invitation, Meeting, MeetingCategory
from zhengxie.organisation.models import Session, SpecialCommittee
from zhengxie.organisation.queries import members_by_audience

SEED = 20260126
YEAR = 2026
STANDING_DAYS = [(3, 26), (6, 25), (9, 24)]  # held; one more is ahead (see _upcoming)
CHAIRS_DAYS = [(m, 8 + m % 3) for m in range(1, 11)]
LEAVE_REASONS = ["因公出差", "参加省里培训", "身体不适,住院治疗", "单位重要会议", "家中有事"]


def _moment(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _members(county, kind=None, on=None, special_committee=None):
    qs = members_by_audience(
        committee=county,
        by=kind or "all",
        on=on,
        special_committee=special_committee,
    )
    return list(qs.select_related("person"))


def _hold(*, staff, county, clock, rng, data, invitees, leave=0.04, absent=0.03):
    """Plan, notify, take leave, sign in and close one meeting; returns it."""
    start = data["starts_at"]
    clock.set(start - datetime.timedelta(days=10))
    meeting = services.meeting_create(actor=staff, committee=county, data=data)
    services.agenda_item_add(actor=staff, meeting=meeting, title=data.pop("agenda", "审议有关事项"))
    services.meeting_invite(actor=staff, meeting=meeting, memberships=invitees)
    services.meeting_notify(actor=staff, meeting=meeting)
    invitations = list(Invitation.objects.filter(meeting=meeting).order_by("pk"))
    rng.shuffle(invitations)
    on_leave = invitations[: round(len(invitations) * leave)]
    missing = invitations[len(on_leave) : len(on_leave) + round(len(invitations) * absent)]
    for invitation in on_leave:
        clock.set(start - datetime.timedelta(days=rng.randint(1, 5)))
        services.attendance_act(
            actor=staff,
            invitation=invitation,
            action="record_leave",
            reason=rng.choice(LEAVE_REASONS),
        )
    clock.set(start - datetime.timedelta(minutes=40))
    services.meeting_open_sign_in(actor=staff, meeting=meeting)
    taken = {i.pk for i in on_leave} | {i.pk for i in missing}
    for invitation in invitations:
        if invitation.pk in taken:
            continue
        clock.set(start - datetime.timedelta(minutes=rng.randint(2, 35)))
        services.attendance_act(actor=staff, invitation=invitation, action="mark_signed_in")
    clock.set(data["ends_at"])
    return services.meeting_close(actor=staff, meeting=meeting)


def _data(category, title, day, place, *, hours=(9, 12), half_days=1, **extra):
    return {
        "category": category,
        "kind_label": extra.pop("kind_label", ""),
        "title": title,
        "session": extra.pop("session", None),
        "special_committee": extra.pop("special_committee", None),
        "starts_at": _moment(day, hours[0], 0 if hours[0] != 14 else 30),
        "ends_at": _moment(day, hours[1]),
        "place": place,
        "half_days": Decimal(half_days),
        "description": extra.pop("description", ""),
        **extra,
    }


def seed_demo_meetings(*, county, created):
    """Does nothing when the county already has meetings."""
    with scopes_disabled():
        if Meeting.objects.filter(committee=county).exists():
            return
    with scopes_disabled(), seeding_clock() as clock, transaction.atomic():
        rng = random.Random(SEED)
        staff = _acting(User.objects.get(username="staff"), county, Role.STAFF)
        session = Session.objects.get(committee=county, opens_on__year=YEAR)
        meetings = []
        plenary_day = session.opens_on
        meetings.append(
            _hold(
                staff=staff,
                county=county,
                clock=clock,
                rng=rng,
                data=_data(
                    MeetingCategory.PLENARY,
                    f"政协示范县第十届委员会第五次会议({session.name})",
                    plenary_day,
                    "县人民会堂",
                    hours=(9, 17),
                    half_days=7,
                    session=session,
                    agenda="听取和审议常务委员会工作报告、提案工作情况报告",
                ),
                invitees=_members(county, on=plenary_day),
                leave=0.05,
                absent=0.02,
            )
        )
        for n, (month, day) in enumerate(STANDING_DAYS, start=16):
            date = datetime.date(YEAR, month, day)
            meetings.append(
                _hold(
                    staff=staff,
                    county=county,
                    clock=clock,
                    rng=rng,
                    data=_data(
                        MeetingCategory.STANDING,
                        f"十届政协常委会第{_cn(n)}次会议",
                        date,
                        "政协四楼会议室",
                        agenda="协商讨论有关工作,审议人事事项",
                    ),
                    invitees=_members(county, "standing", on=date),
                    leave=0.1,
                    absent=0.05,
                )
            )
        for n, (month, day) in enumerate(CHAIRS_DAYS, start=37):
            date = datetime.date(YEAR, month, day)
            meetings.append(
                _hold(
                    staff=staff,
                    county=county,
                    clock=clock,
                    rng=rng,
                    data=_data(
                        MeetingCategory.CHAIRS,
                        f"十届政协第{_cn(n)}次主席会议",
                        date,
                        "政协三楼会议室",
                        hours=(14, 17),
                        agenda="研究部署近期重点工作",
                    ),
                    invitees=_members(county, "chairs", on=date),
                    leave=0.1,
                    absent=0,
                )
            )
        for special in SpecialCommittee.objects.filter(committee=county).order_by("position")[:2]:
            date = datetime.date(YEAR, 5, 14 + special.position % 7)
            invitees = _members(county, "special_committee", on=date, special_committee=special)
            if not invitees:
                continue
            meetings.append(
                _hold(
                    staff=staff,
                    county=county,
                    clock=clock,
                    rng=rng,
                    data=_data(
                        MeetingCategory.SPECIAL_COMMITTEE,
                        f"{special.name}全体会议",
                        date,
                        "政协二楼会议室",
                        special_committee=special,
                        agenda="研究年度重点调研课题",
                    ),
                    invitees=invitees,
                    leave=0.1,
                    absent=0.05,
                )
            )
        clock.set(None)
        _upcoming(staff=staff, county=county)
        created["meeting"] += len(meetings) + 1
        created["invitation"] += Invitation.objects.filter(meeting__committee=county).count()


def _upcoming(*, staff, county):
    """The next standing-committee meeting, notified; the demo member is invited to it."""
    today = timezone.localdate()
    day = today + datetime.timedelta(days=(3 - today.weekday()) % 7 + 7)
    invitees = _members(county, "standing", on=today)
    member = User.objects.get(username="member").person.memberships.order_by("-pk").first()
    meeting = services.meeting_create(
        actor=staff,
        committee=county,
        data=_data(
            MeetingCategory.STANDING,
            "十届政协常委会第十九次会议",
            day,
            "政协四楼会议室",
            description="协商讨论县政协明年工作要点。请各位常委提前审阅会议材料。",
        ),
    )
    services.agenda_item_add(actor=staff, meeting=meeting, title="协商讨论县政协明年工作要点")
    services.agenda_item_add(actor=staff, meeting=meeting, title="审议人事事项")
    services.meeting_invite(actor=staff, meeting=meeting, memberships=[*invitees, member])
    services.meeting_notify(actor=staff, meeting=meeting)


CN_DIGITS = "零一二三四五六七八九"


def _cn(n):
    """16 → 十六, 37 → 三十七 (meeting ordinals up to 99)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones else "")


# Scale data (``zhengxie seed-scale``) -------------------------------------------------------

SCALE_PATTERN = [  # (category, how many a year, who is invited, share absent, share on leave)
    (MeetingCategory.PLENARY, 1, "all", 0.02, 0.05),
    (MeetingCategory.STANDING, 4, "standing", 0.04, 0.08),
    (MeetingCategory.CHAIRS, 10, "chairs", 0.0, 0.08),
]


def seed_scale_meetings(*, committees, years, seed, created):
    """Each scale committee's meetings for the last ``years`` years, closed, with attendance,
    history and ledger rows written in bulk (the services would take hours at this size)."""
    from django.contrib.contenttypes.models import ContentType

    from zhengxie.core.models import DutyRecord
    from zhengxie.meetings.models import AttendanceState, InvitationHistory, MeetingState
    from zhengxie.meetings.services import LEDGER_OUTCOME
    from zhengxie.organisation.models import Membership, Position, PositionKind

    meeting_type = ContentType.objects.get_for_model(Meeting)
    today = timezone.localdate()
    for i, committee in enumerate(committees):
        rng = random.Random(seed * 7919 + i)
        members = list(
            Membership.objects.filter(committee=committee).in_office().values_list("pk", flat=True)
        )
        standing = set(
            Position.objects.filter(committee=committee, kind=PositionKind.STANDING).values_list(
                "membership_id", flat=True
            )
        )
        chairs = set(
            Position.objects.filter(committee=committee, kind=PositionKind.OFFICE).values_list(
                "membership_id", flat=True
            )
        )
        groups = {"all": members, "standing": [m for m in members if m in standing]}
        groups["chairs"] = [m for m in members if m in chairs] or groups["standing"][:8]
        plan = []
        for year in range(today.year - years + 1, today.year + 1):
            for category, count, who, absent, leave in SCALE_PATTERN:
                for n in range(count):
                    month = 1 + (n * 12) // count if category != MeetingCategory.PLENARY else 1
                    day = datetime.date(year, month, 10 + rng.randint(0, 15))
                    if day >= today:
                        continue
                    plan.append((category, n + 1, day, who, absent, leave))
        meetings = Meeting.objects.bulk_create(
            [
                Meeting(
                    committee=committee,
                    category=category,
                    title=f"{day.year}年第{n}次{MeetingCategory(category).label}",
                    starts_at=_moment(day, 9),
                    ends_at=_moment(day, 12),
                    place="会议室",
                    half_days=Decimal(5 if category == MeetingCategory.PLENARY else 1),
                    state=MeetingState.CLOSED,
                )
                for category, n, day, *_rest in plan
            ]
        )
        invitations, ledger = [], []
        for meeting, (category, _n, day, who, absent, leave) in zip(meetings, plan, strict=True):
            for membership_id in groups[who]:
                draw = rng.random()
                state = (
                    AttendanceState.ABSENT
                    if draw < absent
                    else AttendanceState.LEAVE_APPROVED
                    if draw < absent + leave
                    else AttendanceState.SIGNED_IN
                )
                invitations.append(
                    Invitation(
                        committee=committee,
                        meeting=meeting,
                        membership_id=membership_id,
                        state=state,
                        signed_in_at=meeting.starts_at if state == "signed_in" else None,
                        sign_in_method="qr" if state == "signed_in" else "",
                    )
                )
                ledger.append(
                    DutyRecord(
                        committee=committee,
                        membership_id=membership_id,
                        kind="attendance",
                        sub_kind=f"{category}.{LEDGER_OUTCOME[state]}",
                        occurred_on=day,
                        half_days=meeting.half_days if state == "signed_in" else None,
                        role="participant",
                        source_type=meeting_type,
                        source_id=meeting.pk,
                        title=meeting.title,
                    )
                )
        made = Invitation.objects.bulk_create(invitations, batch_size=2000)
        InvitationHistory.objects.bulk_create(
            [
                InvitationHistory(
                    subject=inv,
                    committee=committee,
                    from_state=AttendanceState.INVITED,
                    action="import",
                    to_state=inv.state,
                )
                for inv in made
            ],
            batch_size=2000,
        )
        DutyRecord.objects.bulk_create(ledger, batch_size=2000)
        created["meeting"] += len(meetings)
        created["invitation"] += len(made)


def reset_scale_meetings(committee_ids):
    """Delete the meeting rows of the scale committees (before their members)."""
    from zhengxie.core.models import DutyRecord
    from zhengxie.meetings.models import InvitationHistory, MeetingHistory

    DutyRecord._base_manager.filter(committee_id__in=committee_ids, kind="attendance").delete()
    InvitationHistory._base_manager.filter(committee_id__in=committee_ids).delete()
    MeetingHistory._base_manager.filter(committee_id__in=committee_ids).delete()
    Meeting._base_manager.filter(committee_id__in=committee_ids).delete()
