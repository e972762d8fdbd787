"""Calendar pages (会议活动日历): the month grid (a list on phones), the .ics download of the
month shown, the subscription link (make / stop) and the public feed calendar apps poll.

The feed route takes no session: the signed token in its path names the user and the role it
acts in (see ``meetings.calendar``); a bad, forged or revoked token answers 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_scopes import scope

from zhengxie.core.periods import MAX_YEAR, MIN_YEAR
from zhengxie.meetings import calendar

ICS = "text/calendar; charset=utf-8"


def _check(request):
    if not request.user.has_perm("meetings.view_calendar"):
        raise PermissionDenied


def _month(params):
    """(year, month) asked for in the query string; the current month when absent or bad."""
    today = timezone.localdate()
    try:
        year = int(params.get("year", today.year))
        month = int(params.get("month", today.month))
    except (TypeError, ValueError):
        return today.year, today.month
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        return today.year, today.month
    return year, month


def _shift(year, month, by):
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def _query(year, month, mine):
    params = {"year": year, "month": month}
    if mine:
        params["mine"] = "1"
    return urlencode(params)


@login_required
@require_GET
def calendar_page(request):
    _check(request)
    year, month = _month(request.GET)
    mine = request.GET.get("mine") == "1"
    first, following = calendar.month_range(year, month)
    events = calendar.events_between(user=request.user, start=first, end=following, mine=mine)
    role = request.active_role
    token = calendar.feed_token_current(user=request.user, role_assignment=role)
    prev_year, prev_month = _shift(year, month, -1)
    next_year, next_month = _shift(year, month, 1)
    context = {
        "year": year,
        "month": month,
        "mine": mine,
        "weeks": calendar.month_grid(year, month, events),
        "events": events,
        "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
        "prev_query": _query(prev_year, prev_month, mine),
        "next_query": _query(next_year, next_month, mine),
        "all_query": _query(year, month, False),
        "mine_query": _query(year, month, True),
        "this_query": _query(year, month, mine),
        "feed_url": request.build_absolute_uri(
            reverse("meetings:calendar_feed", kwargs={"token": token})
        )
        if token
        else "",
    }
    return render(request, "meetings/calendar.html", context)


def _ics_response(content, filename):
    response = HttpResponse(content, content_type=ICS)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def calendar_ics(request):
    _check(request)
    year, month = _month(request.GET)
    mine = request.GET.get("mine") == "1"
    first, following = calendar.month_range(year, month)
    events = calendar.events_between(user=request.user, start=first, end=following, mine=mine)
    name = _("会议活动日历 %(year)s年%(month)s月") % {"year": year, "month": month}
    content = calendar.events_ics(
        events, name=name, base_url=request.build_absolute_uri("/").rstrip("/")
    )
    return _ics_response(content, f"calendar-{year}-{month:02d}.ics")


@login_required
@require_POST
def calendar_subscription(request):
    _check(request)
    role = request.active_role
    if request.POST.get("action") == "revoke":
        calendar.feed_token_revoke(user=request.user, role_assignment=role)
        messages.success(request, _("订阅链接已停用。"))
    else:
        calendar.feed_token_issue(user=request.user, role_assignment=role)
        messages.success(request, _("已生成新的订阅链接,原链接已失效。"))
    back = request.POST.get("next", "")
    query = back if back and all(c.isalnum() or c in "=&" for c in back) else ""
    return redirect(reverse("meetings:calendar") + (f"?{query}" if query else ""))


@require_GET
def calendar_feed(request, token):
    """Public by design: the signed token is the credential (calendar apps have no session)."""
    user = calendar.feed_user(token)
    if user is None:
        raise Http404
    role = user.active_role
    with scope(committee=role.committee):
        if not user.has_perm("meetings.view_calendar"):
            raise Http404
        start, end = calendar.feed_window()
        mine = request.GET.get("mine") == "1"
        events = calendar.events_between(user=user, start=start, end=end, mine=mine)
        name = _("%(committee)s会议活动") % {
            "committee": role.committee.short_name or role.committee.name
        }
        content = calendar.events_ics(
            events, name=name, base_url=request.build_absolute_uri("/").rstrip("/")
        )
    response = HttpResponse(content, content_type=ICS)
    response["Cache-Control"] = "private, max-age=900"
    return response


urlpatterns = [
    path("calendar/", calendar_page, name="calendar"),
    path("calendar.ics", calendar_ics, name="calendar_ics"),
    path("calendar/subscription/", calendar_subscription, name="calendar_subscription"),
    path("calendar/feed/<str:token>.ics", calendar_feed, name="calendar_feed"),
]
