"""The working-day calendar: deadlines in working days (工作日) that skip holidays and count 调休.

Sources, strongest first: the committee's own ``CalendarDay`` overrides, the platform-wide
overrides (``committee`` empty), the State Council's holidays and make-up working days as
published in the ``chinese_calendar`` package, and — for a year the package does not cover yet —
plain Monday to Friday. Each year's table is built once and cached; an override change clears it.

The committee is the active scope's unless given, so services running in a request need not pass
it; background jobs under ``scopes_disabled()`` pass ``committee=`` explicitly.
"""

import datetime
from dataclasses import dataclass

from chinese_calendar import constants as cn
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengxie.core.audit import audit_record, snapshot
from zhengxie.core.models import AuditAction, CalendarDay
from zhengxie.core.scoping import active_committee

CACHE_SECONDS = 3600
PUBLISHED_YEARS = frozenset(d.year for d in (*cn.holidays, *cn.workdays))
# Dates are checked against a year's table; a deadline further out than this is a mistake.
MAX_SPAN_DAYS = 3 * 366


def _committee_id(committee):
    committee = committee if committee is not None else active_committee()
    return committee.pk if committee is not None else None


def _cache_key(committee_id, year):
    return f"zx:calendar:{committee_id or 0}:{year}"


def year_is_published(year: int) -> bool:
    """Whether the State Council's holiday arrangement for ``year`` is in the package."""
    return year in PUBLISHED_YEARS


def _exceptions(committee_id, year):
    """{date: is_workday} for the days of ``year`` that differ from a plain Mon–Fri week."""
    key = _cache_key(committee_id, year)
    table = cache.get(key)
    if table is not None:
        return table
    table = {}
    if year_is_published(year):
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        for day in cn.holidays:
            if start <= day <= end and day.weekday() < 5:
                table[day] = False
        for day in cn.workdays:
            if start <= day <= end and day.weekday() >= 5:
                table[day] = True
    rows = CalendarDay.objects.filter(date__year=year).filter(
        Q(committee__isnull=True) | Q(committee_id=committee_id)
    )
    # Platform-wide rows first, so the committee's own rows overwrite them.
    for row in sorted(rows.values("date", "is_workday", "committee_id"), key=_platform_first):
        table[row["date"]] = row["is_workday"]
    cache.set(key, table, CACHE_SECONDS)
    return table


def _platform_first(row):
    return (row["committee_id"] is not None, row["date"])


def is_workday(day: datetime.date, *, committee=None) -> bool:
    table = _exceptions(_committee_id(committee), day.year)
    if day in table:
        return table[day]
    return day.weekday() < 5


def add_working_days(start: datetime.date, n: int, *, committee=None) -> datetime.date:
    """The ``n``-th working day after ``start`` (before it when ``n`` is negative).

    ``start`` itself never counts: a request on Friday with 5 working days is due on the fifth
    working day after that Friday. ``n == 0`` returns ``start``.
    """
    committee_id = _committee_id(committee)
    step = 1 if n >= 0 else -1
    remaining, day = abs(n), start
    while remaining:
        day += datetime.timedelta(days=step)
        if abs((day - start).days) > MAX_SPAN_DAYS:
            raise ValueError("working-day span too long")
        table = _exceptions(committee_id, day.year)
        if table.get(day, day.weekday() < 5):
            remaining -= 1
    return day


def working_days_between(a: datetime.date, b: datetime.date, *, committee=None) -> int:
    """Working days after ``a`` up to and including ``b`` (negative when ``b`` is before ``a``).

    The inverse of ``add_working_days``: ``working_days_between(a, add_working_days(a, n)) == n``.
    """
    if b < a:
        return -working_days_between(b, a, committee=committee)
    if (b - a).days > MAX_SPAN_DAYS:
        raise ValueError("working-day span too long")
    committee_id = _committee_id(committee)
    count, day = 0, a
    while day < b:
        day += datetime.timedelta(days=1)
        if _exceptions(committee_id, day.year).get(day, day.weekday() < 5):
            count += 1
    return count


