"""The figures service on the hand-counted data set of ``tests.reports.figure_data``."""

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tests.reports.figure_data import build
from zhengxie.reports.catalogue import AREAS, CATALOGUE
from zhengxie.reports.figures import (
    committee_report,
    descendants_side_by_side,
    report_json,
    trend,
)

# County A in 2025 (= its session 4, which has no next session), counted by hand.
A_2025 = {
    "proposals_received": 5,
    "proposals_registered": 3,
    "registration_rate": 3 / 5,
    "proposals_merged": 1,
    "proposals_to_opinion_letters": 0,
    "proposals_to_public_opinion": 0,
    "proposals_not_registered": 1,
    "key_proposals": 0,
    "proposals_replied": 2,
    "reply_rate": 2 / 3,
    "replies_a": 1,
    "replies_b": 0,
    "replies_c": 1,
    "proposals_adopted": 1,
    "adoption_rate": 1 / 3,
    "satisfaction_attitude_rate": 1.0,
    "satisfaction_result_rate": 0.5,
    "livelihood_proposals": 2,
    "livelihood_share": 2 / 3,
    "members_submitting_rate": 3 / 4,
    "by_category": [{"label": "民生", "value": 2}, {"label": "经济", "value": 1}],
    "outstanding_proposals": 0,
    "opinions_received": 2,
    "opinions_used": 1,
    "bulletin_issues": 0,
    "opinions_forwarded": 0,
    "plenary_meetings": 1,
    "standing_meetings": 1,
    "chairs_meetings": 0,
    "attendance_rate": 3 / 5,
    "inspections": 1,
    "research_activities": 0,
    "research_reports": 0,
    "plenary_speeches": 0,
    "livelihood_speech_share": None,
    "supervision_groups": 0,
    "reception_visits": 0,
    "study_sessions": 1,
    "training_materials": 40,
    "archive_volumes": 1,
    "periodical_issues": 2,
    "archive_words": 1200,
    "archive_images": 300,
    "media_news_items": 3,
    "higher_media_reports": 2,
    "portal_news_items": 2,
}
# The term (sessions 3 and 4, from 2024-01-10 on): session 3's proposal and the 2024 report join.
A_TERM = {
    **A_2025,
    "proposals_received": 6,
    "proposals_registered": 4,
    "registration_rate": 4 / 6,
    "reply_rate": 2 / 4,
    "adoption_rate": 1 / 4,
    "livelihood_share": 2 / 4,
    "members_submitting_rate": 4 / 4,
    "by_category": [{"label": "民生", "value": 2}, {"label": "经济", "value": 2}],
    "opinions_received": 3,
    # From 2024-01-10 on: the 2024-12-30 handout, the 2024 issue and the 2024 county report.
    "training_materials": 40 + 25,
    "periodical_issues": 2 + 1,
    "media_news_items": 3 + 1,
}
# The city and both counties in 2025.
CITY_AGGREGATE_2025 = {
    "proposals_received": 5 + 2,
    "proposals_registered": 3 + 1,
    "registration_rate": 4 / 7,
    "proposals_not_registered": 1 + 1,
    "proposals_replied": 2,
    "reply_rate": 2 / 4,
    "proposals_adopted": 1,
    "adoption_rate": 1 / 4,
    "livelihood_proposals": 2 + 1,
    "livelihood_share": 3 / 4,
    "members_submitting_rate": (3 + 2) / (4 + 2),
    "by_category": [{"label": "民生", "value": 3}, {"label": "经济", "value": 1}],
    # B's report counts once: the city's copy of it is not counted again.
    "opinions_received": 2 + 1,
    "opinions_used": 1 + 1,
    "plenary_meetings": 2,
    "standing_meetings": 1,
    "attendance_rate": (3 + 2) / (5 + 2),
    "inspections": 1,
    "study_sessions": 1,
    "training_materials": 40,
    "archive_words": 1200,
    "archive_images": 300,
    "media_news_items": 3,
    "portal_news_items": 2,
}
ABSENT_AREAS = {code for code, area in AREAS.items() if area.source is None}


@pytest.fixture
def data(db):
    return build()


def _check(report, expected):
    got = {name: report.value(name) for name in expected}
    assert got == expected


