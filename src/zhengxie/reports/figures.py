"""The figures service: every catalogue figure (``reports.catalogue``) of a committee for one
period, or of a committee and all its descendants added up for a year.

Each present area's function (``Area.source``, imported lazily) is called inside
``scope(committee=c)`` for the committee ``c`` it counts, so that its period bounds (sessions,
terms) and settings are the committee's own. Figures of an area that is not built yet are
``None`` and listed as absent — never 0.

Aggregates (``aggregate=True``) are by year only: sessions and terms belong to one committee.
Every area function filters by an explicit ``committee=`` argument, and the proposals function,
the one that filters by scope, also looks up the committee's term for "members in office" and its
reply-category settings, so no area is correct when run once under ``aggregate_scope``. Each area
therefore runs once per committee (each in its own scope) — or, where the area offers a batch
function (``Area.batch``), once for all committees with every query grouped by committee — and
the per-committee results are combined:

- counts add; breakdown lists merge by label (values add); breakdown dicts add per key;
- a rate with parts (``Figure.numerator`` / ``denominator``, catalogue names or ``PARTS``) is
  recomputed from the added parts — for one committee too, so a rate is always exactly
  numerator / denominator (``None`` when the denominator is 0);
- the satisfaction rates are recomputed from ``ratings_rated`` / ``ratings_attitude_satisfied``
  / ``ratings_result_satisfied`` when the proposals function returns them; until it does, their
  aggregate is ``None`` with the reason in ``Report.notes``; ``attendance_rate_by_category``
  (rates without per-category parts) is likewise ``None`` in an aggregate;
- ``opinions_received`` of an aggregate counts each committee's own reports only
  (``opinions_received_own``): a report a county forwarded to the city is a copy received by the
  city and must not count twice;
- a joint activity (联动) counts once for each participating committee included.
"""

from dataclasses import dataclass, field
from importlib import import_module

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from zhengxie.core.periods import MAX_YEAR, MIN_YEAR, Period, resolve_period
from zhengxie.core.scoping import scope
from zhengxie.organisation.models import Committee, Session, Term
from zhengxie.reports.catalogue import AREAS, BREAKDOWN, BY_NAME, CATALOGUE, COUNT, PARTS, RATE

# Rates without catalogue parts whose parts an area function may return: name -> (area,
# numerator key, denominator key) in the area's result.
OPTIONAL_PARTS = {
    "satisfaction_attitude_rate": ("proposals", "ratings_attitude_satisfied", "ratings_rated"),
    "satisfaction_result_rate": ("proposals", "ratings_result_satisfied", "ratings_rated"),
}
# In an aggregate, figures read from another key of each committee's result.
AGGREGATE_KEYS = {"opinions_received": "opinions_received_own"}


def format_rate(value) -> str:
    """0.5986 → "59.9%"; ``None`` → "—" (as ``proposals.stats.format_rate``)."""
    if value is None:
        return "—"
    return f"{value * 100:.1f}%"


@dataclass
class Report:
    committee: Committee
    period: Period
    aggregate: bool
    committees: list
    values: dict
    present: dict
    # name -> why the figure is None although its area is present (aggregates only).
    notes: dict = field(default_factory=dict)

    def value(self, name):
        return self.values[name]

    def rate_text(self, name) -> str:
        return format_rate(self.values[name])

    @property
    def absent(self):
        return [f.name for f in CATALOGUE if self.present.get(f.area) is False]


def _function(source):
    module, name = source.split(":")
    return getattr(import_module(module), name)


def _period_for(committee, *, year, session, term) -> Period:
    """The period inside ``committee``'s scope (a session or term of another committee: 404).
    ``session`` and ``term`` may be ids or instances."""
    given = [p for p in (session, year, term) if p is not None]
    if len(given) != 1:
        raise ValidationError(_("请指定且只指定一个统计期间:会议、年度或届。"))
    if year is not None:
        if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
            raise ValidationError(_("年度超出范围。"))
        return Period(year=year)
    for value, model in ((session, Session), (term, Term)):
        if isinstance(value, model):
            if value.committee_id != committee.pk:
                raise Http404
            return Period(**{"session" if model is Session else "term": value})
    with scope(committee=committee):
        if session is not None:
            return resolve_period(session_id=session)
        return resolve_period(term_id=term)


def _area_results(committees, area, period, plenary_only):
    """The area function's result for each committee, in order: one batched call when the area
    has one and there are several committees, else one call per committee in its own scope."""
    extra = {"plenary_only": True} if plenary_only and area.code == "proposals" else {}
    if area.batch and len(committees) > 1:
        by_id = _function(area.batch)(committees=committees, **period.arguments, **extra)
        return [by_id[c.pk] for c in committees]
    results = []
    for committee in committees:
        with scope(committee=committee):
            results.append(_function(area.source)(committee=committee, **period.arguments, **extra))
    return results


def _merge_lists(lists):
    totals = {}
    for rows in lists:
        for row in rows:
            totals[row["label"]] = totals.get(row["label"], 0) + row["value"]
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [{"label": label, "value": value} for label, value in ordered]


def _merge_dicts(dicts):
    totals = {}
    for d in dicts:
        for key, value in d.items():
            totals[key] = totals.get(key, 0) + (value or 0)
    return totals


