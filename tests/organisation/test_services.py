import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope

from tests.factories import MembershipFactory, SpecialCommitteeFactory
from zhengxie.core.fields import digest
from zhengxie.core.models import AuditAction, AuditEntry, Role
from zhengxie.organisation import services
from zhengxie.organisation.models import (
    Membership,
    MembershipStatus,
    MembershipStatusChange,
    Office,
    Person,
    Position,
    PositionEndReason,
    PositionKind,
    Sector,
    StatusChangeKind,
)

D = datetime.date


@pytest.fixture
def staff(make_user, committee):
    return make_user(committee, Role.STAFF)


TERM_START = D(2022, 1, 10)


def _standing(membership, staff, starts_on=TERM_START):
    return services.position_start(
        actor=staff,
        membership=membership,
        kind=PositionKind.STANDING,
        starts_on=starts_on,
        decided_by="十届一次会议",
    )


def test_resigning_writes_history_sets_left_on_and_ends_open_positions(
    committee_scope, membership, staff
):
    standing = _standing(membership, staff)
    sc = SpecialCommitteeFactory(committee=committee_scope)
    seat = services.position_start(
        actor=staff,
        membership=membership,
        kind=PositionKind.SPECIAL_COMMITTEE,
        special_committee=sc,
        role_title="委员",
        starts_on=D(2023, 3, 1),
    )

    services.membership_change_status(
        membership=membership,
        kind=StatusChangeKind.RESIGNED,
        effective_on=D(2025, 6, 30),
        decided_by="十届常委会第十次会议",
        note="本人申请",
        actor=staff,
    )

    membership.refresh_from_db()
    assert (membership.status, membership.left_on) == (MembershipStatus.RESIGNED, D(2025, 6, 30))
    change = MembershipStatusChange.objects.get(subject=membership)
    assert (change.from_state, change.to_state, change.action, change.kind) == (
        "in_office",
        "resigned",
        "resigned",
        "resigned",
    )
    assert (change.decided_by, change.note) == ("十届常委会第十次会议", "本人申请")
    assert change.actor == staff
    for position in (standing, seat):
        position.refresh_from_db()
        assert (position.ends_on, position.end_reason, position.end_decided_by) == (
            D(2025, 6, 30),
            PositionEndReason.RESIGNED,
            "十届常委会第十次会议",
        )
    audit = AuditEntry.objects.get(action=AuditAction.TRANSITION)
    assert audit.after == {"status": "resigned", "left_on": "2025-06-30"}


def test_a_second_resignation_of_the_same_member_fails_with_a_chinese_message(
    committee_scope, membership, staff
):
    kwargs = {
        "kind": StatusChangeKind.RESIGNED,
        "effective_on": D(2025, 6, 30),
        "decided_by": "常委会",
        "note": "",
    }
    services.membership_change_status(membership=membership, actor=staff, **kwargs)
    stale = Membership.objects.get(pk=membership.pk)
    stale.status = MembershipStatus.IN_OFFICE  # what the second staff member's page showed

    with pytest.raises(ValidationError) as excinfo:
        services.membership_change_status(membership=stale, actor=staff, **kwargs)

    assert excinfo.value.messages == ["该委员当前状态为「辞去」,不能办理「辞去」。"]
    assert MembershipStatusChange.objects.filter(subject=membership).count() == 1


def test_reinstating_by_adding_clears_left_on(committee_scope, membership, staff):
    services.membership_change_status(
        membership=membership,
        kind=StatusChangeKind.REMOVED,
        effective_on=D(2024, 1, 1),
        decided_by="常委会",
        note="",
        actor=staff,
    )
    services.membership_change_status(
        membership=membership,
        kind=StatusChangeKind.ADDED,
        effective_on=D(2025, 1, 1),
        decided_by="常委会",
        note="",
        actor=staff,
    )
    membership.refresh_from_db()
    assert (membership.status, membership.left_on) == (MembershipStatus.IN_OFFICE, None)
    assert list(
        MembershipStatusChange.objects.filter(subject=membership).values_list("kind", flat=True)
    ) == ["removed", "added"]


