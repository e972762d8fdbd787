import datetime

import pytest
from django.urls import reverse
from django_scopes import scope

from tests.factories import CommitteeFactory, PersonFactory, user_with_role
from zhengxie.core.models import DutyRecord, Instruction, Role, StaffOffice
from zhengxie.opinions import services
from zhengxie.opinions.models import (
    Adoption,
    CoSubmitter,
    Forwarding,
    OpinionReport,
    ReportState,
    SourceKind,
)

CONTENT = {
    "title": "关于规范农村自建房安全管理的建议",
    "situation": "部分农村自建房未经设计,存在安全隐患。",
    "analysis": "监管力量不足,群众安全意识薄弱。",
    "suggestion": "建立农村建房全过程监管制度,开展安全排查。",
}


@pytest.fixture
def staff(county):
    return user_with_role(county.committee, Role.STAFF, office=StaffOffice.RESEARCH)


@pytest.fixture
def chair(county):
    return user_with_role(county.committee, Role.CHAIR)


@pytest.fixture
def city(county):
    city = CommitteeFactory(level="city", name="某市政协")
    county.committee.parent = city
    county.committee.save(update_fields=["parent"])
    return city


def _submitted(county, member=0, **content):
    user, _lead = county.members[member]
    report = services.report_create(
        actor=user, committee=county.committee, data={**CONTENT, **content}
    )
    return services.report_submit(actor=user, report=report)


def _used(county, staff, **content):
    report = _submitted(county, **content)
    for action in ("start_review", "use"):
        report = services.report_act(actor=staff, report=report, action=action)
    return report


# List -------------------------------------------------------------------------------------


def test_a_member_sees_only_their_own_reports_in_the_list(client, county):
    mine = _submitted(county, 0, title="我的信息")
    _submitted(county, 1, title="别人的信息")
    client.force_login(county.members[0][0])
    response = client.get(reverse("opinions:list"))
    assert response.status_code == 200
    assert response.context["view"] == "mine"
    assert [k for k, _label in response.context["views"]] == ["mine", "all"]
    assert list(response.context["page"]) == [mine]
    response = client.get(reverse("opinions:list"), {"view": "all"})
    assert list(response.context["page"]) == [mine]


def test_opinion_staff_get_the_review_tabs_and_filters_answer_as_a_partial(
    client, county, staff, django_assert_max_num_queries
):
    for i in range(5):
        _submitted(county, i % 3, title=f"关于事项{i}的建议")
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("opinions:list"))
    assert [k for k, _label in response.context["views"]] == [
        "review",
        "approve",
        "received",
        "all",
    ]
    assert (response.context["view"], response.context["page"].paginator.count) == ("review", 5)
    response = client.get(
        reverse("opinions:list"),
        {"view": "all", "q": "事项3", "state": "submitted", "year": "bad"},
        HTTP_HX_REQUEST="true",
    )
    assert [r.title for r in response.context["page"]] == ["关于事项3的建议"]
    assert response.content.decode().lstrip().startswith('<div id="report-results">')


def test_units_may_not_open_the_list(client, county):
    client.force_login(county.units[0][0])
    assert client.get(reverse("opinions:list")).status_code == 403


# Submit and edit --------------------------------------------------------------------------


