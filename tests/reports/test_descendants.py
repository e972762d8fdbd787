"""下级政协统计: a city sees its counties side by side with the aggregate (figures only); a
county sees only its own children (none: a message), never the city's or a sibling's figures."""

import datetime
import io

import pytest
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from tests.factories import (
    CommitteeFactory,
    ProposalFactory,
    SessionFactory,
    TermFactory,
    user_with_role,
)
from zhengxie.core.models import AuditAction, AuditEntry, Level, Role
from zhengxie.proposals.models import ProposalState

YEAR = 2025
URL = reverse("reports:descendants")
EXPORT = reverse("reports:descendants_export")


def _proposals(committee, states):
    with scope(committee=committee):
        session = SessionFactory(
            committee=committee,
            term=TermFactory(committee=committee),
            opens_on=datetime.date(YEAR, 1, 10),
            closes_on=datetime.date(YEAR, 1, 13),
        )
        for state in states:
            ProposalFactory(committee=committee, session=session, state=state)


@pytest.fixture
def city(db):
    city = CommitteeFactory(level=Level.CITY, short_name="测试市政协")
    east = CommitteeFactory(parent=city, short_name="东县政协", code="C-EAST")
    west = CommitteeFactory(parent=city, short_name="西县政协", code="C-WEST")
    _proposals(city, [ProposalState.REGISTERED])
    _proposals(east, [ProposalState.REGISTERED, ProposalState.NOT_REGISTERED])
    _proposals(west, [ProposalState.REGISTERED])
    return {"city": city, "east": east, "west": west}


def _row(html, name):
    section = html.split(f'id="row-{name}"')[1].split("</tr>")[0]
    import re

    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", section)]


def test_city_sees_both_counties_and_the_aggregate(city, login):
    staff = user_with_role(city["city"], Role.STAFF)
    response = login(staff).get(URL, {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<small class="text-muted fs-6" id="stats-period">2025年</small>' in html
    header = html.split("<thead>")[1].split("</thead>")[0]
    assert header.index("东县政协") < header.index("西县政协") < header.index("本级及下级合计")
    # first cell is the area column (blank after the first row of an area)
    assert _row(html, "proposals_received")[1:] == ["2", "1", "4"]
    assert _row(html, "proposals_registered")[1:] == ["1", "1", "3"]
    assert _row(html, "registration_rate")[1:] == ["50.0%", "100.0%", "75.0%"]
    assert _row(html, "absent-consultations") == ["协商", "尚未启用", "尚未启用", "尚未启用"]
    assert 'id="row-plan_items"' not in html
    # figures only: no link to any record list
    table = html.split('id="descendants-table"')[1].split("</table>")[0]
    assert "href" not in table


def test_county_without_children_sees_a_message(city, login):
    staff = user_with_role(city["east"], Role.STAFF)
    html = login(staff).get(URL, {"year": YEAR}).content.decode()
    assert 'id="no-descendants"' in html
    assert "没有下级政协委员会" in html
    for name in ("西县政协", "测试市政协", "本级及下级合计"):
        assert name not in html.split('id="no-descendants"')[1]
    assert 'id="descendants-table"' not in html
    assert login(staff).get(EXPORT, {"year": YEAR}).status_code == 404


def test_county_sees_only_its_own_children(city, login):
    town = CommitteeFactory(parent=city["east"], short_name="东县某镇政协联络委", code="C-EAST-1")
    _proposals(town, [ProposalState.REGISTERED] * 3)
    staff = user_with_role(city["east"], Role.STAFF)
    html = login(staff).get(URL, {"year": YEAR}).content.decode()
    header = html.split("<thead>")[1].split("</thead>")[0]
    assert "东县某镇政协联络委" in header
    assert "西县政协" not in html and "测试市政协" not in header
    assert _row(html, "proposals_received")[1:] == ["3", "5"]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.UNIT, Role.LEADER])
def test_descendants_forbidden(city, login, role):
    client = login(user_with_role(city["city"], role))
    assert client.get(URL).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_bad_year(city, login):
    client = login(user_with_role(city["city"], Role.STAFF))
    response = client.get(URL, {"year": "abc"})
    assert response.status_code == 400
    assert "年度应为四位数字" in response.content.decode()


def test_descendants_export(city, login):
    staff = user_with_role(city["city"], Role.STAFF)
    response = login(staff).get(EXPORT, {"year": YEAR})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    rows = [tuple(r) for r in wb.active.iter_rows(values_only=True)]
    assert rows[0] == ("领域", "指标", "东县政协", "西县政协", "本级及下级合计")
    assert ("提案", "收到提案", "2", "1", "4") in rows
    assert ("提案", "立案率", "50.0%", "100.0%", "75.0%") in rows
    assert ("协商", None, "尚未启用", "尚未启用", "尚未启用") in rows
    with scope(committee=city["city"]):
        entry = AuditEntry.objects.get(action=AuditAction.EXPORT, object_type="reports.Descendants")
    assert entry.actor == staff
