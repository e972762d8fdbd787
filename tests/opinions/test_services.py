import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_scopes import scope, scopes_disabled

from tests.factories import CommitteeFactory, user_with_role
from zhengxie.core.models import DutyRecord, Role, StaffOffice
from zhengxie.core.workflow import InvalidTransition
from zhengxie.opinions import services
from zhengxie.opinions.models import Adoption, Bulletin, OpinionReport, ReportState

CONTENT = {
    "title": "关于规范农村自建房安全管理的建议",
    "situation": "部分农村自建房未经设计,存在安全隐患。",
    "analysis": "监管力量不足,群众安全意识薄弱。",
    "suggestion": "建立农村建房全过程监管制度,开展安全排查。",
}


@pytest.fixture
def city(county):
    city = CommitteeFactory(level="city")
    county.committee.parent = city
    county.committee.save(update_fields=["parent"])
    return city


def _through_sign_off(county, report):
    staff = user_with_role(county.committee, Role.STAFF, office=StaffOffice.RESEARCH)
    chair = user_with_role(county.committee, Role.CHAIR)
    for action in ("start_review", "use", "approve"):
        report = services.report_act(actor=staff, report=report, action=action)
    report = services.report_act(actor=chair, report=report, action="sign_off")
    return staff, report


def _submitted(county):
    user, _lead = county.members[0]
    report = services.report_create(actor=user, committee=county.committee, data=CONTENT)
    return services.report_submit(actor=user, report=report)


def test_a_report_goes_through_editing_sign_off_and_a_bulletin(county):
    report = _submitted(county)
    staff, report = _through_sign_off(county, report)
    assert report.state == ReportState.SIGNED_OFF
    bulletin = services.bulletin_create(
        actor=staff, committee=county.committee, issued_on=datetime.date.today()
    )
    services.bulletin_add_item(actor=staff, bulletin=bulletin, reports=[report])
    services.bulletin_send(actor=staff, bulletin=bulletin)
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED
    assert list(
        DutyRecord.objects.filter(kind="opinion").values_list("sub_kind", flat=True).order_by("pk")
    ) == [
        "submitted",
        "used",
        "published",
    ]


def test_an_edit_keeps_the_original(county):
    report = _submitted(county)
    staff = user_with_role(county.committee, Role.STAFF, office=StaffOffice.RESEARCH)
    report = services.report_act(actor=staff, report=report, action="start_review")
    services.report_edit(
        actor=staff, report=report, data={**CONTENT, "title": "关于加强农村自建房安全管理的建议"}
    )
    report.refresh_from_db()
    assert (report.title, report.original["title"]) == (
        "关于加强农村自建房安全管理的建议",
        CONTENT["title"],
    )


def test_the_county_forwards_and_the_city_adopts(county, city):
    report = _submitted(county)
    staff, report = _through_sign_off(county, report)
    forwarding = services.report_forward(actor=staff, report=report, to_committee=city)
    with scope(committee=city):
        city_staff = user_with_role(city, Role.STAFF, office=StaffOffice.RESEARCH)
        copy = OpinionReport.objects.get()
        assert (copy.origin_id, copy.state) == (report.pk, ReportState.SUBMITTED)
        services.report_act(actor=city_staff, report=copy, action="use")
    assert forwarding.received == copy
    assert list(Adoption.objects.filter(report=report).values_list("level", "kind")) == [
        ("city", "adopted")
    ]
    lead = county.members[0][1]
    assert DutyRecord.objects.filter(membership=lead, sub_kind="adopted_city").count() == 1
    with pytest.raises(ValidationError, match="已报送"):
        services.report_forward(actor=staff, report=report, to_committee=city)


def test_another_committee_sees_nothing_not_forwarded(county, city):
    _submitted(county)
    with scope(committee=city):
        assert OpinionReport.objects.count() == 0
    with scopes_disabled():
        assert OpinionReport.objects.count() == 1


def test_forwarding_only_goes_upwards_and_only_when_used(county):
    report = _submitted(county)
    staff = user_with_role(county.committee, Role.STAFF, office=StaffOffice.RESEARCH)
    with pytest.raises(InvalidTransition):
        services.report_forward(actor=staff, report=report, to_level="city", to_name="某市政协")
    sibling = CommitteeFactory()
    _staff, report = _through_sign_off(county, report)
    with pytest.raises(ValidationError, match="只能报送给上级政协"):
        services.report_forward(actor=staff, report=report, to_committee=sibling)


def test_bulletin_numbers_run_per_year(county):
    staff = user_with_role(county.committee, Role.STAFF, office=StaffOffice.RESEARCH)
    day = datetime.date(2026, 3, 1)
    numbers = [
        services.bulletin_create(actor=staff, committee=county.committee, issued_on=day).number
        for _ in range(3)
    ]
    other_year = services.bulletin_create(
        actor=staff, committee=county.committee, issued_on=datetime.date(2025, 3, 1)
    )
    assert (numbers, other_year.number) == ([1, 2, 3], 1)
    assert Bulletin.objects.count() == 4


def test_members_cannot_review_and_units_cannot_submit(county):
    report = _submitted(county)
    user, _m = county.members[0]
    with pytest.raises(PermissionDenied):
        services.report_act(actor=user, report=report, action="use")
    unit_user, _unit = county.units[0]
    with pytest.raises(PermissionDenied):
        services.report_create(actor=unit_user, committee=county.committee, data=CONTENT)


def test_a_proposal_turned_into_a_report_arrives_here(county):
    from zhengxie.proposals import services as proposals

    user, _lead = county.members[0]
    p = proposals.proposal_create(
        actor=user,
        committee=county.committee,
        data={
            "title": "关于X的建议",
            "situation": "情况",
            "suggestions": "建议",
            "publish_consent": True,
        },
    )
    p = proposals.proposal_submit(actor=user, proposal=p)
    proposals.proposal_review(actor=county.staff, proposal=p, action="to_public_opinion")
    report = OpinionReport.objects.get()
    assert (report.from_proposal_id, report.state, report.source_kind) == (
        p.pk,
        "submitted",
        "proposal",
    )


def test_a_city_combined_item_comes_back_as_a_combined_adoption(county, city):
    first, second = _submitted(county), _submitted(county)
    staff, first = _through_sign_off(county, first)
    _staff, second = _through_sign_off(county, second)
    for report in (first, second):
        services.report_forward(actor=staff, report=report, to_committee=city)
    with scope(committee=city):
        city_staff = user_with_role(city, Role.STAFF, office=StaffOffice.RESEARCH)
        city_chair = user_with_role(city, Role.CHAIR)
        copies = list(OpinionReport.objects.order_by("pk"))
        for copy in copies:
            for action in ("use", "approve"):
                copy = services.report_act(actor=city_staff, report=copy, action=action)
            services.report_act(actor=city_chair, report=copy, action="sign_off")
        bulletin = services.bulletin_create(
            actor=city_staff, committee=city, issued_on=datetime.date.today()
        )
        services.bulletin_add_item(
            actor=city_staff,
            bulletin=bulletin,
            reports=list(OpinionReport.objects.all()),
            title="关于农村自建房安全的综合报告",
            text="综合两篇信息。",
        )
        services.bulletin_send(actor=city_staff, bulletin=bulletin)
    kinds = sorted(Adoption.objects.filter(report=first).values_list("kind", flat=True))
    assert kinds == ["adopted", "combined"]
