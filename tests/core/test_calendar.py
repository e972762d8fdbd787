import datetime

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from zhengxie.core import calendar
from zhengxie.core.models import AuditEntry, CalendarDay, Role

D = datetime.date


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_five_working_days_from_before_national_day_2025_count_the_sunday_make_up_day(
    committee_scope,
):
    # 2025: 9-28 (Sun) is a make-up working day, 10-01..10-08 are off, 10-11 (Sat) works.
    assert calendar.add_working_days(D(2025, 9, 26), 5) == D(2025, 10, 10)
    assert calendar.add_working_days(D(2025, 9, 30), 5) == D(2025, 10, 14)
    assert calendar.add_working_days(D(2025, 9, 30), 3) == D(2025, 10, 11)


def test_five_working_days_across_mid_autumn_and_national_day_2026(committee_scope):
    # 2026: 9-20 (Sun) works, 9-25..9-27 and 10-01..10-07 are off, 10-10 (Sat) works.
    assert calendar.add_working_days(D(2026, 9, 18), 5) == D(2026, 9, 24)
    assert calendar.add_working_days(D(2026, 9, 24), 5) == D(2026, 10, 9)
    assert calendar.add_working_days(D(2026, 9, 30), 5) == D(2026, 10, 13)


def test_is_workday_follows_the_state_council_arrangement(committee_scope):
    assert calendar.is_workday(D(2025, 10, 6)) is False  # Monday, 中秋
    assert calendar.is_workday(D(2025, 9, 28)) is True  # Sunday, make-up day
    assert calendar.is_workday(D(2025, 10, 13)) is True
    assert calendar.is_workday(D(2025, 10, 12)) is False


def test_working_days_between_is_the_inverse_of_add_working_days(committee_scope):
    assert calendar.working_days_between(D(2025, 9, 26), D(2025, 10, 10)) == 5
    assert calendar.working_days_between(D(2025, 10, 10), D(2025, 9, 26)) == -5
    assert calendar.working_days_between(D(2025, 9, 30), D(2025, 10, 8)) == 0
    assert calendar.add_working_days(D(2025, 10, 10), -5) == D(2025, 9, 26)


def test_a_committee_override_wins_over_the_state_calendar(committee_scope, admin_user):
    calendar.calendar_day_set(
        committee=committee_scope,
        date=D(2025, 10, 9),
        is_workday=False,
        note="地方假日",
        actor=admin_user,
    )
    assert calendar.is_workday(D(2025, 10, 9)) is False
    assert calendar.add_working_days(D(2025, 9, 26), 5) == D(2025, 10, 11)


def test_another_committees_override_does_not_apply(committee, other_committee, admin_user):
    from zhengxie.core.scoping import scope

    with scope(committee=committee):
        calendar.calendar_day_set(
            committee=committee, date=D(2025, 10, 9), is_workday=False, note="", actor=admin_user
        )
    with scope(committee=other_committee):
        assert calendar.is_workday(D(2025, 10, 9)) is True
    assert calendar.is_workday(D(2025, 10, 9), committee=committee) is False


def test_a_platform_wide_override_applies_unless_the_committee_has_its_own(committee_scope):
    CalendarDay.objects.create(committee=None, date=D(2027, 2, 1), is_workday=False)
    CalendarDay.objects.create(committee=None, date=D(2027, 2, 2), is_workday=False)
    CalendarDay.objects.create(committee=committee_scope, date=D(2027, 2, 2), is_workday=True)
    assert calendar.is_workday(D(2027, 2, 1)) is False
    assert calendar.is_workday(D(2027, 2, 2)) is True


