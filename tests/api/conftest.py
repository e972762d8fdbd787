"""API tests: a bearer token per user, and a small roster for two committees."""

import datetime

import pytest
from django.test import Client

from tests.factories import (
    CommitteeFactory,
    HandlingUnitFactory,
    MemberGroupFactory,
    MembershipFactory,
    PersonFactory,
    SectorFactory,
    SessionFactory,
    SpecialCommitteeFactory,
    TermFactory,
)
from zhengxie.core.tokens import issue_token
from zhengxie.organisation.models import (
    MembershipStatus,
    MembershipStatusChange,
    Position,
    PositionKind,
)


@pytest.fixture
def api_client(db):
    """api_client(user) -> a client sending that user's bearer token; api_client() anonymous."""

    def _client(user=None):
        if user is None:
            return Client()
        raw, _token = issue_token(user=user, role_assignment=user.active_role)
        return Client(headers={"Authorization": f"Bearer {raw}"})

    return _client


def build_roster(committee):
    """Two sectors, one group, one special committee, four members of the current term
    (one resigned, one 常委, one in the special committee), one session and one unit."""
    term = TermFactory(committee=committee)
    session = SessionFactory(committee=committee, term=term, number=1)
    economy = SectorFactory(committee=committee, name="经济界", position=1)
    education = SectorFactory(committee=committee, name="教育界", position=2)
    group = MemberGroupFactory(committee=committee, name="城关镇小组")
    special = SpecialCommitteeFactory(committee=committee, name="提案委员会")
    unit = HandlingUnitFactory(committee=committee, name="县教育局")

    def member(name, sector, **person):
        return MembershipFactory(
            committee=committee,
            term=term,
            sector=sector,
            person=PersonFactory(committee=committee, name=name, **person),
        )

    wang = member(
        "王一", economy, party="民革", phone="13900001111", id_number="330102197501011234"
    )
    li = member("李二", economy, party="中共党员", ethnicity="回族", religion="伊斯兰教")
    zhao = member("赵三", education, party="民盟")
    qian = member("钱四", education, party="民盟")
    wang.group = group
    wang.save(update_fields=["group"])
    qian.status = MembershipStatus.RESIGNED
    qian.left_on = datetime.date(2024, 3, 1)
    qian.save(update_fields=["status", "left_on"])
    MembershipStatusChange.objects.create(
        subject=qian,
        committee=committee,
        to_state=MembershipStatus.RESIGNED,
        action="resigned",
        kind="resigned",
        effective_on=datetime.date(2024, 3, 1),
        decided_by="十届常委会第十次会议",
    )
    Position.objects.create(
        committee=committee,
        membership=li,
        kind=PositionKind.STANDING,
        starts_on=datetime.date(2022, 1, 10),
    )
    Position.objects.create(
        committee=committee,
        membership=zhao,
        kind=PositionKind.SPECIAL_COMMITTEE,
        special_committee=special,
        role_title="主任",
        starts_on=datetime.date(2022, 1, 10),
    )
    return {
        "term": term,
        "session": session,
        "economy": economy,
        "education": education,
        "group": group,
        "special": special,
        "unit": unit,
        "wang": wang,
        "li": li,
        "zhao": zhao,
        "qian": qian,
    }


@pytest.fixture
def roster(committee):
    return build_roster(committee)


@pytest.fixture
def other_roster(db):
    """The same roster in an unrelated (sibling) committee."""
    return build_roster(CommitteeFactory())
