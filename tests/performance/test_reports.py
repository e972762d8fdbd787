"""Yearly duty reports: assignment (exact members), the draft from the ledger, the flow
submit → return → submit → schedule → assess with its history, permission denials, bad input
with Chinese messages and nothing half-written, and two staff acting at once."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory, user_with_role
from tests.performance.test_dossier import DRAFT, member_with_user
from tests.performance.test_dossier import world as world  # noqa: F401 - the fixture
from zhengxie.core.models import Notification, Role
from zhengxie.core.workflow import InvalidTransition
from zhengxie.meetings.models import Meeting
from zhengxie.organisation.models import Position, PositionKind
from zhengxie.performance import reports
from zhengxie.performance.models import DutyReport, ReportState


@pytest.fixture
def standing(world):
    """李明 is a standing member (常委); 王芳 is not."""
    li = world["li"]
    Position.objects.create(
        committee=li.committee,
        membership=li,
        kind=PositionKind.STANDING,
        starts_on=datetime.date(2022, 1, 10),
    )
    return world


def meeting(committee, state="notified", category="standing"):
    start = timezone.now() + datetime.timedelta(days=7)
    return Meeting.objects.create(
        committee=committee,
        category=category,
        title="十届政协常委会第十九次会议",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        place="政协四楼会议室",
        state=state,
    )


def assign(world, staff_user, by="standing", **extra):
    return reports.reports_assign(
        actor=staff_user,
        committee=world["li"].committee,
        year=2026,
        by=by,
        due_on=timezone.localdate() + datetime.timedelta(days=20),
        **extra,
    )


def test_assigning_the_standing_members_gives_each_a_drafted_report(
    standing, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = assign(standing, staff_user)
    assert [r.membership for r in made] == [standing["li"]]
    report = made[0]
    assert (report.state, report.year, report.draft, report.text) == (
        ReportState.ASSIGNED,
        2026,
        DRAFT,
        DRAFT,
    )
    assert [(h.action, h.to_state) for h in report.history.all()] == [("assign", "assigned")]
    assert Notification.objects.filter(recipient=standing["li_user"]).count() == 1


def test_assigning_again_skips_who_already_has_a_report(standing, staff_user):
    assign(standing, staff_user)
    with pytest.raises(ValidationError) as exc:
        assign(standing, staff_user)
    assert exc.value.messages == ["所选委员均已安排2026年度述职。"]
    made = assign(standing, staff_user, by="all")
    assert [r.membership for r in made] == [standing["wang"]]


def test_assigning_a_list_needs_members(standing, staff_user):
    with pytest.raises(ValidationError) as exc:
        assign(standing, staff_user, by="list", memberships=[])
    assert exc.value.messages == ["请选择至少一位委员。"]
    assert DutyReport.objects.count() == 0


def test_members_cannot_assign(standing):
    with pytest.raises(PermissionDenied):
        assign(standing, standing["li_user"])


@pytest.fixture
def report(standing, staff_user):
    return assign(standing, staff_user)[0]


def test_the_whole_flow_leaves_its_history(standing, report, staff_user):
    member = standing["li_user"]
    report = reports.report_submit(actor=member, report=report, text="我的述职报告")
    report = reports.report_return(actor=staff_user, report=report, note="请补充调研情况")
    report = reports.report_submit(actor=member, report=report, text="我的述职报告(修改稿)")
    (report,) = reports.reports_schedule(
        actor=staff_user, reports=[report], meeting=meeting(report.committee)
    )
    report = reports.report_assess(
        actor=staff_user, report=report, assessment="excellent", score="92.5", note="表现突出"
    )
    report.refresh_from_db()
    assert (report.state, report.text, report.assessment, str(report.assessment_score)) == (
        ReportState.ASSESSED,
        "我的述职报告(修改稿)",
        "excellent",
        "92.50",
    )
    assert report.meeting.title == "十届政协常委会第十九次会议"
    assert [(h.action, h.from_state, h.to_state, h.note) for h in report.history.all()] == [
        ("assign", "assigned", "assigned", "安排2026年度述职"),
        ("submit", "assigned", "submitted", ""),
        ("return", "submitted", "returned", "请补充调研情况"),
        ("submit", "returned", "submitted", ""),
        ("schedule", "submitted", "scheduled", "十届政协常委会第十九次会议"),
        ("assess", "scheduled", "assessed", "表现突出"),
    ]


def test_another_member_cannot_submit_and_staff_cannot_write(standing, report, staff_user):
    with pytest.raises(PermissionDenied):
        reports.report_submit(actor=standing["wang_user"], report=report, text="冒名")
    with pytest.raises(PermissionDenied):
        reports.report_save(actor=staff_user, report=report, text="代写")
    report.refresh_from_db()
    assert (report.state, report.text) == (ReportState.ASSIGNED, DRAFT)


def test_the_member_cannot_assess(standing, report, staff_user):
    report = reports.report_submit(actor=standing["li_user"], report=report, text="报告")
    (report,) = reports.reports_schedule(
        actor=staff_user, reports=[report], meeting=meeting(report.committee)
    )
    with pytest.raises(PermissionDenied):
        reports.report_assess(actor=standing["li_user"], report=report, assessment="excellent")


def test_an_assessment_score_of_200_is_refused_in_chinese(standing, report, staff_user):
    report = reports.report_submit(actor=standing["li_user"], report=report, text="报告")
    (report,) = reports.reports_schedule(
        actor=staff_user, reports=[report], meeting=meeting(report.committee)
    )
    with pytest.raises(ValidationError) as exc:
        reports.report_assess(actor=staff_user, report=report, assessment="excellent", score="200")
    assert exc.value.message_dict == {"assessment_score": ["测评得分应为0到100之间的数字。"]}
    report.refresh_from_db()
    assert (report.state, report.assessment, report.assessment_score) == (
        ReportState.SCHEDULED,
        "",
        None,
    )
    assert report.history.count() == 3


def test_an_empty_report_cannot_be_submitted(standing, report):
    with pytest.raises(ValidationError) as exc:
        reports.report_submit(actor=standing["li_user"], report=report, text="  ")
    assert exc.value.message_dict == {"text": ["请填写述职报告内容。"]}


def test_scheduling_needs_an_open_standing_meeting_and_is_all_or_nothing(
    standing, report, staff_user
):
    wang_report = assign(standing, staff_user, by="all")[0]
    report = reports.report_submit(actor=standing["li_user"], report=report, text="报告")
    with pytest.raises(ValidationError) as exc:
        reports.reports_schedule(
            actor=staff_user,
            reports=[report],
            meeting=meeting(report.committee, state="cancelled"),
        )
    assert exc.value.messages == ["只能安排在未取消、未结束的常委会议上述职。"]
    with pytest.raises(ValidationError):
        reports.reports_schedule(
            actor=staff_user,
            reports=[report],
            meeting=meeting(report.committee, category="plenary"),
        )
    # 王芳 has not submitted: nothing of the batch is scheduled.
    with pytest.raises(InvalidTransition):
        reports.reports_schedule(
            actor=staff_user, reports=[report, wang_report], meeting=meeting(report.committee)
        )
    report.refresh_from_db()
    assert (report.state, report.meeting_id) == (ReportState.SUBMITTED, None)


def test_two_staff_acting_at_once_one_wins(standing, report, staff_user):
    report = reports.report_submit(actor=standing["li_user"], report=report, text="报告")
    other_staff = user_with_role(report.committee, Role.STAFF)
    stale = DutyReport.objects.get(pk=report.pk)
    reports.report_return(actor=staff_user, report=report, note="请补充")
    with pytest.raises(InvalidTransition) as exc:
        reports.reports_schedule(
            actor=other_staff, reports=[stale], meeting=meeting(report.committee)
        )
    assert "可能已被他人处理" in str(exc.value)
    stale.refresh_from_db()
    assert stale.state == ReportState.RETURNED
    assert stale.history.filter(action="schedule").count() == 0


# Pages ------------------------------------------------------------------------------------


def test_the_member_writes_and_submits_on_the_page(standing, report, login):
    client = login(standing["li_user"])
    url = reverse("performance:report_detail", args=[report.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "出席全体会议1次" in page.content.decode()
    response = client.post(url, {"action": "submit", "text": "本人认真履职。"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.state, report.text) == (ReportState.SUBMITTED, "本人认真履职。")


def test_another_member_gets_404_for_the_report(standing, report, login):
    client = login(standing["wang_user"])
    url = reverse("performance:report_detail", args=[report.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "submit", "text": "x"}).status_code == 404


def test_the_assess_form_shows_the_chinese_error(standing, report, staff_user, login):
    report = reports.report_submit(actor=standing["li_user"], report=report, text="报告")
    reports.reports_schedule(actor=staff_user, reports=[report], meeting=meeting(report.committee))
    client = login(staff_user)
    response = client.post(
        reverse("performance:report_detail", args=[report.pk]),
        {"action": "assess", "assessment": "excellent", "assessment_score": "200"},
    )
    assert response.status_code == 400
    assert "测评得分应为0到100之间的数字。" in response.content.decode()


def test_staff_schedule_many_from_the_list(standing, staff_user, login):
    made = assign(standing, staff_user, by="all")
    for r in made:
        user = standing["li_user"] if r.membership == standing["li"] else standing["wang_user"]
        reports.report_submit(actor=user, report=r, text="报告")
    m = meeting(standing["li"].committee)
    client = login(staff_user)
    response = client.post(
        reverse("performance:report_schedule"),
        {"meeting": m.pk, "reports": [r.pk for r in made]},
    )
    assert response.status_code == 302
    assert set(DutyReport.objects.values_list("state", "meeting_id")) == {
        (ReportState.SCHEDULED, m.pk)
    }


def test_the_assign_page_assigns_the_standing_members(standing, staff_user, login):
    client = login(staff_user)
    response = client.post(reverse("performance:report_assign"), {"year": 2026, "by": "standing"})
    assert response.status_code == 302
    assert list(DutyReport.objects.values_list("membership__person__name", flat=True)) == ["李明"]


def test_members_see_only_their_own_reports(standing, staff_user, login):
    assign(standing, staff_user, by="all")
    response = login(standing["wang_user"]).get(reverse("performance:report_list"))
    assert [r.membership.person.name for r in response.context["page"].object_list] == ["王芳"]


def test_the_report_list_query_count_is_pinned(
    standing, staff_user, login, django_assert_max_num_queries
):
    li = standing["li"]
    for n in range(10):
        member_with_user(li.committee, f"委员{n}", term=li.term, sector=li.sector)
    MembershipFactory(committee=li.committee, term=li.term, sector=li.sector)
    assign(standing, staff_user, by="all")
    client = login(staff_user)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("performance:report_list"), {"year": 2026})
    assert len(response.context["page"].object_list) == 13


def test_the_pages_render_for_staff(standing, report, staff_user, login):
    client = login(staff_user)
    assert client.get(reverse("performance:report_assign")).status_code == 200
    page = client.get(reverse("performance:report_detail", args=[report.pk]))
    assert page.status_code == 200
    assert "安排述职任务" in page.content.decode()
    assert login(standing["li_user"]).get(reverse("performance:report_assign")).status_code == 403