def test_an_unpublished_year_falls_back_to_monday_to_friday_plus_overrides(
    committee_scope, admin_user
):
    assert calendar.year_is_published(2027) is False
    assert calendar.is_workday(D(2027, 10, 1)) is True  # a Friday: no holiday data yet
    assert calendar.add_working_days(D(2027, 10, 1), 5) == D(2027, 10, 8)
    calendar.calendar_day_set(
        committee=committee_scope,
        date=D(2027, 10, 4),
        is_workday=False,
        note="国庆节",
        actor=admin_user,
    )
    assert calendar.add_working_days(D(2027, 10, 1), 5) == D(2027, 10, 11)


def test_changing_and_deleting_an_override_is_audited(committee_scope, admin_user):
    day = calendar.calendar_day_set(
        committee=committee_scope, date=D(2025, 5, 6), is_workday=False, note="", actor=admin_user
    )
    calendar.calendar_day_set(
        committee=committee_scope,
        date=D(2025, 5, 6),
        is_workday=True,
        note="调整",
        actor=admin_user,
    )
    day.refresh_from_db()
    assert (day.is_workday, day.note) == (True, "调整")
    assert calendar.is_workday(D(2025, 5, 6)) is True
    calendar.calendar_day_delete(day=day, actor=admin_user)
    assert calendar.is_workday(D(2025, 5, 6)) is True  # a plain Tuesday
    assert calendar.is_workday(D(2025, 5, 5)) is False  # 劳动节 from the package
    actions = list(
        AuditEntry.objects.filter(object_type="core.CalendarDay")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "delete"]


def test_only_an_admin_may_change_the_calendar(committee_scope, staff_user):
    with pytest.raises(PermissionDenied):
        calendar.calendar_day_set(
            committee=committee_scope,
            date=D(2025, 5, 6),
            is_workday=False,
            note="",
            actor=staff_user,
        )
    assert CalendarDay.objects.count() == 0


def test_the_calendar_page_lists_holidays_and_make_up_days(login, admin_user):
    response = login(admin_user).get(reverse("core:calendar") + "?year=2025")
    assert response.status_code == 200
    days = {d.date: (d.is_workday, d.name) for d in response.context["days"]}
    assert days[D(2025, 9, 28)] == (True, "国庆节")
    assert days[D(2025, 10, 6)] == (False, "中秋节")
    assert response.context["published"] is True
    assert "calendar-unpublished" not in response.content.decode()


def test_the_calendar_page_says_when_a_year_is_not_published(login, admin_user):
    response = login(admin_user).get(reverse("core:calendar") + "?year=2027")
    assert response.context["published"] is False
    assert "calendar-unpublished" in response.content.decode()


def test_an_admin_adds_an_override_on_the_page(login, admin_user, committee):
    client = login(admin_user)
    response = client.post(
        reverse("core:calendar"), {"date": "2026-03-09", "is_workday": "0", "note": "地方假日"}
    )
    assert response.status_code == 302
    row = CalendarDay.objects.get()
    assert (row.committee_id, row.date, row.is_workday, row.note) == (
        committee.pk,
        D(2026, 3, 9),
        False,
        "地方假日",
    )
    response = client.post(reverse("core:calendar_day_delete", args=[row.pk]))
    assert response.status_code == 302
    assert CalendarDay.objects.count() == 0


def test_a_bad_date_on_the_page_saves_nothing(login, admin_user):
    response = login(admin_user).post(
        reverse("core:calendar"), {"date": "2026-13-40", "is_workday": "0"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date"] == ["日期格式不正确。"]
    assert CalendarDay.objects.count() == 0


def test_another_committees_override_cannot_be_deleted(login, admin_user, other_committee):
    row = CalendarDay.objects.create(
        committee=other_committee, date=D(2026, 3, 9), is_workday=False
    )
    response = login(admin_user).post(reverse("core:calendar_day_delete", args=[row.pk]))
    assert response.status_code == 404
    assert CalendarDay.objects.filter(pk=row.pk).exists()


def test_staff_may_not_open_the_calendar_page(login, make_user, committee):
    staff = make_user(committee, Role.STAFF)
    assert login(staff).get(reverse("core:calendar")).status_code == 403
