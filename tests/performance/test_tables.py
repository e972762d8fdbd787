"""Point tables: a year's table starts from the previous year's or the default table, once; every
save is a new version and the old ones stay; bad rows are named in Chinese and nothing is
written."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import user_with_role
from zhengxie.core.models import Role
from zhengxie.performance import defaults, tables
from zhengxie.performance.models import PointRule, PointTable, PointTableVersion


@pytest.fixture
def admin(committee):
    return user_with_role(committee, Role.ADMIN)


def edited(version, **changes):
    contents = tables.version_contents(version)
    contents.update(changes)
    return contents


def test_ensure_starts_from_the_default_table(committee_scope):
    table = tables.table_ensure(committee=committee_scope, year=2026)
    version = table.versions.get()
    assert (version.number, version.note, version.pass_mark) == (1, "默认积分表", D("60"))
    assert version.commendation_threshold == D("120")
    assert version.rules.count() == len(defaults.RULES)
    assert version.exit_rules.count() == len(defaults.EXIT_RULES)
    first = version.rules.order_by("position").first()
    assert (first.kind, first.sub_kind, first.label, first.points) == (
        "attendance",
        "plenary.attended",
        "出席全体会议",
        D("50.00"),
    )


def test_ensure_copies_the_latest_version_of_the_previous_year(committee_scope, admin):
    old = tables.table_ensure(committee=committee_scope, year=2025)
    contents = edited(old.versions.get(), pass_mark="70")
    contents["rules"] = contents["rules"][:3]
    tables.table_save(actor=admin, table=old, contents=contents, note="精简")
    table = tables.table_ensure(committee=committee_scope, year=2026)
    version = table.versions.get()
    assert version.note == "沿用2025年度积分表"
    assert version.pass_mark == D("70.00")
    assert [r.label for r in version.rules.order_by("position")] == [
        "出席全体会议",
        "全体会议请假(批准)",
        "全体会议请假(未批准)",
    ]


def test_ensure_is_idempotent(committee_scope):
    first = tables.table_ensure(committee=committee_scope, year=2026)
    again = tables.table_ensure(committee=committee_scope, year=2026)
    assert first.pk == again.pk
    assert PointTable.objects.count() == 1
    assert PointTableVersion.objects.count() == 1


def test_save_writes_a_new_version_and_keeps_the_old(committee_scope, admin):
    table = tables.table_ensure(committee=committee_scope, year=2026)
    v1 = table.versions.get()
    contents = edited(v1, commendation_share=20)
    contents["rules"][0]["points"] = "55"
    v2 = tables.table_save(actor=admin, table=table, contents=contents, note="出席加分")
    assert (v2.number, v2.note, v2.created_by, v2.commendation_share) == (2, "出席加分", admin, 20)
    assert v2.rules.order_by("position").first().points == D("55.00")
    assert v1.rules.order_by("position").first().points == D("50.00")
    assert PointRule.objects.filter(version=v1).count() == len(defaults.RULES)


def test_bad_rows_are_named_in_chinese_and_nothing_is_written(committee_scope, admin):
    table = tables.table_ensure(committee=committee_scope, year=2026)
    contents = edited(table.versions.get())
    contents["rules"][2]["points"] = "很多"
    contents["rules"][4]["kind"] = "nonsense"
    with pytest.raises(ValidationError) as exc:
        tables.table_save(actor=admin, table=table, contents=contents, note="x")
    assert exc.value.message_dict == {"rules": ["第3行:分值须为数字。", "第5行:履职事项无效。"]}
    assert PointTableVersion.objects.count() == 1
    assert PointRule.objects.count() == len(defaults.RULES)


@pytest.mark.parametrize("role", [Role.STAFF, Role.CHAIR, Role.MEMBER])
def test_only_admins_save(committee_scope, role):
    table = tables.table_ensure(committee=committee_scope, year=2026)
    user = user_with_role(committee_scope, role)
    with pytest.raises(PermissionDenied):
        tables.table_save(actor=user, table=table, contents=edited(table.versions.get()), note="x")
    assert PointTableVersion.objects.count() == 1
