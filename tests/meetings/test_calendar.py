import datetime
import zoneinfo

import icalendar
import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from tests.factories import MembershipFactory, TermFactory, user_with_role
from zhengxie.activities.models import Activity, ActivityState, How, Participation
from zhengxie.core.models import AuditEntry, Role
from zhengxie.meetings import calendar
from zhengxie.meetings.models import AttendanceState, Invitation, Meeting, MeetingState

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")


def _base_day():
    """The 10th of next month (inside the feed window, outside today's edge cases)."""
    return (timezone.localdate() + datetime.timedelta(days=31)).replace(day=10)


def _meeting(committee, title, day, state=MeetingState.NOTIFIED, category="standing"):
    start = datetime.datetime.combine(day, datetime.time(9), tzinfo=TZ)
    return Meeting.objects.create(
        committee=committee,
        category=category,
        title=title,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        place="政协四楼会议室",
        state=state,
    )


def _invite(meeting, membership, state=AttendanceState.INVITED):
    return Invitation.objects.create(
        committee=meeting.committee, meeting=meeting, membership=membership, state=state
    )


def _activity(committee, title, day, state=ActivityState.OPEN, ends_on=None):
    return Activity.objects.create(
        committee=committee,
        title=title,
        category="inspection",
        starts_on=day,
        ends_on=ends_on,
        place="县人民医院",
        state=state,
    )


@pytest.fixture
def world(county):
    committee = county.committee
    day = _base_day()
    (first_user, first), (_second_user, second) = county.members[:2]
    mine = _meeting(committee, "常委会议(本人受邀)", day)
    _invite(mine, first)
    others = _meeting(
        committee, "主席会议(他人受邀)", day + datetime.timedelta(days=1), category="chairs"
    )
    _invite(others, second)
    draft = _meeting(
        committee, "筹备中的会议", day + datetime.timedelta(days=2), MeetingState.DRAFT
    )
    _invite(draft, first)
    cancelled = _meeting(
        committee, "已取消的会议", day + datetime.timedelta(days=3), MeetingState.CANCELLED
    )
    _invite(cancelled, first)
    uninvited = _meeting(committee, "已取消邀请的会议", day + datetime.timedelta(days=4))
    _invite(uninvited, first, AttendanceState.CANCELLED)
    taking_part = _activity(
        committee,
        "视察县人民医院",
        day + datetime.timedelta(days=5),
        ends_on=day + datetime.timedelta(days=6),
    )
    Participation.objects.create(
        committee=committee, activity=taking_part, membership=first, how=How.SIGNED_UP
    )
    _activity(committee, "调研乡村教育", day + datetime.timedelta(days=7), ActivityState.PLANNED)
    _activity(committee, "已取消的视察", day + datetime.timedelta(days=8), ActivityState.CANCELLED)
    return {"day": day, "member": first_user, "staff": county.staff, "county": county}


def _titles(events):
    return [e["title"] for e in events]


def _month_of(day):
    first, following = calendar.month_range(day.year, day.month)
    return first, following


def test_a_member_sees_their_own_meetings_and_the_activities(world):
    start, end = _month_of(world["day"])
    events = calendar.calendar_events(user=world["member"], start=start, end=end)
    assert _titles(events) == [
        "常委会议(本人受邀)",
        "视察县人民医院",
        "调研乡村教育",
    ]
    mine = calendar.calendar_events(user=world["member"], start=start, end=end, mine=True)
    assert _titles(mine) == ["常委会议(本人受邀)", "视察县人民医院"]
    first = mine[0]
    assert first["kind"] == "常委会议"
    assert first["place"] == "政协四楼会议室"
    assert first["url"] == reverse(
        "meetings:detail", kwargs={"pk": Meeting.objects.get(title=first["title"]).pk}
    )
    assert timezone.localtime(first["start"]).hour == 9
    assert mine[1]["all_day"] is True
    assert mine[1]["end"] == world["day"] + datetime.timedelta(days=6)


def test_staff_see_every_meeting_but_cancelled_ones(world):
    start, end = _month_of(world["day"])
    events = calendar.calendar_events(user=world["staff"], start=start, end=end)
    assert _titles(events) == [
        "常委会议(本人受邀)",
        "主席会议(他人受邀)",
        "筹备中的会议",
        "已取消邀请的会议",
        "视察县人民医院",
        "调研乡村教育",
    ]


def test_events_outside_the_range_are_left_out(world):
    day = world["day"]
    events = calendar.calendar_events(
        user=world["staff"],
        start=day + datetime.timedelta(days=6),
        end=day + datetime.timedelta(days=7),
    )
    assert _titles(events) == ["视察县人民医院"]  # its second day


def test_the_calendar_page_shows_the_month(world, client, django_assert_max_num_queries):
    client.force_login(world["member"])
    day = world["day"]
    with django_assert_max_num_queries(11):
        response = client.get(reverse("meetings:calendar"), {"year": day.year, "month": day.month})
    assert response.status_code == 200
    text = response.content.decode()
    assert "常委会议(本人受邀)" in text
    assert "主席会议(他人受邀)" not in text
    assert "筹备中的会议" not in text
    following = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    assert response.context["next_query"] == f"year={following.year}&month={following.month}"
    mine = client.get(
        reverse("meetings:calendar"), {"year": day.year, "month": day.month, "mine": "1"}
    )
    assert "调研乡村教育" not in mine.content.decode()
    assert "视察县人民医院" in mine.content.decode()


