"""Public-opinion figures: a fixed data set counted by hand, for a year, a session and a term;
and the statistics page."""

import datetime
import zoneinfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from tests.factories import CommitteeFactory, SessionFactory, TermFactory, user_with_role
from zhengxie.core.models import Instruction, Level, Role, StaffOffice
from zhengxie.opinions.models import (
    Adoption,
    AdoptionKind,
    Bulletin,
    BulletinItem,
    BulletinState,
    Forwarding,
    ItemKind,
    OpinionReport,
    ReportState,
    SourceKind,
)
from zhengxie.opinions.stats import opinion_figures, opinion_figures_for

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
S = ReportState
K = SourceKind


def at(y, m, d, hh=10, mm=0):
    return datetime.datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def report(committee, source_kind, state, submitted_at, **extra):
    return OpinionReport.objects.create(
        committee=committee,
        source_kind=source_kind,
        state=state,
        submitted_at=submitted_at,
        title=f"信息{OpinionReport.objects.count() + 1}",
        situation="情况",
        suggestion="建议",
        **extra,
    )


def bulletin(committee, year, number, issued_on, reports_by_item, state=BulletinState.SENT):
    issue = Bulletin.objects.create(
        committee=committee,
        year=year,
        number=number,
        title="政协社情民意",
        issued_on=issued_on,
        state=state,
    )
    for position, reports in enumerate(reports_by_item, start=1):
        item = BulletinItem.objects.create(
            committee=committee,
            bulletin=issue,
            position=position,
            kind=ItemKind.SINGLE if len(reports) == 1 else ItemKind.COMBINED,
            title=f"第{position}篇",
            text="正文",
        )
        item.reports.set(reports)
    return issue


def instruction(committee, target, level, given_on):
    return Instruction.objects.create(
        committee=committee,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        leader_name="张三",
        leader_title="县长",
        level=level,
        given_on=given_on,
        text="请研究落实。",
    )


def build_data(committee):
    """Term 10 with sessions s0 (opens 2022-01-15), s1 (2025-01-10) and s2 (2026-01-08); what
    each row is, and where it counts, is noted next to it (Y = year 2025, S = session s1,
    T = the term)."""
    term = TermFactory(committee=committee, starts_on=datetime.date(2022, 1, 1))
    sessions = [
        SessionFactory(committee=committee, term=term, number=n, opens_on=opens)
        for n, opens in (
            (1, datetime.date(2022, 1, 15)),
            (4, datetime.date(2025, 1, 10)),
            (5, datetime.date(2026, 1, 8)),
        )
    ]
    lower = CommitteeFactory(parent=committee)
    lower_report = report(lower, K.MEMBER, S.PUBLISHED, at(2025, 4, 20))
    other = CommitteeFactory()
    report(other, K.MEMBER, S.USED, at(2025, 4, 4))  # another committee: nowhere

    r = {
        1: report(committee, K.INFO_OFFICER, S.PUBLISHED, at(2024, 12, 20)),  # T, used
        2: report(committee, K.MEMBER, S.PUBLISHED, at(2025, 1, 12)),  # Y S T, used
        3: report(committee, K.MEMBER, S.NOT_USED, at(2025, 3, 1)),  # Y S T
        4: report(committee, K.JOINT, S.SIGNED_OFF, at(2025, 6, 1)),  # Y S T, used
        5: report(committee, K.PARTY_GROUP, S.RETURNED, at(2025, 8, 1)),  # Y S T
        # 23:30 in Shanghai on 31 December is still 2025 (15:30 UTC).
        6: report(committee, K.MEMBER, S.USED, at(2025, 12, 31, 23, 30)),  # Y S T, used
        7: report(committee, K.MEMBER, S.SUBMITTED, at(2026, 1, 9)),  # T
        8: report(  # Y S T, used, received from the lower committee
            committee, K.FORWARDED, S.USED, at(2025, 5, 5), origin=lower_report
        ),
        9: report(committee, K.MEMBER, S.NOT_USED, at(2025, 1, 5)),  # Y T
        10: report(committee, K.MEMBER, S.DRAFT, None),  # a draft: nowhere
    }
    issues = [
        bulletin(committee, 2025, 1, datetime.date(2025, 2, 1), [[r[2]], [r[1], r[4]]]),  # Y S T
        bulletin(
            committee, 2025, 2, datetime.date(2025, 9, 1), [[r[6]]], state=BulletinState.DRAFT
        ),  # not sent: nowhere
        bulletin(committee, 2026, 1, datetime.date(2026, 2, 1), [[r[6]]]),  # T
    ]

    def forward(rep, level, name, on):
        Forwarding.objects.create(
            committee=committee, report=rep, to_level=level, to_name=name, forwarded_on=on
        )

    forward(r[2], Level.CITY, "市政协", datetime.date(2025, 2, 10))  # Y S T
    forward(r[2], Level.PROVINCE, "省政协", datetime.date(2025, 3, 10))  # Y S T
    forward(r[6], Level.CITY, "市政协", datetime.date(2026, 1, 20))  # T

    def adopt(rep, level, kind, on):
        Adoption.objects.create(
            committee=committee, report=rep, level=level, by_name="上级", kind=kind, decided_on=on
        )

    adopt(r[2], Level.CITY, AdoptionKind.ADOPTED, datetime.date(2025, 2, 20))  # Y S T: city
    adopt(r[2], Level.CITY, AdoptionKind.PUBLISHED, datetime.date(2025, 3, 1))  # same report
    adopt(r[2], Level.PROVINCE, AdoptionKind.COMBINED, datetime.date(2025, 4, 1))  # province
    adopt(r[2], Level.PROVINCE, AdoptionKind.FORWARDED, datetime.date(2025, 4, 2))  # not adopted
    adopt(r[6], Level.CITY, AdoptionKind.ADOPTED, datetime.date(2026, 2, 1))  # T: city
    adopt(r[1], Level.NATIONAL, AdoptionKind.PUBLISHED, datetime.date(2025, 1, 5))  # Y T

    instruction(committee, r[2], Level.COUNTY, datetime.date(2025, 2, 15))  # Y S T
    instruction(committee, r[2], Level.CITY, datetime.date(2025, 3, 15))  # Y S T
    instruction(committee, r[4], Level.COUNTY, datetime.date(2025, 6, 10))  # Y S T
    instruction(committee, r[6], Level.PROVINCE, datetime.date(2026, 2, 10))  # T
    instruction(committee, issues[0], Level.COUNTY, datetime.date(2025, 2, 2))  # not a report
    return {"term": term, "sessions": sessions, "reports": r, "other": other, "lower": lower}


