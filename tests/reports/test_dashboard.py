"""The dashboard (统计总览): who may open it, exact figures on a small fixed data set, absent
areas, drill-down links, chart JSON, the points distribution, query count and the .xlsx export."""

import datetime
import io
import json
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope
from openpyxl import load_workbook

from tests.factories import (
    AssignmentFactory,
    HandlingUnitFactory,
    ProposalCategoryFactory,
    ProposalFactory,
    ReplyFactory,
    SessionFactory,
    TermFactory,
    user_with_role,
)
from zhengxie.core.models import AuditAction, AuditEntry, Role
from zhengxie.proposals.models import ProposalState

YEAR = 2025
URL = reverse("reports:dashboard")


@pytest.fixture
def data(committee):
    """Three proposals submitted in 2025: two registered (one replied with A), one merged."""
    with scope(committee=committee):
        term = TermFactory(committee=committee)
        session = SessionFactory(
            committee=committee,
            term=term,
            opens_on=datetime.date(YEAR, 1, 10),
            closes_on=datetime.date(YEAR, 1, 13),
        )
        category = ProposalCategoryFactory(committee=committee, name="经济建设")
        unit = HandlingUnitFactory(committee=committee, name="县发改局")
        first = ProposalFactory(
            committee=committee, session=session, state=ProposalState.ASSIGNED, category=category
        )
        second = ProposalFactory(
            committee=committee, session=session, state=ProposalState.ASSIGNED, category=category
        )
        ProposalFactory(committee=committee, session=session, state=ProposalState.MERGED)
        ReplyFactory(assignment=AssignmentFactory(proposal=first, unit=unit), category="A")
        AssignmentFactory(proposal=second, unit=unit)
        return {"session": session, "category": category, "unit": unit, "term": term}


def _figure(html, name):
    match = re.search(rf'id="figure-{name}">(.*?)</td>', html, re.S)
    assert match, name
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _json_scripts(html):
    return {
        m.group(1): json.loads(m.group(2))
        for m in re.finditer(
            r'<script id="([^"]+)" type="application/json">(.*?)</script>', html, re.S
        )
    }


@pytest.mark.parametrize("role", [Role.STAFF, Role.CHAIR, Role.LEADER, Role.ADMIN])
def test_dashboard_opens_for_staff_chairs_leaders(committee, login, role):
    response = login(user_with_role(committee, role)).get(URL)
    assert response.status_code == 200
    assert "统计总览" in response.content.decode()


@pytest.mark.parametrize("role", [Role.MEMBER, Role.UNIT])
def test_dashboard_forbidden_for_members_and_units(committee, login, role):
    client = login(user_with_role(committee, role))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("reports:dashboard_export")).status_code == 403


def test_dashboard_requires_login(client):
    assert client.get(URL).status_code == 302


def test_exact_figures_for_a_year(committee, data, staff_user, login):
    html = login(staff_user).get(URL, {"year": YEAR}).content.decode()
    assert _figure(html, "proposals_received") == "3"
    assert _figure(html, "proposals_registered") == "2"
    assert _figure(html, "registration_rate") == "66.7%"
    assert _figure(html, "proposals_replied") == "1"
    assert _figure(html, "reply_rate") == "50.0%"
    assert _figure(html, "adoption_rate") == "50.0%"
    assert _figure(html, "opinions_received") == "0"
    assert _figure(html, "plenary_meetings") == "0"
    assert "2025年" in html


def test_absent_areas_are_marked_not_zero(committee, staff_user, login):
    html = login(staff_user).get(URL, {"year": YEAR}).content.decode()
    for code in ("consultations",):
        assert f'id="absent-{code}"' in html
        section = html.split(f'id="area-{code}"')[1].split('id="area-')[0]
        assert "尚未启用" in section
        assert "figure-" not in section
    assert 'id="absent-proposals"' not in html


def test_drill_down_links_carry_the_filters(committee, data, staff_user, login):
    html = login(staff_user).get(URL, {"year": YEAR}).content.decode()
    links = {
        (
            urlparse(href).path,
            tuple(sorted((k, v[0]) for k, v in parse_qs(urlparse(href).query).items())),
        )
        for href in re.findall(r'href="([^"]+)"', html.replace("&amp;", "&"))
    }
    proposals = reverse("proposals:list")
    assert (proposals, (("view", "all"), ("year", str(YEAR)))) in links
    assert (proposals, (("state", "merged"), ("view", "all"), ("year", str(YEAR)))) in links
    assert (
        proposals,
        (("category", str(data["category"].pk)), ("view", "all"), ("year", str(YEAR))),
    ) in links
    assert (
        proposals,
        (("unit", str(data["unit"].pk)), ("view", "all"), ("year", str(YEAR))),
    ) in links
    assert (reverse("opinions:list"), (("view", "all"), ("year", str(YEAR)))) in links
    assert (reverse("meetings:list"), (("category", "plenary"), ("year", str(YEAR)))) in links
    assert (
        reverse("activities:list"),
        (("category", "inspection"), ("year", str(YEAR))),
    ) in links
    assert (reverse("supervision:group_list"), (("year", str(YEAR)),)) in links


def test_session_links_proposals_only_and_term_links_nothing(committee, data, staff_user, login):
    client = login(staff_user)
    html = client.get(URL, {"session": data["session"].pk}).content.decode().replace("&amp;", "&")
    assert f"{reverse('proposals:list')}?view=all&session={data['session'].pk}" in html
    assert f'href="{reverse("meetings:list")}?' not in html
    html = client.get(URL, {"term": data["term"].pk}).content.decode()
    assert f'href="{reverse("proposals:list")}?' not in html
    assert _figure(html, "proposals_received") == "3"


