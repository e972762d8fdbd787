"""Bulletin issues (《政协社情民意》第N期): numbering, composing, sending, the .docx, and
departments' handling of the items."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from docx import Document
from docx.oxml.ns import qn

from tests.factories import CommitteeFactory, user_with_role
from zhengxie.core.models import AuditEntry, Role, StaffOffice
from zhengxie.opinions import services
from zhengxie.opinions.models import (
    Bulletin,
    BulletinItem,
    BulletinState,
    HandlingState,
    ItemHandling,
    ItemKind,
    ReportState,
)

DAY = datetime.date(2026, 3, 6)


def _content(title):
    return {
        "title": title,
        "situation": "部分农村自建房未经设计,存在安全隐患。",
        "analysis": "监管力量不足。",
        "suggestion": "建立农村建房全过程监管制度。",
    }


@pytest.fixture
def staff(county):
    return user_with_role(county.committee, Role.STAFF, office=StaffOffice.RESEARCH)


@pytest.fixture
def chair(county):
    return user_with_role(county.committee, Role.CHAIR)


@pytest.fixture
def signed_off(county, staff, chair):
    """signed_off(member_index, title, cosubmitters=()) -> a signed-off report."""

    def make(index, title, cosubmitters=()):
        user, _membership = county.members[index]
        report = services.report_create(
            actor=user,
            committee=county.committee,
            data=_content(title),
            cosubmitters=[county.members[i][1] for i in cosubmitters],
        )
        report = services.report_submit(actor=user, report=report)
        for action in ("start_review", "use", "approve"):
            report = services.report_act(actor=staff, report=report, action=action)
        return services.report_act(actor=chair, report=report, action="sign_off")

    return make


@pytest.fixture
def issue(county, staff):
    return services.bulletin_create(
        actor=staff,
        committee=county.committee,
        issued_on=DAY,
        recipients="报送:县委、县政府领导\n抄送:县直有关部门",
    )


# Numbering -----------------------------------------------------------------------------------


def test_numbers_run_per_committee_and_per_year(county, staff):
    numbers = [
        services.bulletin_create(actor=staff, committee=county.committee, issued_on=DAY).number
        for _ in range(3)
    ]
    next_year = services.bulletin_create(
        actor=staff, committee=county.committee, issued_on=datetime.date(2027, 1, 4)
    )
    other = CommitteeFactory()
    with scope(committee=other):
        other_staff = user_with_role(other, Role.STAFF, office=StaffOffice.RESEARCH)
        first_elsewhere = services.bulletin_create(
            actor=other_staff, committee=other, issued_on=DAY
        )
    assert numbers == [1, 2, 3]
    assert (next_year.year, next_year.number) == (2027, 1)
    assert (first_elsewhere.year, first_elsewhere.number) == (2026, 1)


@pytest.mark.django_db(transaction=True)
def test_two_staff_creating_issues_at_once_get_different_numbers(committee):
    """Real concurrency needs row locks: PostgreSQL only (SQLite numbers sequentially above)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    with scope(committee=committee):
        staff = [
            user_with_role(committee, Role.STAFF, office=StaffOffice.RESEARCH) for _ in range(2)
        ]
    barrier = threading.Barrier(2)
    outcomes = []

    def create(actor):
        try:
            with scope(committee=committee):
                barrier.wait()
                bulletin = services.bulletin_create(actor=actor, committee=committee, issued_on=DAY)
            outcomes.append(bulletin.number)
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(actor,)) for actor in staff]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == [1, 2]
    with scopes_disabled():
        assert sorted(Bulletin.objects.values_list("number", flat=True)) == [1, 2]


# Creating an issue through the page ------------------------------------------------------------


def test_staff_create_an_issue_with_the_committee_title(client, county, staff):
    client.force_login(staff)
    response = client.post(
        reverse("opinions:bulletin_create"),
        {"issued_on": "2026-03-06", "title": "", "send_to": "县委、县政府领导", "copy_to": ""},
    )
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("opinions:bulletin_detail", args=[bulletin.pk])
    assert (bulletin.title, bulletin.year, bulletin.number, bulletin.recipients) == (
        "政协社情民意",
        2026,
        1,
        "报送:县委、县政府领导",
    )


