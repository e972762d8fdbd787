"""The cross-committee route walk: every route that takes an id answers a record of another
committee exactly like a missing one, by page URL and by API id.

Adding a route with an id parameter makes ``test_every_route_with_an_id_is_walked`` fail until
the route is added to ``FOREIGN`` below — so no route is left out of the walk.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.urls import URLResolver, get_resolver, reverse

from tests.factories import (
    CommitteeFactory,
    HandlingUnitFactory,
    MemberGroupFactory,
    MembershipFactory,
    ProposalCategoryFactory,
    ReplyFactory,
    SectorFactory,
    SessionFactory,
    SpecialCommitteeFactory,
    TermFactory,
    user_with_role,
)
from tests.isolation import (
    activities,
    archives,
    meetings,
    notices,
    performance,
    places,
    portal,
    reports,
    study,
    supervision,
)
from zhengxie.core.models import (
    Attachment,
    CalendarDay,
    ModerationItem,
    Recommendation,
    Role,
)
from zhengxie.core.tokens import issue_token
from zhengxie.opinions.models import Bulletin, BulletinItem, ItemHandling, OpinionReport
from zhengxie.organisation.models import Position, PositionKind
from zhengxie.proposals.models import CoSigner, ExtensionRequest

MISSING = 987654321
# Each later app keeps its records and routes for the walk in tests/isolation/<app>.py.
APP_PARTS = (
    meetings,
    activities,
    supervision,
    places,
    study,
    archives,
    portal,
    notices,
    performance,
    reports,
)


def _walk(patterns, prefix="", namespace=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = (
                f"{namespace}:{p.namespace}"
                if namespace and p.namespace
                else (p.namespace or namespace)
            )
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif p.name:
            yield (
                prefix + str(p.pattern),
                f"{namespace}:{p.name}" if namespace else p.name,
                p.pattern,
            )


def routes_with_ids():
    found = set()
    for route, name, _pattern in _walk(get_resolver().url_patterns):
        if route.startswith("django-admin") or "media" in route:
            continue
        named = ("<slug:kind>", "<slug:action>", "<int:year>")  # fixed words and years, not ids
        bare = route
        for n in named:
            bare = bare.replace(n, "")
        if "<" in bare:
            found.add(name)
    return found


def build_world(committee):
    """A full set of records in ``committee``."""
    term = TermFactory(committee=committee)
    session = SessionFactory(term=term, committee=committee)
    sector = SectorFactory(committee=committee)
    membership = MembershipFactory(committee=committee, term=term, sector=sector)
    position = Position.objects.create(
        committee=committee,
        membership=membership,
        kind=PositionKind.STANDING,
        starts_on=datetime.date(2022, 1, 10),
    )
    attachment = Attachment(
        committee=committee,
        original_name="a.pdf",
        content_type="application/pdf",
        size=3,
        sha256="1" * 64,
    )
    attachment.file.save("a.pdf", ContentFile(b"%PDF"), save=False)
    attachment.save()
    recommendation = Recommendation.objects.create(
        committee=committee,
        source_type=ContentType.objects.get_for_model(membership),
        source_id=membership.pk,
        text="建议加强农村公路养护",
        addressee="县交通运输局",
    )
    account = user_with_role(committee, Role.MEMBER)
    reply = ReplyFactory(
        assignment__proposal__committee=committee,
        assignment__proposal__session=session,
        assignment__proposal__lead=membership,
        assignment__proposal__key_state="decided",
    )
    assignment = reply.assignment
    proposal = assignment.proposal
    cosigner = CoSigner.objects.create(
        committee=committee, proposal=proposal, membership=membership, order=2
    )
    extension = ExtensionRequest.objects.create(
        committee=committee,
        assignment=assignment,
        requested_until=assignment.deadline,
        reason="复杂",
    )
    report = OpinionReport.objects.create(
        committee=committee,
        source_kind="member",
        lead=membership,
        title="关于某事的建议",
        situation="情况",
        suggestion="建议",
        state="used",
    )
    bulletin = Bulletin.objects.create(
        committee=committee,
        year=2026,
        number=1,
        title="政协社情民意",
        issued_on=datetime.date(2026, 3, 1),
    )
    item = BulletinItem.objects.create(
        committee=committee, bulletin=bulletin, position=1, kind="single", title="t", text="x"
    )
    handling = ItemHandling.objects.create(committee=committee, item=item, unit=assignment.unit)
    world = {
        "report": report,
        "bulletin": bulletin,
        "item": item,
        "handling": handling,
        "category": ProposalCategoryFactory(committee=committee),
        "proposal": proposal,
        "assignment": assignment,
        "reply": reply,
        "cosigner": cosigner,
        "extension": extension,
        "term": term,
        "session": session,
        "sector": sector,
        "special-committee": SpecialCommitteeFactory(committee=committee),
        "group": MemberGroupFactory(committee=committee),
        "unit": HandlingUnitFactory(committee=committee),
        "membership": membership,
        "position": position,
        "attachment": attachment,
        "moderation": ModerationItem.objects.create(committee=committee, text="网友留言"),
        "recommendation": recommendation,
        "calendar_day": CalendarDay.objects.create(
            committee=committee, date=datetime.date(2026, 5, 9), is_workday=True
        ),
        "account": account,
        "committee": committee,
    }
    for part in APP_PARTS:
        world.update(part.build(committee, world))
    return world


# route name -> how to build its kwargs from a world (foreign or own) and the id to use
FOREIGN = {
    "core:calendar_day_delete": lambda w, i: {"pk": i(w["calendar_day"])},
    "core:attachment_download": lambda w, i: {"pk": i(w["attachment"])},
    "core:moderation_decide": lambda w, i: {"pk": i(w["moderation"])},
    "core:recommendation_act": lambda w, i: {"pk": i(w["recommendation"])},
    "core:account_detail": lambda w, i: {"pk": i(w["account"])},
    "core:account_action": lambda w, i: {"pk": i(w["account"])},
    "organisation:member_detail": lambda w, i: {"pk": i(w["membership"])},
    "organisation:member_edit": lambda w, i: {"pk": i(w["membership"])},
    "organisation:member_status": lambda w, i: {"pk": i(w["membership"])},
    "organisation:position_add": lambda w, i: {"pk": i(w["membership"])},
    "organisation:position_end": lambda w, i: {
        "pk": i(w["membership"]),
        "position_pk": i(w["position"]),
    },
    "organisation:structure_edit": None,  # walked per kind below
    "proposals:detail": lambda w, i: {"pk": i(w["proposal"])},
    "proposals:edit": lambda w, i: {"pk": i(w["proposal"])},
    "proposals:act": lambda w, i: {"pk": i(w["proposal"]), "action": "register"},
    "proposals:key": lambda w, i: {"pk": i(w["proposal"])},
    "proposals:supervision_add": lambda w, i: {"pk": i(w["proposal"])},
    "proposals:assignment_act": lambda w, i: {"pk": i(w["assignment"]), "action": "accept"},
    "proposals:extension_request": lambda w, i: {"pk": i(w["assignment"])},
    "proposals:extension_decide": lambda w, i: {"pk": i(w["extension"])},
    "proposals:cosign": lambda w, i: {"pk": i(w["cosigner"])},
    "proposals:correct_category": lambda w, i: {"pk": i(w["reply"])},
    "proposals:follow_up": lambda w, i: {"pk": i(w["reply"])},
    "api:committee_detail": lambda w, i: {"committee_id": i(w["committee"])},
    "api:member_detail": lambda w, i: {"membership_id": i(w["membership"])},
}
FOREIGN.update(
    {
        "proposals:assignment_letter": lambda w, i: {"pk": i(w["unit"])},
        "proposals:category_edit": lambda w, i: {"pk": i(w["category"])},
        "api:proposal_detail_endpoint": lambda w, i: {"proposal_id": i(w["proposal"])},
        "api:proposal_unknown_action": lambda w, i: {
            "proposal_id": i(w["proposal"]),
            "action": "x",
        },
        "api:assignment_unknown_action": lambda w, i: {
            "assignment_id": i(w["assignment"]),
            "action": "x",
        },
        "api:cosign_answer_endpoint": lambda w, i: {"cosigner_id": i(w["cosigner"])},
    }
)
for _name in ("detail", "edit", "revise", "forward", "adoption_add", "instruction_add"):
    FOREIGN[f"opinions:{_name}"] = lambda w, i: {"pk": i(w["report"])}
FOREIGN.update(
    {
        "opinions:act": lambda w, i: {"pk": i(w["report"]), "action": "approve"},
        "opinions:bulletin_detail": lambda w, i: {"pk": i(w["bulletin"])},
        "opinions:bulletin_send": lambda w, i: {"pk": i(w["bulletin"])},
        "opinions:bulletin_docx": lambda w, i: {"pk": i(w["bulletin"])},
        "opinions:bulletin_item_add": lambda w, i: {"pk": i(w["bulletin"]), "kind": "single"},
        "opinions:bulletin_item_remove": lambda w, i: {"pk": i(w["item"])},
        "opinions:bulletin_item_transfer": lambda w, i: {"pk": i(w["item"])},
        "opinions:handling_detail": lambda w, i: {"pk": i(w["handling"])},
        "api:opinion_detail": lambda w, i: {"report_id": i(w["report"])},
    }
)
# One API route per action of the workflow tables.
for _name in (
    "submit",
    "withdraw",
    "start_review",
    "return",
    "register",
    "not_register",
    "to_opinion_letter",
    "to_public_opinion",
    "merge",
    "assign",
    "close",
):
    FOREIGN[f"api:proposal_action_{_name}"] = lambda w, i: {"proposal_id": i(w["proposal"])}
for _name in (
    "accept",
    "request_return",
    "approve_return",
    "deny_return",
    "contact",
    "reply",
    "send_view",
    "rate",
    "close",
):
    FOREIGN[f"api:assignment_action_{_name}"] = lambda w, i: {"assignment_id": i(w["assignment"])}
# Public pages are addressed by committee code, not by the user's committee: see
# tests/proposals/test_public.py (another committee's proposal under this code answers 404).
PUBLIC_ROUTES = {"proposals:public_list", "proposals:public_detail"}
for _part in APP_PARTS:
    FOREIGN.update(_part.FOREIGN)
    PUBLIC_ROUTES |= _part.PUBLIC_ROUTES
STRUCTURE_KINDS = ["term", "session", "sector", "special-committee", "group", "unit"]


def test_every_route_with_an_id_is_walked(db):
    assert routes_with_ids() - PUBLIC_ROUTES == set(FOREIGN)


@pytest.fixture
def worlds(committee):
    stranger = CommitteeFactory()
    return build_world(committee), build_world(stranger)


def _urls(world, ident):
    for name, kwargs in FOREIGN.items():
        if kwargs is None:
            for kind in STRUCTURE_KINDS:
                yield reverse(name, kwargs={"kind": kind, "pk": ident(world[kind])})
        else:
            yield reverse(name, kwargs=kwargs(world, ident))


# A schema-valid body for each API action, so the walk reaches the object look-up.
API_BODIES = {
    "return": {"note": "请补充"},
    "not_register": {"ground": "属于学术探讨的"},
    "to_opinion_letter": {"letter_unit_id": 1},
    "merge": {"merge_into_id": 1},
    "assign": {"mode": "single", "unit_ids": [1]},
    "request_return": {"reason": "不属于本单位"},
    "approve_return": {"new_unit_id": 1},
    "deny_return": {"note": "属于本单位"},
    "contact": {"way": "phone", "contact_on": "2026-01-05", "summary": "电话"},
    "reply": {"text": "答复", "category": "A"},
    "send_view": {"text": "意见"},
    "rate": {"attitude": "satisfied", "result": "satisfied"},
    "close": {"note": "说明"},
    "leave": {"reason": "出差"},
    "sign-in": {"token": "1:abc:def"},
}


def _page_response(client, url, method, headers):
    if method == "get":
        return client.get(url, headers=headers)
    if url.startswith("/api/"):
        action = url.rstrip("/").rsplit("/", 1)[-1]
        body = {"confirm": True} if "/cosignatures/" in url else API_BODIES.get(action, {})
        return client.post(url, body, content_type="application/json", headers=headers)
    return client.post(url, {"action": "approve", "reason": "x"}, headers=headers)


@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.STAFF, Role.CHAIR, Role.MEMBER, Role.UNIT, Role.LEADER]
)
def test_another_committees_records_answer_like_missing_ones(client, committee, worlds, role):
    own, foreign = worlds
    user = user_with_role(committee, role)
    client.force_login(user)
    token, _ = issue_token(user=user, role_assignment=user.active_role)
    api = {"Authorization": f"Bearer {token}"}
    foreign_urls = list(_urls(foreign, lambda obj: obj.pk))
    missing_urls = list(_urls(foreign, lambda obj: MISSING))
    for foreign_url, missing_url in zip(foreign_urls, missing_urls, strict=True):
        headers = api if foreign_url.startswith("/api/") else {}
        for method in ("get", "post"):
            seen = _page_response(client, foreign_url, method, headers)
            missing = _page_response(client, missing_url, method, headers)
            assert seen.status_code != 200 and seen.status_code < 500, (
                foreign_url,
                method,
                seen.status_code,
            )
            assert seen.status_code == missing.status_code, (
                foreign_url,
                method,
                seen.status_code,
                missing.status_code,
            )
            if foreign_url.startswith("/api/"):
                assert seen.content == missing.content, foreign_url


def test_the_most_privileged_roles_get_404_for_every_foreign_id(client, committee, worlds):
    _own, foreign = worlds
    statuses = {}
    for role in (Role.ADMIN, Role.STAFF):
        user = user_with_role(committee, role)
        client.force_login(user)
        token, _ = issue_token(user=user, role_assignment=user.active_role)
        for url in _urls(foreign, lambda obj: obj.pk):
            headers = {"Authorization": f"Bearer {token}"} if url.startswith("/api/") else {}
            response = client.get(url, headers=headers)
            if response.status_code == 405:  # a POST-only route
                response = _page_response(client, url, "post", headers)
            statuses.setdefault(url, set()).add(response.status_code)
    assert {url for url, seen in statuses.items() if 404 not in seen} == set()
