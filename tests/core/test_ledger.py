import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from zhengxie.core.duty import DUTY_KINDS, register_duty_kind
from zhengxie.core.ledger import correct_duty, record_duty
from zhengxie.core.models import DutyRecord, DutyRole, ImmutableRowError, Level

DAY = datetime.date(2026, 3, 2)


def test_it_records_a_joint_duty_with_role_order_and_size(committee_scope, membership, staff_user):
    row = record_duty(
        membership=membership,
        kind="proposal",
        sub_kind="co_signed",
        occurred_on=DAY,
        role=DutyRole.CO_SIGNER,
        order=2,
        participants=3,
        source=membership.term,
        actor=staff_user,
    )
    assert (row.committee_id, row.kind, row.sub_kind, row.role, row.order, row.participants) == (
        membership.committee_id,
        "proposal",
        "co_signed",
        "co_signer",
        2,
        3,
    )
    assert row.source == membership.term
    assert row.title == str(membership.term)


def test_it_records_level_and_half_days(committee_scope, membership):
    row = record_duty(
        membership=membership,
        kind="opinion",
        sub_kind="adopted_province",
        occurred_on=DAY,
        level=Level.PROVINCE,
        half_days=2,
    )
    assert (row.level, row.half_days) == ("province", 2)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "nonsense"}, "未知的履职事项"),
        ({"kind": "proposal", "sub_kind": "nonsense"}, "未知的履职事项"),
        ({"kind": "proposal", "role": "boss"}, "未知的履职角色"),
        ({"kind": "opinion", "level": "galactic"}, "未知的级别"),
        ({"kind": "proposal", "order": 4, "participants": 3}, "排序应在"),
    ],
)
def test_it_rejects_bad_duty_rows(committee_scope, membership, kwargs, message):
    with pytest.raises(ValidationError, match=message):
        record_duty(membership=membership, occurred_on=DAY, **kwargs)
    assert DutyRecord.objects.count() == 0


def test_rows_are_append_only_and_corrected_by_a_negative_row(
    committee_scope, membership, staff_user
):
    row = record_duty(membership=membership, kind="inspection", occurred_on=DAY)
    with pytest.raises(ImmutableRowError):
        DutyRecord.objects.filter(pk=row.pk).delete()
    correction = correct_duty(record=row, actor=staff_user, note="误录")
    assert correction.weight == -1
    assert DutyRecord.objects.filter(membership=membership, kind="inspection").aggregate(
        n=Sum("weight")
    ) == {"n": 0}
    with pytest.raises(ValidationError, match="已被更正"):
        correct_duty(record=row, actor=staff_user)


def test_later_apps_extend_the_list_of_kinds(committee_scope, membership):
    register_duty_kind("archive_material", "文史资料", {"submitted": "提供文史资料"})
    try:
        row = record_duty(
            membership=membership, kind="archive_material", sub_kind="submitted", occurred_on=DAY
        )
        assert row.kind == "archive_material"
    finally:
        DUTY_KINDS.pop("archive_material")


def test_another_committee_does_not_see_the_ledger(membership, other_committee):
    from django_scopes import scope

    with scope(committee=membership.committee):
        record_duty(membership=membership, kind="study", sub_kind="study", occurred_on=DAY)
    with scope(committee=other_committee):
        assert DutyRecord.objects.count() == 0