def test_an_issue_without_a_date_is_refused_and_nothing_is_written(client, county, staff):
    client.force_login(staff)
    response = client.post(reverse("opinions:bulletin_create"), {"issued_on": "下周"})
    assert response.status_code == 400
    assert "请填写有效的日期。" in response.content.decode()
    assert Bulletin.objects.count() == 0


def test_the_list_shows_the_issues_of_the_chosen_year(
    client, county, staff, django_assert_max_num_queries
):
    for day in (DAY, DAY, datetime.date(2025, 5, 1)):
        services.bulletin_create(actor=staff, committee=county.committee, issued_on=day)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("opinions:bulletin_list"), {"year": "2026"})
    assert response.status_code == 200
    assert [b.number for b in response.context["issues"]] == [2, 1]
    assert response.context["years"] == sorted({2025, 2026, datetime.date.today().year})[::-1]


def test_chairs_and_leaders_read_the_issues_but_cannot_compose(client, county, issue):
    for role in (Role.CHAIR, Role.LEADER):
        client.force_login(user_with_role(county.committee, role))
        listing = client.get(reverse("opinions:bulletin_list"))
        detail = client.get(reverse("opinions:bulletin_detail", args=[issue.pk]))
        create = client.post(reverse("opinions:bulletin_create"), {"issued_on": "2026-03-07"})
        assert (listing.status_code, detail.status_code, create.status_code) == (200, 200, 403)
        assert (listing.context["can_compose"], detail.context["editable"]) == (False, False)
    assert Bulletin.objects.count() == 1


# Items ------------------------------------------------------------------------------------------


def test_a_single_item_credits_its_submitters(client, county, staff, issue, signed_off):
    joint = signed_off(0, "关于整治校园周边交通的建议", cosubmitters=[1])
    client.force_login(staff)
    response = client.post(
        reverse("opinions:bulletin_item_add", args=[issue.pk, "single"]), {"s-report": joint.pk}
    )
    assert response.status_code == 302
    item = BulletinItem.objects.get()
    assert (item.kind, item.position, item.title) == (ItemKind.SINGLE, 1, joint.title)
    page = client.get(reverse("opinions:bulletin_detail", args=[issue.pk]))
    assert [row["credit"] for row in page.context["rows"]] == ["(李明、王芳委员报送)"]


def test_a_combined_item_credits_every_submitter(client, county, staff, issue, signed_off):
    reports = [signed_off(i, f"关于农村养老的建议{i}") for i in range(3)]
    client.force_login(staff)
    response = client.post(
        reverse("opinions:bulletin_item_add", args=[issue.pk, "combined"]),
        {
            "c-reports": [r.pk for r in reports],
            "c-title": "关于完善农村养老服务体系的建议",
            "c-text": "综合正文。",
        },
    )
    assert response.status_code == 302
    item = BulletinItem.objects.get()
    assert item.kind == ItemKind.COMBINED
    assert sorted(item.reports.values_list("pk", flat=True)) == sorted(r.pk for r in reports)
    page = client.get(reverse("opinions:bulletin_detail", args=[issue.pk]))
    assert [row["credit"] for row in page.context["rows"]] == [
        "(根据李明、王芳、赵强等委员报送的信息综合)"
    ]


def test_a_combined_item_needs_two_reports_a_title_and_text(
    client, county, staff, issue, signed_off
):
    report = signed_off(0, "关于农村养老的建议")
    client.force_login(staff)
    response = client.post(
        reverse("opinions:bulletin_item_add", args=[issue.pk, "combined"]),
        {"c-reports": [report.pk], "c-title": "", "c-text": ""},
    )
    assert response.status_code == 400
    errors = response.context["combined_form"].errors
    assert errors["reports"] == ["综合信息请至少选择两篇信息。"]
    assert errors["title"] == ["请填写综合信息的标题。"]
    assert BulletinItem.objects.count() == 0


def test_only_signed_off_reports_can_be_added(client, county, staff, chair, issue):
    user, _membership = county.members[0]
    report = services.report_create(
        actor=user, committee=county.committee, data=_content("关于停车难的建议")
    )
    report = services.report_submit(actor=user, report=report)
    for action in ("start_review", "use", "approve"):
        report = services.report_act(actor=staff, report=report, action=action)
    assert report.state == ReportState.APPROVED
    client.force_login(staff)
    response = client.post(
        reverse("opinions:bulletin_item_add", args=[issue.pk, "single"]), {"s-report": report.pk}
    )
    assert response.status_code == 400
    assert response.context["single_form"].errors["report"] == [
        "只能编入本会已签发、尚未刊发的信息。"
    ]
    with pytest.raises(ValidationError, match="只能编入本会已签发"):
        services.bulletin_add_item(actor=staff, bulletin=issue, reports=[report])
    assert BulletinItem.objects.count() == 0


