"""The periods every figure is counted for (shared/figures.md): a calendar year, a session (its
opening day up to the day before the next session opens) or a term (its first plenary up to the
day before the next term's first). Used by every app's statistics, pages and API."""

import datetime
import zoneinfo
from dataclasses import dataclass

from django import forms
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengxie.organisation.models import Session, Term

LOCAL_TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
MIN_YEAR, MAX_YEAR = 1949, 2100


@dataclass(frozen=True)
class Period:
    """One statistics period, resolved inside the committee's scope."""

    session: Session | None = None
    year: int | None = None
    term: Term | None = None

    @property
    def arguments(self):
        return {"session": self.session, "year": self.year, "term": self.term}

    @property
    def label(self):
        if self.year is not None:
            return _("%(year)s年") % {"year": self.year}
        return (self.session or self.term).name

    def describe(self):
        kind = "year" if self.year is not None else "session" if self.session else "term"
        obj = self.session or self.term
        return {"kind": kind, "id": obj.pk if obj else None, "label": str(self.label)}


def resolve_period(*, session_id=None, year=None, term_id=None) -> Period:
    """The period named by ids (404 for a session or term the committee cannot see)."""
    if session_id is not None:
        return Period(
            session=get_object_or_404(Session.objects.select_related("term"), pk=session_id)
        )
    if term_id is not None:
        return Period(term=get_object_or_404(Term.objects.all(), pk=term_id))
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError("year out of range")
    return Period(year=year)


def local_midnight(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=LOCAL_TZ)


def _next_session(session):
    return Session.objects.filter(opens_on__gt=session.opens_on).order_by("opens_on").first()


def _term_first_plenary(term):
    first = term.sessions.order_by("opens_on").values_list("opens_on", flat=True).first()
    return first or term.starts_on


def period_bounds(*, session=None, year=None, term=None):
    """(first day, last day or None while it runs) of exactly one period."""
    given = [p for p in (session, year, term) if p is not None]
    if len(given) != 1:
        raise ValueError("exactly one of session, year, term")
    if year is not None:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if session is not None:
        following = _next_session(session)
        return session.opens_on, (
            following.opens_on - datetime.timedelta(days=1) if following else None
        )
    following = Term.objects.filter(starts_on__gt=term.starts_on).order_by("starts_on").first()
    last = (
        _term_first_plenary(following) - datetime.timedelta(days=1) if following else term.ends_on
    )
    return _term_first_plenary(term), last


def dates_between(field, first, last):
    """Q for a date field within [first, last] (last None: open-ended)."""
    condition = Q(**{f"{field}__gte": first})
    return condition & Q(**{f"{field}__lte": last}) if last is not None else condition


def moments_between(field, first, last):
    """Q for a datetime field whose Asia/Shanghai date lies within [first, last]."""
    condition = Q(**{f"{field}__gte": local_midnight(first)})
    if last is not None:
        condition &= Q(**{f"{field}__lt": local_midnight(last + datetime.timedelta(days=1))})
    return condition


class PeriodForm(forms.Form):
    """Which period to count: at most one of session, year, term (pages add their defaults)."""

    session = forms.IntegerField(required=False, min_value=1, label=gettext_lazy("会议"))
    year = forms.IntegerField(
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        label=gettext_lazy("年度"),
        error_messages={
            "invalid": gettext_lazy("年度应为四位数字。"),
            "min_value": gettext_lazy("年度超出范围。"),
            "max_value": gettext_lazy("年度超出范围。"),
        },
    )
    term = forms.IntegerField(required=False, min_value=1, label=gettext_lazy("届"))

    def clean(self):
        data = super().clean()
        given = [k for k in ("session", "year", "term") if data.get(k) is not None]
        if len(given) > 1:
            raise forms.ValidationError(_("请只选择一个统计期间:会议、年度或届。"))
        return data


def chosen_period(form):
    """(period or None, errors) from a bound ``PeriodForm``: the chosen session, year or term,
    the current year when none is chosen; a session or term not in scope is an error."""
    if not form.is_valid():
        return None, [e for errors in form.errors.values() for e in errors]
    data = form.cleaned_data
    try:
        if data["session"] is None and data["term"] is None:
            return resolve_period(year=data["year"] or timezone.localdate().year), []
        return resolve_period(session_id=data["session"], term_id=data["term"]), []
    except Http404:
        return None, [_("所选会议或届次不存在。")]
