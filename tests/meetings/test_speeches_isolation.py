"""Another committee's speech or session answers exactly like a missing one, for every role
(the same walk tests/test_isolation.py makes, for the speech routes alone)."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.factories import (
    CommitteeFactory,
    MembershipFactory,
    ProposalCategoryFactory,
    SessionFactory,
    TermFactory,
    user_with_role,
)
from zhengxie.core.models import Role
from zhengxie.meetings.models import Speech

MISSING = 987654


def build(committee):
    term = TermFactory(committee=committee)
    session = SessionFactory(committee=committee, term=term)
    speech = Speech.objects.create(
        committee=committee,
        session=session,
        membership=MembershipFactory(committee=committee, term=term),
        category=ProposalCategoryFactory(committee=committee),
        title="大会发言",
        body="内容",
        state="submitted",
    )
    return {"speech": speech, "session": session}


ROUTES = {
    "meetings:speech_detail": lambda w, i: {"pk": i(w["speech"])},
    "meetings:speech_update": lambda w, i: {"pk": i(w["speech"])},
    "meetings:speech_act": lambda w, i: {"pk": i(w["speech"]), "action": "choose_oral"},
    "meetings:speech_review": lambda w, i: {"session_pk": i(w["session"])},
    "meetings:speech_reorder": lambda w, i: {"session_pk": i(w["session"])},
    "meetings:speech_compile": lambda w, i: {"session_pk": i(w["session"])},
}


@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.STAFF, Role.CHAIR, Role.MEMBER, Role.UNIT, Role.LEADER]
)
def test_foreign_speeches_answer_like_missing_ones(client, committee, role):
    with scopes_disabled():
        foreign = build(CommitteeFactory())
    client.force_login(user_with_role(committee, role))
    for name, kwargs in ROUTES.items():
        seen_url = reverse(name, kwargs=kwargs(foreign, lambda o: o.pk))
        missing_url = reverse(name, kwargs=kwargs(foreign, lambda o: MISSING))
        for method in ("get", "post"):
            seen = getattr(client, method)(seen_url)
            missing = getattr(client, method)(missing_url)
            assert seen.status_code != 200 and seen.status_code < 500, (name, method)
            assert seen.status_code == missing.status_code, (name, method, seen.status_code)
    with scopes_disabled():
        assert Speech.objects.get().state == "submitted"