def clear_cache(*, committee_id, year):
    cache.delete(_cache_key(committee_id, year))
    if committee_id is None:
        # A platform-wide row affects every committee's table of that year.
        committees = CalendarDay._meta.get_field("committee").related_model.objects
        cache.delete_many([_cache_key(pk, year) for pk in committees.values_list("pk", flat=True)])


# Reads for the admin page ------------------------------------------------------------------


@dataclass(frozen=True)
class SpecialDay:
    date: datetime.date
    is_workday: bool
    name: str
    source: str  # "state", "platform" or "committee"
    override: CalendarDay | None = None


STATE_NAMES = {
    "New Year's Day": gettext_lazy("元旦"),
    "Spring Festival": gettext_lazy("春节"),
    "Tomb-sweeping Day": gettext_lazy("清明节"),
    "Labour Day": gettext_lazy("劳动节"),
    "Dragon Boat Festival": gettext_lazy("端午节"),
    "National Day": gettext_lazy("国庆节"),
    "Mid-autumn Festival": gettext_lazy("中秋节"),
    "Anti-Fascist 70th Day": gettext_lazy("抗战胜利纪念日"),
}


def year_special_days(year: int, *, committee) -> list[SpecialDay]:
    """Holidays on weekdays, make-up working days and every override of ``year``, by date."""
    days = {}
    if year_is_published(year):
        for day, holiday in cn.holidays.items():
            if day.year == year and day.weekday() < 5:
                days[day] = SpecialDay(day, False, _state_name(holiday), "state")
        for day, holiday in cn.workdays.items():
            if day.year == year and day.weekday() >= 5:
                days[day] = SpecialDay(day, True, _state_name(holiday), "state")
    overrides = (
        CalendarDay.objects.filter(date__year=year)
        .filter(Q(committee__isnull=True) | Q(committee=committee))
        .order_by("date")
    )
    for row in sorted(overrides, key=lambda r: (r.committee_id is not None, r.date)):
        source = "platform" if row.committee_id is None else "committee"
        days[row.date] = SpecialDay(row.date, row.is_workday, row.note, source, row)
    return [days[d] for d in sorted(days)]


def _state_name(holiday):
    return str(STATE_NAMES.get(holiday, holiday))


# Writes ------------------------------------------------------------------------------------


def _check(actor):
    if not actor.has_perm("core.edit_calendar"):
        raise PermissionDenied(_("您没有维护工作日历的权限。"))


@transaction.atomic
def calendar_day_set(*, committee, date: datetime.date, is_workday: bool, note: str, actor):
    """Create or change the committee's override for ``date``."""
    _check(actor)
    note = (note or "").strip()
    if len(note) > 64:
        raise ValidationError({"note": _("说明不能超过64个字。")})
    row = CalendarDay.objects.select_for_update().filter(committee=committee, date=date).first()
    if row is None:
        row = CalendarDay.objects.create(
            committee=committee, date=date, is_workday=is_workday, note=note, updated_by=actor
        )
        audit_record(actor=actor, action=AuditAction.CREATE, obj=row, after=snapshot(row))
    else:
        before = snapshot(row)
        row.is_workday, row.note, row.updated_by = is_workday, note, actor
        row.save(update_fields=["is_workday", "note", "updated_by", "updated"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=row, before=before, after=snapshot(row)
        )
    _clear_on_commit(committee.pk, date.year)
    return row


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay, actor):
    _check(actor)
    before = snapshot(day)
    committee_id, year = day.committee_id, day.date.year
    audit_record(actor=actor, action=AuditAction.DELETE, obj=day, before=before)
    day.delete()
    _clear_on_commit(committee_id, year)


def _clear_on_commit(committee_id, year):
    clear_cache(committee_id=committee_id, year=year)  # now, for the rest of this transaction
    transaction.on_commit(lambda: clear_cache(committee_id=committee_id, year=year))