def test_a_draft_issue_loses_an_item_on_request(client, county, staff, issue, signed_off):
    first = services.bulletin_add_item(
        actor=staff, bulletin=issue, reports=[signed_off(0, "关于停车难的建议")]
    )
    client.force_login(staff)
    response = client.post(reverse("opinions:bulletin_item_remove", args=[first.pk]))
    assert response.status_code == 302
    assert BulletinItem.objects.count() == 0


def test_a_sent_issue_cannot_change(client, county, staff, issue, signed_off):
    item = services.bulletin_add_item(
        actor=staff, bulletin=issue, reports=[signed_off(0, "关于停车难的建议")]
    )
    later = signed_off(1, "关于菜市场改造的建议")
    client.force_login(staff)
    sent = client.post(reverse("opinions:bulletin_send", args=[issue.pk]))
    issue.refresh_from_db()
    assert (sent.status_code, issue.state) == (302, BulletinState.SENT)
    assert list(item.reports.values_list("state", flat=True)) == [ReportState.PUBLISHED]
    add = client.post(
        reverse("opinions:bulletin_item_add", args=[issue.pk, "single"]), {"s-report": later.pk}
    )
    remove = client.post(reverse("opinions:bulletin_item_remove", args=[item.pk]))
    again = client.post(reverse("opinions:bulletin_send", args=[issue.pk]))
    assert (add.status_code, remove.status_code, again.status_code) == (400, 400, 400)
    with pytest.raises(ValidationError, match="已印发的刊物不能再修改"):
        services.bulletin_add_item(actor=staff, bulletin=issue, reports=[later])
    assert list(BulletinItem.objects.values_list("pk", flat=True)) == [item.pk]


def test_an_empty_issue_cannot_be_sent(client, county, staff, issue):
    client.force_login(staff)
    response = client.post(reverse("opinions:bulletin_send", args=[issue.pk]))
    issue.refresh_from_db()
    assert (response.status_code, issue.state) == (400, BulletinState.DRAFT)


def test_the_issue_page_reads_in_a_fixed_number_of_queries(
    client, county, staff, issue, signed_off, django_assert_max_num_queries
):
    for i in range(3):
        services.bulletin_add_item(actor=staff, bulletin=issue, reports=[signed_off(i, f"建议{i}")])
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("opinions:bulletin_detail", args=[issue.pk]))
    assert [row["item"].title for row in response.context["rows"]] == ["建议0", "建议1", "建议2"]


# The document ------------------------------------------------------------------------------------