def test_chart_json_is_well_formed(committee, data, staff_user, login):
    html = login(staff_user).get(URL, {"year": YEAR}).content.decode()
    scripts = _json_scripts(html)
    for chart_id in re.findall(r'data-chart="([^"]+)"', html):
        rows = scripts[chart_id]
        assert isinstance(rows, list)
        for row in rows:
            assert set(row) == {"label", "value"}
            assert isinstance(row["label"], str)
            assert row["value"] is None or isinstance(row["value"], int | float)
    assert scripts["chart-proposal-categories-data"] == [{"label": "经济建设", "value": 2}]
    assert scripts["chart-proposal-units-data"] == [{"label": "县发改局", "value": 2}]
    outcomes = {r["label"]: r["value"] for r in scripts["chart-proposal-outcomes-data"]}
    assert outcomes["立案"] == 2 and outcomes["并案"] == 1
    rates = {r["label"]: r["value"] for r in scripts["chart-proposal-rates-data"]}
    assert rates["立案率"] == 66.7 and rates["答复率"] == 50.0
    trend = scripts["chart-trend-registration-rate-data"]
    assert [r["label"] for r in trend] == ["2022", "2023", "2024", "2025"]
    assert [r["value"] for r in trend] == [None, None, None, 66.7]
    # the three proposals' leads are the members in office, none with duty rows: all 0 points
    assert scripts["chart-points-data"] == [{"label": "0–1分", "value": 3}]


def test_bad_period_is_a_chinese_error(committee, staff_user, login):
    client = login(staff_user)
    response = client.get(URL, {"year": "1800"})
    assert response.status_code == 400
    assert "年度超出范围" in response.content.decode()
    response = client.get(URL, {"session": 999999})
    assert response.status_code == 400
    assert "所选会议或届次不存在" in response.content.decode()
    assert client.get(reverse("reports:dashboard_export"), {"year": "x"}).status_code == 400


def test_another_committees_session_is_not_found(committee, other_committee, staff_user, login):
    with scope(committee=other_committee):
        foreign = SessionFactory(
            committee=other_committee, term=TermFactory(committee=other_committee)
        )
    response = login(staff_user).get(URL, {"session": foreign.pk})
    assert response.status_code == 400
    assert "所选会议或届次不存在" in response.content.decode()


def _queries(client, params):
    with CaptureQueriesContext(connection) as context:
        assert client.get(URL, params).status_code == 200
    return len(context)


def test_dashboard_query_count_is_pinned(committee, data, staff_user, login):
    client = login(staff_user)
    before = _queries(client, {"year": YEAR})
    assert before <= 135
    # more records, categories and units: not one query more (no query per row)
    with scope(committee=committee):
        for n in range(3):
            proposal = ProposalFactory(
                committee=committee,
                session=data["session"],
                state=ProposalState.ASSIGNED,
                category=ProposalCategoryFactory(committee=committee, name=f"类别{n}"),
            )
            AssignmentFactory(proposal=proposal, unit=HandlingUnitFactory(committee=committee))
    assert _queries(client, {"year": YEAR}) == before


def test_dashboard_export(committee, data, staff_user, login):
    response = login(staff_user).get(reverse("reports:dashboard_export"), {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[0] == "主要数据"
    rows = [tuple(r) for r in wb["主要数据"].iter_rows(values_only=True)]
    assert rows[0] == ("领域", "指标", "2025年")
    assert ("提案", "收到提案", "3") in rows
    assert ("提案", "立案率", "66.7%") in rows
    assert ("协商", None, "尚未启用") in rows
    categories = [tuple(r) for r in wb["立案提案按类别"].iter_rows(values_only=True)]
    assert categories == [("项目", "数值"), ("经济建设", 2)]
    assert [tuple(r) for r in wb["履职积分分布"].iter_rows(values_only=True)][1] == ("0–1分", 3)
    with scope(committee=committee):
        entry = AuditEntry.objects.get(action=AuditAction.EXPORT, object_type="reports.Dashboard")
    assert entry.actor == staff_user


def test_leader_sees_no_export(committee, login):
    client = login(user_with_role(committee, Role.LEADER))
    assert 'id="dashboard-export"' not in client.get(URL).content.decode()
    assert client.get(reverse("reports:dashboard_export")).status_code == 403


def test_points_distribution_bins(committee, monkeypatch):
    from decimal import Decimal

    from tests.factories import MembershipFactory
    from zhengxie.reports import dashboard

    with scope(committee=committee):
        term = TermFactory(committee=committee)
        members = [MembershipFactory(committee=committee, term=term) for _ in range(5)]
        scores = {members[0].pk: Decimal("9.5"), members[1].pk: Decimal("10"), members[2].pk: 37}
        monkeypatch.setattr(dashboard, "committee_scores", lambda **kwargs: scores)
        points = dashboard.points_distribution(committee=committee, year=YEAR)
    assert points["members"] == 5 and points["width"] == 5
    assert [(r["label"], r["value"]) for r in points["rows"]] == [
        ("0–5分", 2),
        ("5–10分", 1),
        ("10–15分", 1),
        ("15–20分", 0),
        ("20–25分", 0),
        ("25–30分", 0),
        ("30–35分", 0),
        ("35–40分", 1),
    ]