def _combine(name, results):
    """One figure (not a rate with parts) from each committee's area result."""
    figure = BY_NAME[name]
    single = len(results) == 1
    key = figure.source_key if single else AGGREGATE_KEYS.get(name, figure.source_key)
    values = [r.get(key) for r in results]
    if single:
        return values[0], None
    if figure.kind == COUNT:
        return sum(v or 0 for v in values), None
    if figure.kind == BREAKDOWN:
        if all(isinstance(v, list) for v in values):
            return _merge_lists(values), None
        if name == "attendance_rate_by_category":
            return None, _("汇总时无法按会议类别重新计算出席率(缺少各类别的应出席人数)。")
        if all(isinstance(v, dict) for v in values):
            return _merge_dicts(values), None
    return None, _("汇总时无法重新计算此项。")


def _part(name, results):
    """A rate part summed over the results: a catalogue count or a PARTS entry."""
    key = PARTS[name][1] if name in PARTS else BY_NAME[name].source_key
    if len(results) > 1:
        key = AGGREGATE_KEYS.get(name, key)
    return sum(r.get(key) or 0 for r in results)


def _rate(numerator, denominator):
    return numerator / denominator if denominator else None


def _values(committees, period, *, areas, plenary_only):
    values, present, notes = {}, {}, {}
    for area in AREAS.values():
        if area.code not in areas:
            continue
        present[area.code] = area.source is not None
        figures = [f for f in CATALOGUE if f.area == area.code]
        if area.source is None:
            values.update({f.name: None for f in figures})
            continue
        results = _area_results(committees, area, period, plenary_only)
        for f in figures:
            if f.kind == RATE and f.numerator:
                values[f.name] = _rate(_part(f.numerator, results), _part(f.denominator, results))
            elif f.kind == RATE and f.name in OPTIONAL_PARTS:
                _area, num, den = OPTIONAL_PARTS[f.name]
                if all(num in r and den in r for r in results):
                    values[f.name] = _rate(
                        sum(r[num] for r in results), sum(r[den] for r in results)
                    )
                elif len(results) == 1:
                    values[f.name] = results[0].get(f.source_key)
                else:
                    values[f.name] = None
                    notes[f.name] = _("提案统计未提供满意度的分子和分母,汇总时无法重新计算。")
            elif f.kind == RATE:
                values[f.name] = results[0].get(f.source_key) if len(results) == 1 else None
                if len(results) > 1:
                    notes[f.name] = _("汇总时无法重新计算此项。")
            else:
                values[f.name], note = _combine(f.name, results)
                if note:
                    notes[f.name] = note
    return values, present, notes


def committee_report(
    *,
    committee,
    year=None,
    session=None,
    term=None,
    aggregate=False,
    plenary_only=False,
    areas=None,
) -> Report:
    """Every catalogue figure of ``committee`` for one period (``session`` / ``term``: an id or
    an instance of the committee's own), or with ``aggregate`` of the committee and all its
    descendants for a ``year``. ``areas``: restrict to these area codes (default all)."""
    if aggregate and (session is not None or term is not None):
        raise ValidationError(
            _("汇总统计只能按年度进行:会议和届属于各委员会自己,不能跨委员会汇总。")
        )
    period = _period_for(committee, year=year, session=session, term=term)
    committees = [committee]
    if aggregate:
        committees += list(
            Committee.objects.filter(pk__in=committee.descendant_ids()).order_by("code")
        )
    values, present, notes = _values(
        committees, period, areas=set(areas or AREAS), plenary_only=plenary_only
    )
    return Report(
        committee=committee,
        period=period,
        aggregate=aggregate,
        committees=committees,
        values=values,
        present=present,
        notes=notes,
    )


def _committee_json(c):
    return {
        "id": c.pk,
        "code": c.code,
        "name": c.name,
        "short_name": c.short_name,
        "level": c.level,
    }


def _jsonable(value):
    if isinstance(value, list):
        return [{"label": str(row["label"]), "value": row["value"]} for row in value]
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    return value


def report_json(report) -> dict:
    """The report as JSON-ready data (the API answer and ``zhengxie report --format json``)."""
    names = [f.name for f in CATALOGUE if f.area in report.present]
    return {
        "committee": _committee_json(report.committee),
        "period": report.period.describe(),
        "aggregate": report.aggregate,
        "committees": [_committee_json(c) for c in report.committees],
        "figures": {name: _jsonable(report.values[name]) for name in names},
        "absent": [name for name in names if not report.present[BY_NAME[name].area]],
        "definitions": {name: str(BY_NAME[name].definition) for name in names},
        "labels": {name: str(BY_NAME[name].label) for name in names},
        "notes": {name: str(text) for name, text in report.notes.items()},
    }


def descendants_side_by_side(*, committee, year) -> list[Report]:
    """The report of each child committee for ``year``, each on its own (not aggregated)."""
    children = Committee.objects.filter(parent=committee).order_by("code")
    return [committee_report(committee=child, year=year) for child in children]


def trend(*, committee, names, years, aggregate=False) -> dict:
    """{name: [(year, value), …]} for the same committee over several years."""
    areas = {BY_NAME[name].area for name in names}
    series = {name: [] for name in names}
    for year in years:
        report = committee_report(committee=committee, year=year, aggregate=aggregate, areas=areas)
        for name in names:
            series[name].append((year, report.values[name]))
    return series
