"""Builders for activities tests: records made through the services where it matters."""

import datetime

from tests.factories import MembershipFactory, TermFactory
from zhengxie.activities import services
from zhengxie.organisation.models import Term


def term_of(committee):
    return Term._base_manager.filter(committee=committee).first() or TermFactory(
        committee=committee
    )


def member(committee, **kwargs):
    return MembershipFactory(committee=committee, term=term_of(committee), **kwargs)


def activity(actor, committee, state="planned", plan_item=None, **data):
    values = {
        "title": "乡村振兴专题视察",
        "category": "inspection",
        "kind": "视察",
        "starts_on": datetime.date(2026, 5, 12),
        "half_days": "1",
        "place": "城关镇",
        "state": state,
    }
    values.update(data)
    return services.activity_create(
        actor=actor, committee=committee, data=values, plan_item=plan_item
    )
