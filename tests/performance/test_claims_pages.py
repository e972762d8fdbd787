"""Duty-claim pages: a member files a claim with files and sees only their own; staff see all,
filter and decide; others get 403 or 404; the list's query count is pinned."""

import pytest

from tests.factories import MembershipFactory, user_with_role
from tests.performance.test_claims import data, member_user, pdf
from zhengxie.core.models import DutyRecord, Role
from zhengxie.performance import claims
from zhengxie.performance.models import ClaimState, DutyClaim


@pytest.fixture
def seat(committee_scope):
    return MembershipFactory(committee=committee_scope)


@pytest.fixture
def member(seat):
    return member_user(seat)


@pytest.fixture
def staff(committee):
    return user_with_role(committee, Role.STAFF)


def form_data(**changes):
    values = {
        "kind": "research",
        "sub_kind": "research:participant",
        "level": "city",
        "occurred_on": "2026-09-18",
        "half_days": "2",
        "title": "参加市政协专题调研",
        "description": "随市政协调研组调研。",
    }
    values.update(changes)
    return values


def test_a_member_files_a_claim_with_two_files(seat, member, login):
    client = login(member)
    assert client.get("/performance/claims/new/").status_code == 200
    response = client.post(
        "/performance/claims/new/",
        {**form_data(), "files": [pdf(), pdf("照片说明.pdf")]},
    )
    claim = DutyClaim.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/performance/claims/{claim.pk}/"
    assert (claim.membership, claim.kind, claim.sub_kind, claim.state) == (
        seat,
        "research",
        "participant",
        ClaimState.SUBMITTED,
    )
    page = client.get(response["Location"]).content.decode()
    assert "调研·参加调研" in page and "照片说明.pdf" in page
    assert 'data-action="withdraw"' in page and 'data-action="approve"' not in page


def test_a_bad_file_keeps_nothing_and_says_why(seat, member, login):
    response = login(member).post(
        "/performance/claims/new/",
        {**form_data(), "files": [pdf(), pdf("假.pdf", b"plain text")]},
    )
    assert response.status_code == 400
    assert "文件“假.pdf”的实际内容不是允许的类型" in response.content.decode()
    assert DutyClaim.objects.count() == 0


def test_a_sub_kind_of_another_kind_is_refused(seat, member, login):
    response = login(member).post(
        "/performance/claims/new/",
        {**form_data(sub_kind="speech:oral"), "files": [pdf()]},
    )
    assert response.status_code == 400
    assert "所选细项不属于所选履职事项。" in response.content.decode()
    assert DutyClaim.objects.count() == 0


def test_staff_approve_from_the_page(seat, member, staff, login):
    claim = claims.claim_create(actor=member, membership=seat, data=data(), uploads=[pdf()])
    client = login(staff)
    page = client.get(f"/performance/claims/{claim.pk}/").content.decode()
    assert 'data-action="approve"' in page and 'data-action="withdraw"' not in page
    response = client.post(f"/performance/claims/{claim.pk}/approve/", {"approve-note": "材料齐全"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.state, claim.record) == (ClaimState.APPROVED, DutyRecord.objects.get())
    again = client.post(f"/performance/claims/{claim.pk}/decline/", {"decline-note": "重复"})
    assert again.status_code == 409
    assert DutyRecord.objects.count() == 1


def test_decline_without_a_reason_shows_the_error(seat, member, staff, login):
    claim = claims.claim_create(actor=member, membership=seat, data=data(), uploads=[pdf()])
    response = login(staff).post(f"/performance/claims/{claim.pk}/decline/", {"decline-note": ""})
    assert response.status_code == 400
    claim.refresh_from_db()
    assert claim.state == ClaimState.SUBMITTED


def test_lists_members_see_their_own_staff_see_all_and_filter(
    seat, member, staff, login, committee, django_assert_max_num_queries
):
    mine = claims.claim_create(actor=member, membership=seat, data=data(), uploads=[pdf()])
    others = []
    for n in range(4):
        other_seat = MembershipFactory(committee=committee, term=seat.term)
        other = member_user(other_seat)
        others.append(
            claims.claim_create(
                actor=other,
                membership=other_seat,
                data=data(title=f"他人补录{n}"),
                uploads=[pdf()],
            )
        )
    claims.claim_act(actor=staff, claim=others[0], action="decline", note="不符合")
    page = login(member).get("/performance/claims/").content.decode()
    assert "共 1 条" in page and "他人补录" not in page
    assert login(member).get(f"/performance/claims/{others[1].pk}/").status_code == 404
    client = login(staff)
    with django_assert_max_num_queries(10):
        page = client.get("/performance/claims/").content.decode()
    assert "共 5 条" in page
    filtered = client.get("/performance/claims/?state=declined").content.decode()
    assert "共 1 条" in filtered and "他人补录0" in filtered
    assert mine.title in page


def test_who_gets_403(seat, member, committee, login):
    claim = claims.claim_create(actor=member, membership=seat, data=data(), uploads=[pdf()])
    chair = login(user_with_role(committee, Role.CHAIR))
    assert chair.get("/performance/claims/").status_code == 403
    assert chair.get("/performance/claims/new/").status_code == 403
    assert chair.get(f"/performance/claims/{claim.pk}/").status_code == 404
    staff = login(user_with_role(committee, Role.STAFF))
    assert staff.get("/performance/claims/new/").status_code == 403
    seatless = login(user_with_role(committee, Role.MEMBER))
    assert seatless.get("/performance/claims/new/").status_code == 403
    for role in (Role.UNIT, Role.LEADER):
        other = login(user_with_role(committee, role))
        assert other.get("/performance/claims/").status_code == 403
        assert other.get(f"/performance/claims/{claim.pk}/").status_code == 404
        assert other.post(f"/performance/claims/{claim.pk}/approve/").status_code == 404