def test_a_member_submits_jointly_with_an_attachment(client, county):
    user, lead = county.members[0]
    co = county.members[1][1]
    client.force_login(user)
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = SimpleUploadedFile(
        "材料.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    )
    response = client.post(
        reverse("opinions:create"),
        {**CONTENT, "cosubmitters": [co.pk], "attachment": pdf, "submit_now": "1"},
    )
    report = OpinionReport.objects.get()
    assert response.status_code == 302
    assert (report.state, report.lead, report.source_kind) == (
        ReportState.SUBMITTED,
        lead,
        SourceKind.JOINT,
    )
    assert list(CoSubmitter.objects.values_list("membership", flat=True)) == [co.pk]
    page = client.get(reverse("opinions:detail", args=[report.pk]))
    assert page.context["submitters"] == ["李明", "王芳"]
    assert [a.original_name for a in page.context["attachments"]] == ["材料.pdf"]
    assert [row["action"] for row in page.context["timeline"]] == ["报送"]


def test_a_member_saves_a_draft_and_edits_it_until_submitting(client, county):
    user, _lead = county.members[0]
    client.force_login(user)
    client.post(reverse("opinions:create"), {**CONTENT, "save": "1"})
    report = OpinionReport.objects.get()
    assert report.state == ReportState.DRAFT
    url = reverse("opinions:edit", args=[report.pk])
    response = client.post(
        url, {**CONTENT, "title": "关于加强农村自建房管理的建议", "submit_now": "1"}
    )
    report.refresh_from_db()
    assert response.status_code == 302
    assert (report.title, report.state) == ("关于加强农村自建房管理的建议", ReportState.SUBMITTED)
    assert client.get(url).status_code == 403


def test_bad_input_shows_chinese_errors_and_writes_nothing(client, county, settings):
    user, _lead = county.members[0]
    client.force_login(user)
    response = client.post(reverse("opinions:create"), {**CONTENT, "title": "", "submit_now": "1"})
    assert response.status_code == 400
    assert "这个字段是必填项。" in response.content.decode()
    response = client.post(reverse("opinions:create"), {**CONTENT, "suggestion": "长" * 1500})
    assert response.status_code == 400
    assert "超过1500字的限制" in response.content.decode()
    assert OpinionReport.objects.count() == 0


def test_staff_enter_a_residents_report_with_its_source(client, county, staff):
    client.force_login(staff)
    form = client.get(reverse("opinions:create")).context["form"]
    assert list(form.fields)[:3] == ["source_kind", "submitting_body", "source_note"]
    response = client.post(
        reverse("opinions:create"), {**CONTENT, "source_kind": "staff", "submit_now": "1"}
    )
    assert response.status_code == 400
    assert "请填写报送单位或来源说明。" in response.content.decode()
    assert OpinionReport.objects.count() == 0
    client.post(
        reverse("opinions:create"),
        {**CONTENT, "source_kind": "staff", "source_note": "委员会客室接待群众反映"},
    )
    report = OpinionReport.objects.get()
    assert (report.source_kind, report.source_note, report.lead) == (
        SourceKind.STAFF,
        "委员会客室接待群众反映",
        None,
    )


def test_an_information_officer_submits_their_own_report(client, county):
    officer = user_with_role(county.committee, Role.PUBLIC)
    PersonFactory(committee=county.committee, user=officer, name="信息员甲")
    client.force_login(officer)
    form = client.get(reverse("opinions:create")).context["form"]
    assert "cosubmitters" not in form.fields
    client.post(reverse("opinions:create"), {**CONTENT, "submit_now": "1"})
    report = OpinionReport.objects.get()
    assert (report.source_kind, report.submitter_label, report.state) == (
        SourceKind.INFO_OFFICER,
        "信息员甲",
        ReportState.SUBMITTED,
    )
    response = client.get(reverse("opinions:list"))
    assert (response.context["view"], list(response.context["page"])) == ("mine", [report])


# Detail and access ------------------------------------------------------------------------


def test_another_members_report_and_another_committees_report_answer_404(client, county):
    other = _submitted(county, 1)
    client.force_login(county.members[0][0])
    assert client.get(reverse("opinions:detail", args=[other.pk])).status_code == 404
    elsewhere = CommitteeFactory()
    outsider = user_with_role(elsewhere, Role.STAFF, office=StaffOffice.RESEARCH)
    client.force_login(outsider)
    assert client.get(reverse("opinions:detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("opinions:detail", args=[999999])).status_code == 404
    response = client.post(reverse("opinions:act", args=[other.pk, "start_review"]))
    assert response.status_code == 404


def test_staff_review_use_and_approve_then_the_chair_signs_off(client, county, staff, chair):
    report = _submitted(county)
    client.force_login(staff)
    detail = reverse("opinions:detail", args=[report.pk])
    assert [a["t"].action for a in client.get(detail).context["actions"]] == [
        "start_review",
        "use",
        "not_use",
    ]
    for action in ("start_review", "use", "approve"):
        response = client.post(reverse("opinions:act", args=[report.pk, action]))
        assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    assert client.post(reverse("opinions:act", args=[report.pk, "sign_off"])).status_code == 403
    client.force_login(chair)
    assert [a["t"].action for a in client.get(detail).context["actions"]] == ["sign_off"]
    client.post(reverse("opinions:act", args=[report.pk, "sign_off"]), {"sign_off-note": "同意"})
    report.refresh_from_db()
    assert report.state == ReportState.SIGNED_OFF
    assert [row["action"] for row in client.get(detail).context["timeline"]] == [
        "报送",
        "开始编审",
        "采用",
        "审核通过",
        "签发",
    ]


def test_returning_needs_a_note_and_not_using_needs_a_reason(client, county, staff):
    report = _submitted(county)
    services.report_act(actor=staff, report=report, action="start_review")
    client.force_login(staff)
    response = client.post(reverse("opinions:act", args=[report.pk, "return"]), {"return-note": ""})
    assert response.status_code == 400
    assert "这个字段是必填项。" in response.content.decode()
    response = client.post(reverse("opinions:act", args=[report.pk, "not_use"]))
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.state == ReportState.UNDER_REVIEW
    client.post(
        reverse("opinions:act", args=[report.pk, "not_use"]), {"not_use-reason": "已有同类"}
    )
    report.refresh_from_db()
    assert (report.state, report.not_used_reason) == (ReportState.NOT_USED, "已有同类")
    assert client.post(reverse("opinions:act", args=[report.pk, "nonsense"])).status_code == 404


def test_an_action_someone_else_already_took_answers_400_and_changes_nothing(client, county, staff):
    report = _submitted(county)
    services.report_act(actor=staff, report=report, action="not_use", reason="重复")
    client.force_login(staff)
    response = client.post(reverse("opinions:act", args=[report.pk, "use"]))
    assert response.status_code == 400
    assert "可能已被他人处理" in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.NOT_USED


def test_a_member_may_not_act_as_staff(client, county):
    report = _submitted(county)
    client.force_login(county.members[0][0])
    assert client.get(reverse("opinions:detail", args=[report.pk])).context["actions"] == []
    assert client.post(reverse("opinions:act", args=[report.pk, "use"])).status_code == 403
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_a_staff_edit_keeps_the_original_and_shows_the_difference(client, county, staff):
    report = _submitted(county)
    services.report_act(actor=staff, report=report, action="start_review")
    client.force_login(staff)
    url = reverse("opinions:revise", args=[report.pk])
    response = client.post(url, {"revise-title": "", "revise-situation": "x"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert (report.title, report.original) == (CONTENT["title"], {})
    client.post(
        url,
        {
            "revise-title": "关于加强农村自建房安全管理的建议",
            "revise-situation": CONTENT["situation"],
            "revise-analysis": CONTENT["analysis"],
            "revise-suggestion": CONTENT["suggestion"],
        },
    )
    page = client.get(reverse("opinions:detail", args=[report.pk]))
    assert page.context["differences"] == [
        {
            "name": "title",
            "label": "标题",
            "segments": [
                ("same", "关于"),
                ("delete", "规范"),
                ("insert", "加强"),
                ("same", "农村自建房安全管理的建议"),
            ],
        }
    ]
    body = page.content.decode()
    assert '<del class="bg-danger-subtle text-danger-emphasis">规范</del>' in body
    assert '<ins class="bg-success-subtle text-success-emphasis">加强</ins>' in body
    assert [row["action"] for row in page.context["timeline"]][-1] == "编辑修改"


def test_forwarded_to_the_parent_it_arrives_under_received_and_adoption_flows_back(
    client, county, staff, city
):
    report = _used(county, staff)
    client.force_login(staff)
    detail = reverse("opinions:detail", args=[report.pk])
    assert list(client.get(detail).context["forward_form"].fields["to_committee"].queryset) == [
        city
    ]
    response = client.post(reverse("opinions:forward", args=[report.pk]), {})
    assert response.status_code == 400
    assert "请选择上级政协,或填写平台外的报送单位及其级别。" in response.content.decode()
    client.post(reverse("opinions:forward", args=[report.pk]), {"fwd-to_committee": city.pk})
    forwarding = Forwarding.objects.get()
    assert (forwarding.to_name, forwarding.to_level) == ("某市政协", "city")
    with scope(committee=city):
        city_staff = user_with_role(city, Role.STAFF, office=StaffOffice.RESEARCH)
        client.force_login(city_staff)
        response = client.get(reverse("opinions:list"), {"view": "received"})
        copies = list(response.context["page"])
        assert [(c.title, c.origin_id) for c in copies] == [(CONTENT["title"], report.pk)]
        client.post(reverse("opinions:act", args=[copies[0].pk, "use"]))
    with scope(committee=county.committee):
        client.force_login(staff)
        page = client.get(detail)
        assert [(a.level, a.kind, a.by_name) for a in page.context["adoptions"]] == [
            ("city", "adopted", "某市政协")
        ]


def test_off_platform_adoption_is_recorded_with_evidence(client, county, staff):
    report = _used(county, staff)
    client.force_login(staff)
    url = reverse("opinions:adoption_add", args=[report.pk])
    data = {
        "adopt-level": "province",
        "adopt-by_name": "某省政协",
        "adopt-kind": "adopted",
        "adopt-decided_on": datetime.date.today().isoformat(),
        "adopt-evidence": "",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert Adoption.objects.count() == 0
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        url, {**data, "adopt-evidence": "采用通知", "adopt-decided_on": tomorrow}
    )
    assert "采用日期不能晚于今天。" in response.content.decode()
    client.post(url, {**data, "adopt-evidence": "《某省政协信息》第3期"})
    adoption = Adoption.objects.get()
    assert (adoption.level, adoption.by_name, adoption.evidence, adoption.by_committee) == (
        "province",
        "某省政协",
        "《某省政协信息》第3期",
        None,
    )
    lead = county.members[0][1]
    assert DutyRecord.objects.filter(membership=lead, sub_kind="adopted_province").count() == 1


def test_forwarding_and_adoption_panels_are_closed_to_members(client, county, staff):
    report = _used(county, staff)
    client.force_login(county.members[0][0])
    page = client.get(reverse("opinions:detail", args=[report.pk]))
    assert (page.context["forward_form"], page.context["adoption_form"]) == (None, None)
    response = client.post(
        reverse("opinions:forward", args=[report.pk]),
        {"fwd-to_level": "city", "fwd-to_name": "某市政协"},
    )
    assert response.status_code == 403
    assert Forwarding.objects.count() == 0


def test_an_instruction_on_a_report_credits_the_submitter(client, county, staff):
    report = _used(county, staff)
    client.force_login(staff)
    url = reverse("opinions:instruction_add", args=[report.pk])
    data = {
        "ins-leader_name": "张三",
        "ins-leader_title": "县委书记",
        "ins-level": "county",
        "ins-given_on": datetime.date.today().isoformat(),
        "ins-text": "请有关部门认真研究。",
    }
    assert client.post(url, {**data, "ins-text": ""}).status_code == 400
    assert Instruction.objects.count() == 0
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("opinions:detail", args=[report.pk]))
    assert [i.leader_name for i in page.context["followup"]["instructions"]] == ["张三"]
    lead = county.members[0][1]
    assert DutyRecord.objects.filter(membership=lead, sub_kind="instructed").count() == 1


def test_the_home_page_counts_reports_awaiting_review(client, county, staff):
    _submitted(county)
    client.force_login(staff)
    response = client.get(reverse("core:home"))
    assert response.context["opinion_summary"] == [
        ("review", "待编审", 1),
        ("approve", "待审核签发", 0),
        ("received", "下级报送", 0),
    ]
