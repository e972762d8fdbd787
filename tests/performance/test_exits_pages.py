"""Exit-flag pages: staff list, filter, check now and act; chairs and leaders read; members and
units get 403; the list's query count does not grow with the flags."""

import datetime

import pytest

from tests.factories import MembershipFactory, user_with_role
from tests.performance.test_exits import ON, PLENARY_2, meeting, save_table
from zhengxie.core.models import Role
from zhengxie.performance import exits
from zhengxie.performance.models import ExitFlag, FlagState


@pytest.fixture
def flagged(committee_scope):
    """Three members with two unexcused plenaries each, flagged."""
    save_table(committee_scope, 2026, exit_rules=[PLENARY_2])
    first = MembershipFactory(committee=committee_scope)
    members = [first] + [
        MembershipFactory(committee=committee_scope, term=first.term) for _ in range(2)
    ]
    for member in members:
        meeting(member, "absent", 3)
        meeting(member, "absent", 6)
    return members


@pytest.fixture
def staff(committee):
    return user_with_role(committee, Role.STAFF)


def test_staff_check_now_then_see_the_flags_with_their_evidence(flagged, staff, login):
    client = login(staff)
    response = client.post("/performance/flags/check/", follow=True)
    assert ExitFlag.objects.count() == 3
    assert "检查完成,新发现3条退出情形。" in response.content.decode()
    page = client.get("/performance/flags/").content.decode()
    assert page.count("连续2次无故缺席全体会议(规则:连续2次)") == 3
    assert "3月plenary会议" in page
    assert 'id="check-flags"' in page
    again = client.post("/performance/flags/check/", follow=True).content.decode()
    assert "检查完成,未发现新的退出情形。" in again


def test_the_state_filter(flagged, staff, login, committee):
    exits.raise_flags(committee=committee)
    flag = ExitFlag.objects.order_by("pk").first()
    exits.flag_act(actor=staff, flag=flag, action="dismiss", note="经核实已补假")
    client = login(staff)
    page = client.get("/performance/flags/?state=dismissed").content.decode()
    assert "共 1 条" in page
    assert flag.membership.person.name in page


def test_the_list_query_count_is_pinned(
    flagged, staff, login, committee, django_assert_max_num_queries
):
    exits.raise_flags(committee=committee)
    client = login(staff)
    with django_assert_max_num_queries(10):
        response = client.get("/performance/flags/")
    assert response.status_code == 200
    for _ in range(5):
        extra = MembershipFactory(committee=committee, term=flagged[0].term)
        meeting(extra, "absent", 3)
        meeting(extra, "absent", 6)
    exits.raise_flags(committee=committee)
    with django_assert_max_num_queries(10):
        response = client.get("/performance/flags/")
    assert response.content.decode().count("连续2次无故缺席") == 8


def test_staff_accept_a_resignation_from_the_page(flagged, staff, login, committee):
    exits.raise_flags(committee=committee, on=ON)
    flag = ExitFlag.objects.get(membership=flagged[0])
    client = login(staff)
    detail = client.get(f"/performance/flags/{flag.pk}/").content.decode()
    assert 'data-action="accept_resignation"' in detail
    response = client.post(
        f"/performance/flags/{flag.pk}/accept_resignation/",
        {
            "accept_resignation-effective_on": "2026-11-05",
            "accept_resignation-decided_by": "十届常委会第八次会议",
            "accept_resignation-note": "本人申请",
        },
    )
    assert response.status_code == 302
    flag.refresh_from_db()
    flag.membership.refresh_from_db()
    assert (flag.state, flag.membership.status, flag.membership.left_on) == (
        FlagState.RESIGNED,
        "resigned",
        datetime.date(2026, 11, 5),
    )


def test_a_talk_without_a_note_shows_the_error(flagged, staff, login, committee):
    exits.raise_flags(committee=committee)
    flag = ExitFlag.objects.order_by("pk").first()
    response = login(staff).post(f"/performance/flags/{flag.pk}/talk/", {"talk-note": ""})
    assert response.status_code == 400
    assert "这个字段是必填项。" in response.content.decode()
    flag.refresh_from_db()
    assert flag.state == FlagState.OPEN


def test_a_second_decision_is_told_it_came_too_late(flagged, staff, login, committee):
    exits.raise_flags(committee=committee)
    flag = ExitFlag.objects.order_by("pk").first()
    exits.flag_act(actor=staff, flag=flag, action="dismiss", note="已核实")
    response = login(staff).post(f"/performance/flags/{flag.pk}/talk/", {"talk-note": "谈话"})
    assert response.status_code == 409
    assert "可能已被他人处理" in response.content.decode()


@pytest.mark.parametrize("role", [Role.CHAIR, Role.LEADER])
def test_chairs_and_leaders_read_but_may_not_act(flagged, committee, login, role):
    exits.raise_flags(committee=committee)
    flag = ExitFlag.objects.order_by("pk").first()
    client = login(user_with_role(committee, role))
    assert client.get("/performance/flags/").status_code == 200
    detail = client.get(f"/performance/flags/{flag.pk}/").content.decode()
    assert "data-action" not in detail and 'id="check-flags"' not in detail
    assert client.post("/performance/flags/check/").status_code == 403
    response = client.post(f"/performance/flags/{flag.pk}/dismiss/", {"dismiss-note": "不处理"})
    assert response.status_code == 403
    flag.refresh_from_db()
    assert flag.state == FlagState.OPEN


@pytest.mark.parametrize("role", [Role.MEMBER, Role.UNIT])
def test_members_and_units_get_403(flagged, committee, login, role):
    exits.raise_flags(committee=committee)
    flag = ExitFlag.objects.order_by("pk").first()
    client = login(user_with_role(committee, role))
    assert client.get("/performance/flags/").status_code == 403
    assert client.get(f"/performance/flags/{flag.pk}/").status_code == 403
    assert client.post("/performance/flags/check/").status_code == 403


def test_a_low_score_flag_shows_the_yearly_scores(committee_scope, staff, login):
    from tests.performance.test_exits import LOW_2

    save_table(committee_scope, 2024)
    save_table(committee_scope, 2025)
    save_table(committee_scope, 2026, exit_rules=[LOW_2])
    member = MembershipFactory(committee=committee_scope)
    exits.raise_flags(committee=committee_scope, on=ON)
    flag = ExitFlag.objects.get(membership=member)
    page = login(staff).get(f"/performance/flags/{flag.pk}/").content.decode()
    assert "连续2年年度积分低于合格分(规则:连续2年)" in page
    assert "2024年度:0.00分(合格分 60.00)" in page
    assert "2025年度:0.00分(合格分 60.00)" in page