def test_a_bad_month_falls_back_to_this_month(world, client):
    client.force_login(world["member"])
    response = client.get(reverse("meetings:calendar"), {"year": "x", "month": "13"})
    today = timezone.localdate()
    assert response.status_code == 200
    assert (response.context["year"], response.context["month"]) == (today.year, today.month)


def test_units_cannot_open_the_calendar(world, client):
    unit_user, _unit = world["county"].units[0]
    client.force_login(unit_user)
    assert client.get(reverse("meetings:calendar")).status_code == 403


def test_the_ics_download_has_the_shown_events(world, client):
    client.force_login(world["member"])
    day = world["day"]
    response = client.get(
        reverse("meetings:calendar_ics"), {"year": day.year, "month": day.month, "mine": "1"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    parsed = icalendar.Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in parsed.walk("VEVENT")}
    assert sorted(events) == ["常委会议(本人受邀)", "视察县人民医院"]
    meeting = events["常委会议(本人受邀)"]
    assert meeting.decoded("DTSTART") == datetime.datetime.combine(day, datetime.time(9), tzinfo=TZ)
    assert str(meeting["LOCATION"]) == "政协四楼会议室"
    activity = events["视察县人民医院"]
    assert activity.decoded("DTSTART") == day + datetime.timedelta(days=5)
    assert activity.decoded("DTEND") == day + datetime.timedelta(days=7)  # exclusive end


# Subscription feed ------------------------------------------------------------------------


def _feed(client, token):
    return client.get(reverse("meetings:calendar_feed", kwargs={"token": token}))


def _summaries(response):
    return sorted(
        str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    )


def test_the_feed_works_without_a_session(world, client):
    member = world["member"]
    client.force_login(member)
    response = client.post(reverse("meetings:calendar_subscription"), {"action": "issue"})
    assert response.status_code == 302
    token = calendar.feed_token_current(user=member, role_assignment=member.active_role)
    assert token
    page = client.get(reverse("meetings:calendar")).content.decode()
    assert reverse("meetings:calendar_feed", kwargs={"token": token}) in page
    client.logout()
    response = _feed(client, token)
    assert response.status_code == 200
    assert _summaries(response) == ["常委会议(本人受邀)", "视察县人民医院", "调研乡村教育"]
    row = AuditEntry.objects.filter(object_type=calendar.FEED_OBJECT_TYPE).get()
    assert row.object_id == str(member.active_role.pk)


def test_a_forged_token_answers_404(world, client):
    member = world["member"]
    role = member.active_role
    token = calendar.feed_token_issue(user=member, role_assignment=role)
    assert _feed(client, token).status_code == 200
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert _feed(client, tampered).status_code == 404
    nonce = AuditEntry.objects.filter(object_type=calendar.FEED_OBJECT_TYPE).get().after["nonce"]
    # The right payload signed with another salt, or naming another role, is refused.
    other_salt = signing.Signer(salt="other").sign_object(
        {"u": member.pk, "r": role.pk, "n": nonce}
    )
    assert _feed(client, other_salt).status_code == 404
    staff_role = world["staff"].active_role
    other_role = calendar._feed_token(world["staff"].pk, staff_role.pk, nonce)
    assert _feed(client, other_role).status_code == 404
    assert _feed(client, "garbage").status_code == 404


def test_a_new_link_or_revoking_stops_the_old_one(world, client):
    member = world["member"]
    role = member.active_role
    old = calendar.feed_token_issue(user=member, role_assignment=role)
    new = calendar.feed_token_issue(user=member, role_assignment=role)
    assert old != new
    assert _feed(client, old).status_code == 404
    assert _feed(client, new).status_code == 200
    client.force_login(member)
    client.post(reverse("meetings:calendar_subscription"), {"action": "revoke"})
    client.logout()
    assert _feed(client, new).status_code == 404
    assert calendar.feed_token_current(user=member, role_assignment=role) is None


def test_the_feed_stops_when_the_role_ends(world, client):
    member = world["member"]
    role = member.active_role
    token = calendar.feed_token_issue(user=member, role_assignment=role)
    role.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    role.save(update_fields=["ends_on"])
    assert _feed(client, token).status_code == 404


def test_the_feed_is_scoped_to_the_committee_of_its_role(world, client, other_committee):
    with scope(committee=other_committee):
        term = TermFactory(committee=other_committee)
        membership = MembershipFactory(committee=other_committee, term=term)
        foreign = _meeting(other_committee, "外县常委会议", world["day"])
        _invite(foreign, membership)
        foreign_staff = user_with_role(other_committee, Role.STAFF)
    staff = world["staff"]
    token = calendar.feed_token_issue(user=staff, role_assignment=staff.active_role)
    summaries = _summaries(_feed(client, token))
    assert "外县常委会议" not in summaries
    assert "常委会议(本人受邀)" in summaries
    foreign_token = calendar.feed_token_issue(
        user=foreign_staff, role_assignment=foreign_staff.active_role
    )
    assert _summaries(_feed(client, foreign_token)) == ["外县常委会议"]