def test_the_docx_has_the_official_layout(client, county, staff, issue, signed_off):
    services.bulletin_add_item(
        actor=staff, bulletin=issue, reports=[signed_off(0, "关于停车难的建议")]
    )
    services.bulletin_add_item(
        actor=staff,
        bulletin=issue,
        reports=[signed_off(1, "养老一"), signed_off(2, "养老二")],
        title="关于农村养老的综合建议",
        text="第一段。\n第二段。",
    )
    client.force_login(staff)
    response = client.get(reverse("opinions:bulletin_docx", args=[issue.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''sheqingminyi-2026-01.docx"
    )
    document = Document(io.BytesIO(response.content))
    texts = [p.text for p in document.paragraphs if p.text]
    assert texts == [
        "政协社情民意",
        "第1期",
        f"{county.committee.name}\t2026年3月6日",
        "关于停车难的建议",
        "部分农村自建房未经设计,存在安全隐患。",
        "监管力量不足。",
        "建立农村建房全过程监管制度。",
        "(李明委员报送)",
        "关于农村养老的综合建议",
        "第一段。",
        "第二段。",
        "(根据王芳、赵强等委员报送的信息综合)",
        "报送:县委、县政府领导",
        "抄送:县直有关部门",
    ]
    masthead = document.paragraphs[0].runs[0]
    fonts = masthead._element.rPr.rFonts
    assert (fonts.get(qn("w:eastAsia")), str(masthead.font.color.rgb)) == (
        "方正小标宋简体",
        "E60012",
    )
    rule = document.paragraphs[2]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "E60012"
    assert AuditEntry.objects.filter(action="export").count() == 1


# Departments' handling --------------------------------------------------------------------------


@pytest.fixture
def transferred(county, staff, issue, signed_off):
    """The issue sent, its item transferred to the first two units."""
    item = services.bulletin_add_item(
        actor=staff, bulletin=issue, reports=[signed_off(0, "关于停车难的建议")]
    )
    services.bulletin_send(actor=staff, bulletin=issue)
    return item


def test_staff_transfer_an_item_to_units(client, county, staff, transferred):
    client.force_login(staff)
    units = [county.units[0][1], county.units[1][1]]
    response = client.post(
        reverse("opinions:bulletin_item_transfer", args=[transferred.pk]),
        {f"t{transferred.pk}-units": [u.pk for u in units]},
    )
    assert response.status_code == 302
    assert sorted(
        ItemHandling.objects.filter(item=transferred).values_list("unit__name", "state")
    ) == sorted([(u.name, HandlingState.TRANSFERRING) for u in units])
    page = client.get(reverse("opinions:bulletin_detail", args=[transferred.bulletin_id]))
    form = page.context["rows"][0]["transfer_form"]
    assert list(form.fields["units"].queryset) == [county.units[2][1]]


def test_a_transfer_without_units_writes_nothing(client, county, staff, transferred):
    client.force_login(staff)
    response = client.post(reverse("opinions:bulletin_item_transfer", args=[transferred.pk]), {})
    assert response.status_code == 400
    assert ItemHandling.objects.count() == 0


def test_a_unit_sees_and_answers_only_its_own_transfers(client, county, staff, transferred):
    (unit_user, unit), (_other_user, other_unit) = county.units[0], county.units[1]
    services.item_transfer(actor=staff, item=transferred, units=[unit, other_unit])
    mine = ItemHandling.objects.get(unit=unit)
    theirs = ItemHandling.objects.get(unit=other_unit)
    client.force_login(unit_user)
    listing = client.get(reverse("opinions:handling_list"))
    assert [h.pk for h in listing.context["handlings"]] == [mine.pk]
    assert client.get(reverse("opinions:handling_detail", args=[theirs.pk])).status_code == 404
    refused = client.post(
        reverse("opinions:handling_detail", args=[theirs.pk]), {"answer": "已办理。"}
    )
    assert refused.status_code == 404
    response = client.post(
        reverse("opinions:handling_detail", args=[mine.pk]), {"answer": "已组织排查整改。"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.state, mine.answer, mine.answered_on) == (
        HandlingState.DONE,
        "已组织排查整改。",
        datetime.date.today(),
    )
    assert (theirs.state, theirs.answer) == (HandlingState.TRANSFERRING, "")
    assert client.get(reverse("opinions:bulletin_list")).status_code == 403


def test_an_empty_answer_is_refused_and_nothing_changes(client, county, staff, transferred):
    unit_user, unit = county.units[0]
    services.item_transfer(actor=staff, item=transferred, units=[unit])
    handling = ItemHandling.objects.get()
    client.force_login(unit_user)
    response = client.post(reverse("opinions:handling_detail", args=[handling.pk]), {"answer": ""})
    handling.refresh_from_db()
    assert response.status_code == 400
    assert response.context["form"].errors["answer"] == ["请填写办理情况。"]
    assert (handling.state, handling.answer) == (HandlingState.TRANSFERRING, "")


# Isolation and permissions ------------------------------------------------------------------------


def test_another_committees_issue_item_and_handling_answer_404(client, county, staff, transferred):
    services.item_transfer(actor=staff, item=transferred, units=[county.units[0][1]])
    handling = ItemHandling.objects.get()
    issue = transferred.bulletin
    other = CommitteeFactory()
    with scope(committee=other):
        outsider = user_with_role(other, Role.STAFF, office=StaffOffice.RESEARCH)
    client.force_login(outsider)
    gets = [
        reverse("opinions:bulletin_detail", args=[issue.pk]),
        reverse("opinions:bulletin_docx", args=[issue.pk]),
        reverse("opinions:handling_detail", args=[handling.pk]),
    ]
    posts = [
        reverse("opinions:bulletin_send", args=[issue.pk]),
        reverse("opinions:bulletin_item_add", args=[issue.pk, "single"]),
        reverse("opinions:bulletin_item_remove", args=[transferred.pk]),
        reverse("opinions:bulletin_item_transfer", args=[transferred.pk]),
        reverse("opinions:handling_detail", args=[handling.pk]),
    ]
    statuses = [client.get(url).status_code for url in gets]
    statuses += [client.post(url, {"answer": "x"}).status_code for url in posts]
    assert statuses == [404] * 8
    assert (BulletinItem.objects.count(), ItemHandling.objects.get().answer) == (1, "")


def test_members_cannot_read_or_compose_issues(client, county, issue, signed_off):
    report = signed_off(0, "关于停车难的建议")
    member, _membership = county.members[0]
    client.force_login(member)
    statuses = [
        client.get(reverse("opinions:bulletin_list")).status_code,
        client.get(reverse("opinions:bulletin_detail", args=[issue.pk])).status_code,
        client.get(reverse("opinions:bulletin_docx", args=[issue.pk])).status_code,
        client.get(reverse("opinions:handling_list")).status_code,
        client.post(reverse("opinions:bulletin_create"), {"issued_on": "2026-03-07"}).status_code,
        client.post(
            reverse("opinions:bulletin_item_add", args=[issue.pk, "single"]),
            {"s-report": report.pk},
        ).status_code,
    ]
    assert statuses == [403, 403, 403, 403, 403, 403]
    assert (Bulletin.objects.count(), BulletinItem.objects.count()) == (1, 0)


def test_other_staff_may_read_but_not_compose(client, county, issue, signed_off):
    report = signed_off(0, "关于停车难的建议")
    client.force_login(county.staff)  # proposals office
    assert client.get(reverse("opinions:bulletin_detail", args=[issue.pk])).status_code == 200
    response = client.post(
        reverse("opinions:bulletin_item_add", args=[issue.pk, "single"]), {"s-report": report.pk}
    )
    assert response.status_code == 403
    assert BulletinItem.objects.count() == 0


def test_the_issue_page_offers_only_reports_not_yet_in_an_issue(
    client, county, staff, issue, signed_off
):
    taken = signed_off(0, "关于停车难的建议")
    free = signed_off(1, "关于菜市场改造的建议")
    services.bulletin_add_item(actor=staff, bulletin=issue, reports=[taken])
    client.force_login(staff)
    response = client.get(reverse("opinions:bulletin_detail", args=[issue.pk]))
    offered = response.context["combined_form"].fields["reports"].queryset
    assert list(offered) == [free]
    html = response.content.decode()
    assert f'<input type="checkbox" name="c-reports" value="{free.pk}"' in html
    assert "关于菜市场改造的建议(王芳)" in html


def test_the_year_filter_answers_htmx_with_the_results_only(client, county, staff):
    services.bulletin_create(actor=staff, committee=county.committee, issued_on=DAY)
    client.force_login(staff)
    response = client.get(
        reverse("opinions:bulletin_list"), {"year": "2026"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert html.strip().startswith('<div id="bulletin-results">')
    assert "第1期" in html


def test_other_staff_read_a_handling_but_cannot_answer_it(client, county, staff, transferred):
    services.item_transfer(actor=staff, item=transferred, units=[county.units[0][1]])
    handling = ItemHandling.objects.get()
    client.force_login(county.staff)  # proposals office
    page = client.get(reverse("opinions:handling_detail", args=[handling.pk]))
    refused = client.post(
        reverse("opinions:handling_detail", args=[handling.pk]), {"answer": "已办理。"}
    )
    handling.refresh_from_db()
    assert (page.status_code, page.context["form"], refused.status_code) == (200, None, 403)
    assert handling.state == HandlingState.TRANSFERRING


def test_the_red_rule_sits_where_word_expects_it(client, county, staff, issue):
    client.force_login(staff)
    response = client.get(reverse("opinions:bulletin_docx", args=[issue.pk]))
    document = Document(io.BytesIO(response.content))
    children = [child.tag for child in document.paragraphs[2]._p.pPr]
    assert children == [qn("w:pBdr"), qn("w:tabs")]
