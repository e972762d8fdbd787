"""Grouping helpers of the figure functions that count many committees in one query (the
``*_figures_for`` functions of each app's ``stats.py``)."""


def grouped_rows(qs, *fields, **aggregates):
    """The rows of ``qs`` grouped by ``committee_id`` and ``fields``, with ``aggregates``."""
    return qs.values("committee_id", *fields).annotate(**aggregates).order_by()


def by_committee(qs, **aggregates) -> dict:
    """{committee id: {name: value}} of ``aggregates`` over ``qs`` grouped by committee."""
    return {row.pop("committee_id"): row for row in grouped_rows(qs, **aggregates)}
