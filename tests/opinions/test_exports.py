"""The Excel export of the public-opinion report list: columns, rows, filters, audit, access."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import user_with_role
from tests.opinions.test_stats import build_data
from zhengxie.core.models import AuditAction, AuditEntry, Role, StaffOffice

HEADER = [
    "报送日期",
    "标题",
    "报送人/单位",
    "联名委员",
    "来源",
    "状态",
    "刊物期号",
    "报送上级",
    "上级采用情况",
]


@pytest.fixture
def data(committee_scope):
    return build_data(committee_scope)


def _sheet(response):
    wb = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in wb.active.iter_rows(values_only=True)]


def test_staff_export_the_filtered_list(client, committee, data):
    r = data["reports"]
    staff = user_with_role(committee, Role.STAFF, office=StaffOffice.RESEARCH)
    client.force_login(staff)
    response = client.get(reverse("opinions:export"), {"year": 2025, "source_kind": "member"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet(response)
    assert rows[0] == HEADER
    assert [row[1] for row in rows[1:]] == [r[6].title, r[3].title, r[2].title, r[9].title]
    assert rows[3] == [
        "2025-01-12",
        r[2].title,
        None,
        None,
        "委员",
        "已刊发",
        "2025年第1期",
        "市政协、省政协",
        "市级:上级单独采用、市级:上级编入刊物、省级:上级综合采用",
    ]
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert (entry.actor_id, entry.committee_id, entry.object_type) == (
        staff.pk,
        committee.pk,
        "opinions.OpinionReport",
    )
    assert entry.after == {
        "filters": {"view": "all", "year": "2025", "source_kind": "member"},
        "rows": 4,
    }


def test_bad_filters_are_dropped(client, committee, data):
    client.force_login(user_with_role(committee, Role.CHAIR))
    response = client.get(reverse("opinions:export"), {"year": "20x5", "state": "nonsense"})
    assert len(_sheet(response)) == 1 + 9  # every report but the draft


def test_members_may_not_export(client, committee, data):
    client.force_login(user_with_role(committee, Role.MEMBER))
    assert client.get(reverse("opinions:export")).status_code == 403
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT).count() == 0