def levels(county=0, city=0, province=0, national=0):
    return {"county": county, "city": city, "province": province, "national": national}


YEAR_2025 = {
    "opinions_received": 7,  # 2, 3, 4, 5, 6, 8, 9
    "opinions_received_own": 6,
    "opinions_received_from_lower": 1,
    "opinions_used": 4,  # 2, 4, 6, 8
    "bulletin_issues": 1,
    "bulletin_items": 2,
    "opinions_forwarded": 2,
    "opinions_adopted_city": 1,
    "opinions_adopted_province": 1,
    "opinions_adopted_national": 1,
    "instructions_by_level": levels(county=2, city=1),
    "instructions": 3,
    "by_source": [
        {"label": "委员", "value": 4},
        {"label": "委员联名", "value": 1},
        {"label": "党派团体", "value": 1},
        {"label": "下级政协报送", "value": 1},
    ],
}
SESSION_4 = {
    **YEAR_2025,
    "opinions_received": 6,  # no 9 (before the session opened)
    "opinions_received_own": 5,
    "opinions_adopted_national": 0,  # decided 2025-01-05, before the session
    "by_source": [
        {"label": "委员", "value": 3},
        {"label": "委员联名", "value": 1},
        {"label": "党派团体", "value": 1},
        {"label": "下级政协报送", "value": 1},
    ],
}
TERM_10 = {
    "opinions_received": 9,  # all but the draft
    "opinions_received_own": 8,
    "opinions_received_from_lower": 1,
    "opinions_used": 5,  # 1, 2, 4, 6, 8
    "bulletin_issues": 2,
    "bulletin_items": 3,
    "opinions_forwarded": 3,
    "opinions_adopted_city": 2,  # 2 and 6
    "opinions_adopted_province": 1,
    "opinions_adopted_national": 1,
    "instructions_by_level": levels(county=2, city=1, province=1),
    "instructions": 4,
    "by_source": [
        {"label": "委员", "value": 5},
        {"label": "委员联名", "value": 1},
        {"label": "党派团体", "value": 1},
        {"label": "信息员", "value": 1},
        {"label": "下级政协报送", "value": 1},
    ],
}


@pytest.fixture
def data(committee_scope):
    return build_data(committee_scope)


def test_it_counts_a_year_by_hand(committee, data):
    assert opinion_figures(committee=committee, year=2025) == YEAR_2025


def test_it_counts_a_session_from_its_opening_to_the_next(committee, data):
    assert opinion_figures(committee=committee, session=data["sessions"][1]) == SESSION_4


def test_it_counts_a_term_from_its_first_plenary(committee, data):
    assert opinion_figures(committee=committee, term=data["term"]) == TERM_10


