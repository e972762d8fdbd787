"""The awards page (提案表彰): outstanding proposals and outstanding handling units."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from tests.factories import CommitteeFactory, HandlingUnitFactory, ProposalFactory
from zhengxie.core.models import AuditEntry, DutyRecord
from zhengxie.proposals.models import Award, AwardKind, ProposalState


@pytest.fixture
def candidates(county):
    c, s = county.committee, county.session
    registered = ProposalFactory(
        committee=c,
        session=s,
        lead=county.members[0][1],
        number=7,
        title="关于推进城乡义务教育优质均衡发展的建议",
        state=ProposalState.CLOSED,
    )
    draft = ProposalFactory(committee=c, session=s, state=ProposalState.NOT_REGISTERED)
    return {"registered": registered, "not_registered": draft}


def _post(client, kind, **fields):
    data = {"kind": kind}
    data.update({f"{kind}-{k}": v for k, v in fields.items()})
    return client.post(reverse("proposals:awards"), data)


def test_staff_record_an_outstanding_proposal_and_the_lead_gets_a_ledger_row(
    county, candidates, login
):
    client = login(county.staff)
    response = _post(
        client,
        AwardKind.OUTSTANDING_PROPOSAL,
        proposal=candidates["registered"].pk,
        year=2026,
        awarded_on="2026-03-01",
        note="县政协十届五次会议表彰",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:awards") + "?year=2026"
    award = Award.objects.get()
    assert (award.kind, award.year, award.proposal_id, award.unit_id, award.note) == (
        "outstanding_proposal",
        2026,
        candidates["registered"].pk,
        None,
        "县政协十届五次会议表彰",
    )
    ledger = DutyRecord.objects.get(kind="proposal", sub_kind="outstanding")
    assert (ledger.membership_id, ledger.occurred_on) == (
        county.members[0][1].pk,
        datetime.date(2026, 3, 1),
    )
    assert AuditEntry.objects.filter(action="create", object_type="proposals.Award").count() == 1
    page = client.get(reverse("proposals:awards") + "?year=2026")
    assert [a.pk for a in page.context["awards"]] == [award.pk]
    assert "十届五次会议第007号 关于推进城乡义务教育优质均衡发展的建议" in page.content.decode()


def test_staff_record_an_outstanding_unit(county, login):
    unit = county.units[1][1]
    client = login(county.staff)
    response = _post(
        client, AwardKind.OUTSTANDING_UNIT, unit=unit.pk, year=2025, awarded_on="2026-01-20"
    )
    assert response.status_code == 302
    assert list(Award.objects.values_list("kind", "year", "unit_id", "proposal_id")) == [
        ("outstanding_unit", 2025, unit.pk, None)
    ]


def test_a_duplicate_award_is_refused_with_a_chinese_message(county, candidates, login):
    client = login(county.staff)
    fields = {"proposal": candidates["registered"].pk, "year": 2026, "awarded_on": "2026-03-01"}
    assert _post(client, AwardKind.OUTSTANDING_PROPOSAL, **fields).status_code == 302
    response = _post(client, AwardKind.OUTSTANDING_PROPOSAL, **fields)
    assert response.status_code == 400
    assert response.context["proposal_form"].non_field_errors() == ["该项表彰已登记。"]
    assert Award.objects.count() == 1
    assert DutyRecord.objects.filter(sub_kind="outstanding").count() == 1


def test_bad_input_writes_nothing(county, candidates, login):
    client = login(county.staff)
    response = _post(
        client,
        AwardKind.OUTSTANDING_PROPOSAL,
        proposal=candidates["not_registered"].pk,
        year="二〇二六",
        awarded_on="",
    )
    assert response.status_code == 400
    assert response.context["proposal_form"].errors == {
        "proposal": ["请选择本会已立案的提案。"],
        "year": ["年度应为四位数字。"],
        "awarded_on": ["请填写表彰日期。"],
    }
    other = CommitteeFactory()
    with scope(committee=other):
        foreign = HandlingUnitFactory(committee=other)
    response = _post(
        client, AwardKind.OUTSTANDING_UNIT, unit=foreign.pk, year=2026, awarded_on="2026-03-01"
    )
    assert response.context["unit_form"].errors == {"unit": ["请选择本会的承办单位。"]}
    assert Award.objects.count() == 0


def test_only_proposal_staff_open_the_awards_page(county, candidates, login):
    assert login(county.members[0][0]).get(reverse("proposals:awards")).status_code == 403
    assert login(county.units[0][0]).get(reverse("proposals:awards")).status_code == 403
    response = _post(
        login(county.units[0][0]),
        AwardKind.OUTSTANDING_UNIT,
        unit=county.units[0][1].pk,
        year=2026,
        awarded_on="2026-03-01",
    )
    assert response.status_code == 403
    assert Award.objects.count() == 0


def test_the_page_lists_the_chosen_years_awards(
    county, candidates, login, django_assert_max_num_queries
):
    today = timezone.localdate()
    for year in (2024, 2025):
        Award.objects.create(
            committee=county.committee,
            kind=AwardKind.OUTSTANDING_UNIT,
            year=year,
            awarded_on=datetime.date(year + 1, 1, 10),
            unit=county.units[0][1],
        )
    client = login(county.staff)
    with django_assert_max_num_queries(15):
        response = client.get(reverse("proposals:awards") + "?year=2024")
    assert response.status_code == 200
    assert response.context["years"] == sorted({2024, 2025, today.year}, reverse=True)
    assert [a.year for a in response.context["awards"]] == [2024]
