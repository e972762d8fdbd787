import datetime

import pytest
from django_scopes import scope

from tests.factories import (
    MemberGroupFactory,
    MembershipFactory,
    PersonFactory,
    SpecialCommitteeFactory,
)
from zhengxie.core.models import Role
from zhengxie.organisation import queries, services
from zhengxie.organisation.models import PositionEndReason, PositionKind, StatusChangeKind

D = datetime.date


@pytest.fixture
def staff(make_user, committee):
    return make_user(committee, Role.STAFF)


def _change(membership, kind, on, staff):
    services.membership_change_status(
        membership=membership, kind=kind, effective_on=on, decided_by="常委会", note="", actor=staff
    )


def _standing(membership, on, staff):
    return services.position_start(
        actor=staff, membership=membership, kind=PositionKind.STANDING, starts_on=on
    )


def test_status_changes_counts_one_year_of_added_resigned_and_standing_members(
    committee_scope, term, sector, staff, other_committee, make_user
):
    members = [
        MembershipFactory(committee=committee_scope, term=term, sector=sector) for _ in range(8)
    ]
    for m in members[:2]:
        _standing(m, D(2022, 1, 10), staff)
    for m in members[2:5]:
        _standing(m, D(2025, 3, 1), staff)
    _change(members[0], StatusChangeKind.RESIGNED, D(2025, 4, 1), staff)  # standing member
    _change(members[5], StatusChangeKind.RESIGNED, D(2025, 5, 1), staff)
    _change(members[6], StatusChangeKind.RESIGNED, D(2024, 12, 31), staff)  # previous year
    _change(members[7], StatusChangeKind.REMOVED, D(2025, 6, 1), staff)
    services.position_end(
        actor=staff,
        position=members[1].positions.get(),
        ends_on=D(2025, 7, 1),
        reason=PositionEndReason.RESIGNED,
    )
    services.position_end(
        actor=staff,
        position=members[2].positions.get(),
        ends_on=D(2025, 8, 1),
        reason=PositionEndReason.CHANGED,
    )
    for i in range(2):
        person = PersonFactory(committee=committee_scope)
        services.membership_create(
            actor=staff,
            committee=committee_scope,
            term=term,
            person=person,
            data={"sector": sector, "joined_on": D(2025, 9, 1 + i)},
            kind=StatusChangeKind.ADDED,
        )
    other_staff = make_user(other_committee, Role.STAFF)
    with scope(committee=other_committee):
        elsewhere = MembershipFactory(committee=other_committee)
        _change(elsewhere, StatusChangeKind.RESIGNED, D(2025, 4, 1), other_staff)

    assert queries.status_changes(2025) == {
        "year": 2025,
        "elected": 0,
        "added": 2,
        "resigned": 2,
        "removed": 1,
        "ended": 0,
        "standing_added": 3,
        "standing_resigned": 2,
        "standing_removed": 0,
    }
    assert queries.status_changes(2024)["resigned"] == 1


def test_directory_filters_return_exact_members(committee_scope, term, sector, staff):
    from tests.factories import SectorFactory

    other_sector = SectorFactory(committee=committee_scope)
    group = MemberGroupFactory(committee=committee_scope)
    sc = SpecialCommitteeFactory(committee=committee_scope)

    def member(name, **kw):
        person = PersonFactory(
            committee=committee_scope,
            name=name,
            party=kw.pop("party", "中共党员"),
            ethnicity=kw.pop("ethnicity", "汉族"),
        )
        kw.setdefault("sector", sector)
        return MembershipFactory(committee=committee_scope, term=term, person=person, **kw)

    wang = member("王芳", group=group)
    li = member("李强", party="民盟")
    member("赵敏", ethnicity="回族", sector=other_sector)
    chen = member("陈立")
    _standing(wang, D(2022, 1, 10), staff)
    services.position_start(
        actor=staff,
        membership=li,
        kind=PositionKind.SPECIAL_COMMITTEE,
        special_committee=sc,
        starts_on=D(2022, 2, 1),
    )
    _change(chen, StatusChangeKind.RESIGNED, D(2024, 1, 1), staff)

    def names(**filters):
        return [m.person.name for m in queries.membership_directory(**filters)]

    assert names() == ["李强", "王芳", "赵敏", "陈立"]
    assert names(sector=other_sector) == ["赵敏"]
    assert names(party="民盟") == ["李强"]
    assert names(group=group) == ["王芳"]
    assert names(special_committee=sc) == ["李强"]
    assert names(standing=True) == ["王芳"]
    assert names(standing=False) == ["李强", "赵敏", "陈立"]
    assert names(status="resigned") == ["陈立"]
    assert names(ethnicity="回族") == ["赵敏"]
    assert names(q="王") == ["王芳"]
    assert queries.directory_choices() == {
        "parties": ["中共党员", "民盟"],
        "ethnicities": ["回族", "汉族"],
    }