def test_a_member_cannot_change_a_status(committee_scope, membership, make_user):
    member = make_user(committee_scope, Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.membership_change_status(
            membership=membership,
            kind=StatusChangeKind.RESIGNED,
            effective_on=D(2025, 1, 1),
            decided_by="",
            note="",
            actor=member,
        )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.IN_OFFICE
    assert MembershipStatusChange.objects.count() == 0


def test_position_start_rejects_a_second_open_standing_seat(committee_scope, membership, staff):
    _standing(membership, staff)
    with pytest.raises(ValidationError) as excinfo:
        _standing(membership, staff, starts_on=D(2023, 1, 1))
    assert excinfo.value.messages == ["该委员已担任此职务。"]
    assert Position.objects.count() == 1


def test_an_office_needs_which_office(committee_scope, membership, staff):
    with pytest.raises(ValidationError) as excinfo:
        services.position_start(
            actor=staff, membership=membership, kind=PositionKind.OFFICE, starts_on=D(2022, 2, 1)
        )
    assert excinfo.value.message_dict == {"office": ["请选择领导职务。"]}
    position = services.position_start(
        actor=staff,
        membership=membership,
        kind=PositionKind.OFFICE,
        office=Office.VICE_CHAIR,
        starts_on=D(2022, 2, 1),
        decided_by="十届一次会议",
    )
    assert str(position) == "副主席"


def test_position_end_records_date_reason_and_meeting_once(committee_scope, membership, staff):
    position = _standing(membership, staff)
    services.position_end(
        actor=staff,
        position=position,
        ends_on=D(2024, 5, 1),
        reason=PositionEndReason.CHANGED,
        decided_by="常委会",
    )
    position.refresh_from_db()
    assert (position.ends_on, position.end_reason, position.end_decided_by) == (
        D(2024, 5, 1),
        "changed",
        "常委会",
    )
    with pytest.raises(ValidationError) as excinfo:
        services.position_end(
            actor=staff, position=position, ends_on=D(2024, 6, 1), reason="changed"
        )
    assert excinfo.value.messages == ["该职务已于 2024-05-01 结束。"]


def test_membership_create_writes_the_first_history_row(committee_scope, term, sector, staff):
    person = services.person_create(
        actor=staff,
        committee=committee_scope,
        data={"name": "李梅", "gender": "female", "id_number": "330102197501010012"},
    )
    membership = services.membership_create(
        actor=staff,
        committee=committee_scope,
        term=term,
        person=person,
        data={"sector": sector, "joined_on": D(2024, 3, 1)},
        kind=StatusChangeKind.ADDED,
        decided_by="十届常委会第八次会议",
    )
    change = MembershipStatusChange.objects.get(subject=membership)
    assert (change.kind, change.effective_on, change.decided_by) == (
        "added",
        D(2024, 3, 1),
        "十届常委会第八次会议",
    )
    assert Person.objects.get(pk=person.pk).id_number == "330102197501010012"
    created = AuditEntry.objects.filter(action=AuditAction.CREATE).order_by("pk")
    assert [a.object_type for a in created] == ["organisation.Person", "organisation.Membership"]
    assert created[0].after["id_number"] == "***"


def test_person_create_rejects_an_id_number_already_registered(committee_scope, membership, staff):
    existing = membership.person
    existing.id_number_digest = digest(existing.id_number)
    existing.save(update_fields=["id_number_digest"])
    with pytest.raises(ValidationError) as excinfo:
        services.person_create(
            actor=staff,
            committee=committee_scope,
            data={"name": "重复", "gender": "male", "id_number": membership.person.id_number},
        )
    assert excinfo.value.message_dict == {"id_number": ["该身份证号已登记在其他人员名下。"]}


def test_membership_update_audits_only_changed_fields(committee_scope, membership, staff):
    services.membership_update(
        actor=staff, membership=membership, data={"work_unit": "县教育局", "job_title": "局长"}
    )
    audit = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert audit.before == {"work_unit": "县人民医院", "job_title": ""}
    assert audit.after == {"work_unit": "县教育局", "job_title": "局长"}


def test_structure_create_rejects_a_duplicate_name(committee_scope, sector, staff):
    with pytest.raises(ValidationError) as excinfo:
        services.structure_create(
            actor=staff, committee=committee_scope, model=Sector, data={"name": sector.name}
        )
    assert excinfo.value.message_dict == {"name": [f"界别「{sector.name}」已存在。"]}
    assert Sector.objects.count() == 1


def test_structure_names_are_unique_per_committee_only(sector, make_user, other_committee):
    other_staff = make_user(other_committee, Role.STAFF)
    with scope(committee=other_committee):
        created = services.structure_create(
            actor=other_staff, committee=other_committee, model=Sector, data={"name": sector.name}
        )
    assert created.committee == other_committee


def test_membership_factory_members_are_scoped(committee_scope, other_committee):
    MembershipFactory(committee=other_committee)
    assert Membership.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_two_staff_resigning_the_same_member_at_once_one_succeeds(committee, term, sector):
    """Real concurrency needs row locks: PostgreSQL only (SQLite is covered sequentially above)."""
    import threading

    from django.db import connection, connections

    from tests.factories import user_with_role

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    membership = MembershipFactory(committee=committee, term=term, sector=sector)
    staff = [user_with_role(committee, Role.STAFF) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes = []

    def resign(actor):
        try:
            with scope(committee=committee):
                barrier.wait()
                services.membership_change_status(
                    membership=membership,
                    kind=StatusChangeKind.RESIGNED,
                    effective_on=D(2025, 6, 30),
                    decided_by="常委会",
                    note="",
                    actor=actor,
                )
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=resign, args=(actor,)) for actor in staff]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["ok", "该委员当前状态为「辞去」,不能办理「辞去」。"]
    assert MembershipStatusChange.objects.filter(subject=membership).count() == 1
