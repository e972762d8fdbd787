"""The political self-check (政治体检): the member saves a draft and submits; after submitting it
is read-only; staff see who has and hasn't submitted and add a review note; other members see
nothing of it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.performance.test_dossier import member_with_user
from zhengxie.performance import reports
from zhengxie.performance.models import PoliticalCheck
from zhengxie.performance.reports import CHECK_QUESTIONS


def full_answers():
    return {key: {"text": f"{key}自查情况良好", "problem": "no"} for key, _q, _p in CHECK_QUESTIONS}


def form_data(action="submit"):
    data = {"action": action, "year": 2026}
    for key, _q, _p in CHECK_QUESTIONS:
        data[f"{key}_text"] = f"{key}自查情况良好"
        data[f"{key}_problem"] = "no"
    return data


@pytest.fixture
def members(committee_scope):
    li, li_user = member_with_user(committee_scope, "李明")
    wang, wang_user = member_with_user(committee_scope, "王芳", term=li.term, sector=li.sector)
    return li, li_user, wang, wang_user


def test_a_draft_then_a_submission(members):
    li, li_user, _w, _wu = members
    draft = reports.check_save(
        actor=li_user,
        membership=li,
        year=2026,
        answers={"duty": {"text": "按时参会", "problem": "no"}},
    )
    assert draft.submitted_at is None
    assert draft.answers["duty"] == {"text": "按时参会", "problem": False}
    check = reports.check_save(
        actor=li_user, membership=li, year=2026, answers=full_answers(), submit=True
    )
    assert check.pk == draft.pk
    assert check.submitted_at is not None
    assert len(check.answers) == 6
    assert all(a["problem"] is False for a in check.answers.values())


def test_an_incomplete_submission_is_refused_and_nothing_saved(members):
    li, li_user, _w, _wu = members
    answers = full_answers()
    answers["integrity"] = {"text": "", "problem": None}
    with pytest.raises(ValidationError) as exc:
        reports.check_save(actor=li_user, membership=li, year=2026, answers=answers, submit=True)
    assert exc.value.message_dict == {
        "integrity_text": ["请填写“廉洁自律情况”的自查情况。"],
        "integrity_problem": ["请选择“是否存在利用委员身份谋取私利问题”。"],
    }
    assert PoliticalCheck.objects.count() == 0


def test_a_submitted_check_cannot_be_changed(members):
    li, li_user, _w, _wu = members
    reports.check_save(actor=li_user, membership=li, year=2026, answers=full_answers(), submit=True)
    with pytest.raises(ValidationError) as exc:
        reports.check_save(actor=li_user, membership=li, year=2026, answers=full_answers())
    assert exc.value.messages == ["本年度政治体检已提交,不能再修改。"]


def test_another_member_cannot_fill_my_check(members):
    li, _lu, _w, wang_user = members
    with pytest.raises(PermissionDenied):
        reports.check_save(actor=wang_user, membership=li, year=2026, answers=full_answers())


def test_the_page_flow_and_resubmission_refused(members, login):
    li, li_user, _w, _wu = members
    client = login(li_user)
    url = reverse("performance:check")
    assert client.get(url, {"year": 2026}).status_code == 200
    assert client.post(url, form_data()).status_code == 302
    check = PoliticalCheck.objects.get(membership=li, year=2026)
    assert check.submitted_at is not None
    response = client.post(url, form_data("save"))
    assert response.status_code == 400
    assert "本年度政治体检已提交,不能再修改。" in response.content.decode()
    page = client.get(url, {"year": 2026}).content.decode()
    assert 'id="check-submitted"' in page
    assert "disabled" in page


def test_other_members_cannot_see_a_check(members, login):
    li, li_user, _w, wang_user = members
    check = reports.check_save(
        actor=li_user, membership=li, year=2026, answers=full_answers(), submit=True
    )
    client = login(wang_user)
    assert client.get(reverse("performance:check_detail", args=[check.pk])).status_code == 404
    assert client.get(reverse("performance:check_list")).status_code == 403
    own = client.get(reverse("performance:check"), {"year": 2026})
    assert own.context["check"] is None


def test_staff_see_who_submitted_and_review(
    members, staff_user, login, django_assert_max_num_queries
):
    li, li_user, _w, _wu = members
    check = reports.check_save(
        actor=li_user, membership=li, year=2026, answers=full_answers(), submit=True
    )
    client = login(staff_user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("performance:check_list"), {"year": 2026})
    rows = [
        (m.person.name, c is not None and c.submitted_at is not None)
        for m, c in response.context["rows"]
    ]
    assert rows == [("李明", True), ("王芳", False)]
    assert response.context["done"] == 1
    missing = client.get(reverse("performance:check_list"), {"year": 2026, "state": "missing"})
    assert [m.person.name for m, _c in missing.context["rows"]] == ["王芳"]
    url = reverse("performance:check_detail", args=[check.pk])
    assert "duty自查情况良好" in client.get(url).content.decode()
    assert client.post(url, {"note": "已审阅,情况属实"}).status_code == 302
    check.refresh_from_db()
    assert (check.review_note, check.reviewed_by) == ("已审阅,情况属实", staff_user)


def test_a_draft_cannot_be_reviewed(members, staff_user):
    li, li_user, _w, _wu = members
    draft = reports.check_save(actor=li_user, membership=li, year=2026, answers={})
    with pytest.raises(ValidationError) as exc:
        reports.check_review(actor=staff_user, check=draft, note="好")
    assert exc.value.messages == ["该委员尚未提交政治体检,不能审阅。"]
