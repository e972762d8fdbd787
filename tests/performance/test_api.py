from decimal import Decimal as D

import pytest

from tests.factories import MembershipFactory
from tests.performance.test_scoring import DAY, contents, duty
from zhengxie.core.models import Role
from zhengxie.core.tokens import issue_token
from zhengxie.performance import tables
from zhengxie.performance.models import PointTable


@pytest.fixture
def scored(county, make_user):
    admin = make_user(county.committee, Role.ADMIN)
    table = PointTable.objects.create(committee=county.committee, year=DAY.year)
    tables.table_save(actor=admin, table=table, contents=contents(), note="测试规则")
    user, membership = county.members[0]
    duty(membership, "attendance", "plenary.attended")
    for _ in range(3):
        duty(membership, "inspection")
    return county, user, membership, table


def bearer(user):
    token, _ = issue_token(user=user, role_assignment=user.active_role)
    return {"Authorization": f"Bearer {token}"}


def test_a_member_reads_their_own_score_with_every_row(client, scored):
    county, user, membership, _table = scored
    response = client.get(f"/api/v1/performance/me?year={DAY.year}", headers=bearer(user))
    body = response.json()
    assert response.status_code == 200
    assert (body["membership_id"], D(body["total"]), body["version"]) == (membership.pk, 56, 1)
    assert [line["note"] for line in body["lines"]][-1] == "已达本项年度上限 6.00 分"
    assert {s["rule"]: s["capped"] for s in body["subtotals"]} == {
        "出席全体会议": False,
        "视察": True,
    }


def test_a_member_cannot_read_another_members_score(client, scored):
    county, user, _membership, _table = scored
    other = county.members[1][1]
    url = f"/api/v1/performance/members/{other.pk}/score?year={DAY.year}"
    assert client.get(url, headers=bearer(user)).status_code == 404


def test_staff_rescore_with_an_older_version(client, scored, make_user):
    county, _user, membership, table = scored
    admin = make_user(county.committee, Role.ADMIN)
    rows = contents()
    rows["rules"][0]["points"] = "40"
    tables.table_save(actor=admin, table=table, contents=rows, note="调整")
    url = f"/api/v1/performance/members/{membership.pk}/score?year={DAY.year}"
    staff = bearer(county.staff)
    assert D(client.get(url, headers=staff).json()["total"]) == 46
    assert D(client.get(url + "&version=1", headers=staff).json()["total"]) == 56
    assert client.get(url + "&version=9", headers=staff).status_code == 404


def test_a_member_without_a_seat_has_no_score(client, county, make_user):
    stranger = make_user(county.committee, Role.MEMBER)
    MembershipFactory(committee=county.committee, term=county.term)
    assert client.get("/api/v1/performance/me", headers=bearer(stranger)).status_code == 404