def test_a_year_equals_the_hand_count(data):
    report = committee_report(committee=data["a"], year=2025)
    _check(report, A_2025)
    assert report.committees == [data["a"]] and report.aggregate is False


def test_a_session_equals_the_hand_count(data):
    report = committee_report(committee=data["a"], session=data["a_data"]["s4"].pk)
    _check(report, A_2025)
    assert report.period.session == data["a_data"]["s4"]


def test_a_term_equals_the_hand_count(data):
    report = committee_report(committee=data["a"], term=data["a_data"]["term"])
    _check(report, A_TERM)


def test_absent_areas_are_none_not_zero_and_listed(data):
    report = committee_report(committee=data["a"], year=2025)
    absent = [f.name for f in CATALOGUE if f.area in ABSENT_AREAS]
    assert absent and all(report.value(name) is None for name in absent)
    body = report_json(report)
    assert body["absent"] == absent == report.absent
    assert all(body["figures"][name] is None for name in absent)
    assert body["definitions"]["registration_rate"] == "立案数 / 收到提案数"
    assert body["period"] == {"kind": "year", "id": None, "label": "2025年"}
    assert body["committee"]["code"] == "330101"
    assert report.rate_text("registration_rate") == "60.0%"
    assert report.rate_text("livelihood_speech_share") == "—"


def test_the_aggregate_adds_counts_and_recomputes_rates(data):
    report = committee_report(committee=data["city"], year=2025, aggregate=True)
    _check(report, CITY_AGGREGATE_2025)
    assert [c.code for c in report.committees] == ["330100", "330101", "330102"]
    # Rates without parts are not averaged: None, with the reason.
    body = report_json(report)
    assert body["aggregate"] is True
    assert body["figures"]["attendance_rate_by_category"] is None
    assert "attendance_rate_by_category" in body["notes"]
    if report.value("satisfaction_attitude_rate") is None:
        assert "satisfaction_attitude_rate" in body["notes"]
    else:  # once proposal_figures returns the rating parts
        assert report.value("satisfaction_attitude_rate") == 2 / 2
        assert report.value("satisfaction_result_rate") == 1 / 2


def test_the_city_alone_counts_only_its_own(data):
    report = committee_report(committee=data["city"], year=2025)
    assert report.value("proposals_received") == 0
    assert report.value("registration_rate") is None
    assert report.value("opinions_received") == 1  # the copy B forwarded
    assert report.value("opinions_used") == 1


@pytest.mark.parametrize("period", ["session", "term"])
def test_a_session_or_term_aggregate_is_refused(data, period):
    other = {"session": data["a_data"]["s4"].pk, "term": data["a_data"]["term"].pk}
    with pytest.raises(ValidationError) as refused:
        committee_report(committee=data["a"], aggregate=True, **{period: other[period]})
    assert "汇总统计只能按年度进行" in refused.value.messages[0]


def test_another_committees_session_is_not_found(data):
    with pytest.raises(Http404):
        committee_report(committee=data["b"], session=data["a_data"]["s4"].pk)
    with pytest.raises(Http404):
        committee_report(committee=data["b"], term=data["a_data"]["term"])


def test_exactly_one_period_and_a_sane_year(data):
    with pytest.raises(ValidationError):
        committee_report(committee=data["a"])
    with pytest.raises(ValidationError):
        committee_report(committee=data["a"], year=2025, term=data["a_data"]["term"].pk)
    with pytest.raises(ValidationError):
        committee_report(committee=data["a"], year=1800)


def test_descendants_side_by_side(data):
    reports = descendants_side_by_side(committee=data["city"], year=2025)
    assert [r.committee.code for r in reports] == ["330101", "330102"]
    assert [r.value("proposals_received") for r in reports] == [5, 2]
    assert [r.value("attendance_rate") for r in reports] == [3 / 5, 2 / 2]
    assert not any(r.aggregate for r in reports)


def test_trend_over_years(data):
    series = trend(
        committee=data["a"], names=["proposals_received", "opinions_received"], years=[2024, 2025]
    )
    assert series == {
        "proposals_received": [(2024, 1), (2025, 5)],
        "opinions_received": [(2024, 1), (2025, 2)],
    }
    assert trend(
        committee=data["city"], names=["plenary_meetings"], years=[2025], aggregate=True
    ) == {"plenary_meetings": [(2025, 2)]}
