"""Committee isolation, enforced in one place.

Every committee-owned model uses ``CommitteeScopedManager`` as its default manager. Inside
``scope(committee=c)`` (set by ``CommitteeScopeMiddleware`` for every request and by the API auth)
a query returns only the rows of committee ``c`` plus rows explicitly shared with ``c`` (see
``core.models.sharing.Share``). Outside any scope a query raises ``ScopeError``, so a forgotten
scope fails loudly instead of leaking. Management commands, migrations and aggregate figures for
ancestor committees run under ``scopes_disabled()`` on purpose.
"""

from django.db import models
from django.db.models import Q
from django_scopes import ScopeError, get_scope, scope, scopes_disabled

__all__ = [
    "AggregateScope",
    "aggregate_scope",
    "CommitteeScopedManager",
    "ScopeError",
    "active_committee",
    "scope",
    "scopes_disabled",
]


class UnscopedQuerySet(models.QuerySet):
    """Returned outside any scope. It may be built on (filtered, ordered, put in a Prefetch or a
    form field at import time) but raises ``ScopeError`` as soon as it would read or write rows,
    so a query that escaped its committee's scope fails loudly instead of leaking. Forms and
    module-level querysets are evaluated inside a request's scope only if built there."""

    def _refuse(self, *args, **kwargs):
        raise ScopeError("A scope on dimension(s) committee needs to be active for this query.")

    _fetch_all = _refuse
    count = _refuse
    exists = _refuse
    contains = _refuse
    aggregate = _refuse
    iterator = _refuse
    update = _refuse
    delete = _refuse
    _raw_delete = _refuse
    _update = _refuse
    in_bulk = _refuse
    explain = _refuse
    get_or_create = _refuse
    update_or_create = _refuse


class AggregateScope(tuple):
    """The committee ids a figure adds up: a committee and its descendants (see aggregate_scope)."""


def aggregate_scope(committee):
    """Scope for computing aggregate figures over ``committee`` and every committee below it.

    Only figure functions (counts, sums) may run inside it: ancestors get numbers, never rows.
    """
    return scope(committee=AggregateScope([committee.pk, *committee.descendant_ids()]))


def active_committee():
    """The committee of the current scope, or None (no scope, or disabled)."""
    current = get_scope()
    if not current.get("_enabled", True):
        return None
    committee = current.get("committee")
    return None if isinstance(committee, AggregateScope) else committee


class CommitteeScopedManager(models.Manager):
    """Filters by ``committee_lookup``; ``shareable`` models also see rows shared with them."""

    def __init__(self, committee_lookup="committee", shareable=False, extra_lookups=()):
        super().__init__()
        self.committee_lookup = committee_lookup
        self.shareable = shareable
        self.extra_lookups = tuple(extra_lookups)

    def get_queryset(self):
        current = get_scope()
        if not current.get("_enabled", True):
            return super().get_queryset()
        if "committee" not in current:
            return UnscopedQuerySet(self.model, using=self._db)
        committee = current["committee"]
        if committee is None:
            return super().get_queryset().none()
        if isinstance(committee, AggregateScope):
            return super().get_queryset().filter(**{f"{self.committee_lookup}__in": committee})
        condition = Q(**{self.committee_lookup: committee})
        for lookup in self.extra_lookups:
            condition |= Q(**{lookup: committee})
        if self.shareable:
            from zhengxie.core.models.sharing import Share

            condition |= Q(pk__in=Share.object_ids_for(self.model, committee))
        qs = super().get_queryset().filter(condition)
        if self.extra_lookups:
            qs = qs.distinct()
        return qs