def test_the_other_committee_sees_none_of_it(data):
    other = data["other"]
    with scope(committee=other):
        figures = opinion_figures(committee=other, year=2025)
    assert (figures["opinions_received"], figures["bulletin_issues"]) == (1, 0)


def test_it_needs_exactly_one_period(committee, data):
    with pytest.raises(ValueError):
        opinion_figures(committee=committee, year=2025, term=data["term"])


def test_the_figures_take_a_fixed_number_of_queries(committee, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        opinion_figures(committee=committee, term=data["term"])


# Several committees at once (aggregate reports) ---------------------------------------------


@pytest.fixture
def second(data):
    """A second committee with the same data (built in its own scope)."""
    committee = CommitteeFactory()
    with scope(committee=committee):
        build_data(committee)
    return committee


def _singles(committees, **period):
    figures = {}
    for committee in committees:
        with scope(committee=committee):
            figures[committee.pk] = opinion_figures(committee=committee, **period)
    return figures


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_batch_equals_one_call_per_committee(committee, data, second, year):
    committees = [committee, second, data["lower"], data["other"]]
    batch = opinion_figures_for(committees=committees, year=year)
    assert batch == _singles(committees, year=year)
    assert batch[second.pk] == batch[committee.pk]
    if year == 2025:
        assert batch[committee.pk] == YEAR_2025


def test_the_batch_of_a_session_or_a_term_is_the_single_call(committee, data):
    for period in ({"session": data["sessions"][1]}, {"term": data["term"]}):
        assert opinion_figures_for(committees=[committee], **period) == {
            committee.pk: opinion_figures(committee=committee, **period)
        }


def test_more_committees_take_no_more_queries(
    committee, data, second, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6), CaptureQueriesContext(connection) as one:
        opinion_figures_for(committees=[committee], year=2025)
    with django_assert_max_num_queries(len(one)):
        opinion_figures_for(committees=[committee, second, data["lower"]], year=2025)


# The page ------------------------------------------------------------------------------------


def test_staff_see_the_figures_of_a_year(client, committee, data):
    staff = user_with_role(committee, Role.STAFF, office=StaffOffice.RESEARCH)
    client.force_login(staff)
    response = client.get(reverse("opinions:stats"), {"year": 2025})
    assert response.status_code == 200
    assert response.context["figures"] == YEAR_2025
    assert response.context["period_label"] == "2025年"
    assert 'id="figure-opinions_received">7<' in response.content.decode()


def test_the_page_counts_a_session(client, committee, data):
    client.force_login(user_with_role(committee, Role.CHAIR))
    response = client.get(reverse("opinions:stats"), {"session": data["sessions"][1].pk})
    assert (response.status_code, response.context["figures"]) == (200, SESSION_4)


def test_the_page_rejects_two_periods(client, committee, data):
    client.force_login(user_with_role(committee, Role.CHAIR))
    response = client.get(reverse("opinions:stats"), {"year": 2025, "term": data["term"].pk})
    assert response.status_code == 400
    assert response.context["errors"] == ["请只选择一个统计期间:会议、年度或届。"]


def test_a_session_of_another_committee_is_not_found(client, committee, data):
    with scope(committee=data["other"]):
        foreign = SessionFactory(committee=data["other"], term=TermFactory(committee=data["other"]))
    client.force_login(user_with_role(committee, Role.CHAIR))
    response = client.get(reverse("opinions:stats"), {"session": foreign.pk})
    assert (response.status_code, response.context["errors"]) == (400, ["所选会议或届次不存在。"])


def test_members_may_not_see_the_statistics(client, committee, data):
    client.force_login(user_with_role(committee, Role.MEMBER))
    assert client.get(reverse("opinions:stats")).status_code == 403


def test_without_a_period_the_page_counts_this_year(client, committee, data):
    client.force_login(user_with_role(committee, Role.CHAIR))
    response = client.get(reverse("opinions:stats"))
    year = timezone.localdate().year
    assert (response.status_code, response.context["period"].year) == (200, year)
    section = [i["label"] for i in response.context["navigation"] if i["section"] == "社情民意"]
    assert section == ["社情民意", "社情民意统计"]


def test_opinion_staff_find_the_statistics_and_the_import_in_the_navigation(
    client, committee, data
):
    client.force_login(user_with_role(committee, Role.STAFF, office=StaffOffice.RESEARCH))
    response = client.get(reverse("opinions:stats"), {"year": 2025})
    labels = [i["label"] for i in response.context["navigation"] if i["section"] == "社情民意"]
    assert labels[-2:] == ["社情民意统计", "历史社情民意导入"]
