"""Duty claims (履职补录): a member claims a duty done elsewhere with evidence; staff approve it
(exactly one ledger row, sourced from the claim) or decline it; the member may withdraw it.
Bad input is refused in Chinese with nothing written; of two staff deciding at once one wins."""

import datetime
from decimal import Decimal as D

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import MembershipFactory, user_with_role
from zhengxie.core.attachments import attachments_for
from zhengxie.core.models import Attachment, AuditEntry, DutyRecord, Notification, Role
from zhengxie.core.workflow import InvalidTransition
from zhengxie.performance import claims
from zhengxie.performance.models import ClaimState, DutyClaim, DutyClaimHistory

PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DAY = datetime.date(2026, 9, 18)
NOT_A_PDF = (
    "文件“假文件.pdf”的实际内容不是允许的类型(允许:PDF 文档、JPEG 图片、PNG 图片、"
    "Word 文档(docx)、Word 97-2003 文档(doc)、Excel 表格(xlsx)、Excel 97-2003 表格(xls)、"
    "MP3 录音、M4A 录音)。"
)


def pdf(name="通知.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def member_user(membership):
    user = user_with_role(membership.committee, Role.MEMBER)
    membership.person.user = user
    membership.person.save(update_fields=["user"])
    return user


def data(**changes):
    values = {
        "kind": "research",
        "sub_kind": "participant",
        "level": "city",
        "occurred_on": DAY,
        "half_days": D("2"),
        "title": "参加市政协“山区共富”专题调研",
        "description": "9月18日随市政协调研组赴山区乡镇调研,全天。",
    }
    values.update(changes)
    return values


@pytest.fixture
def seat(committee_scope):
    return MembershipFactory(committee=committee_scope)


@pytest.fixture
def member(seat):
    return member_user(seat)


@pytest.fixture
def staff(committee):
    return user_with_role(committee, Role.STAFF)


@pytest.fixture
def claim(seat, member):
    return claims.claim_create(actor=member, membership=seat, data=data(), uploads=[pdf()])


def test_a_member_claims_with_evidence_and_staff_are_told(
    seat, member, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = claims.claim_create(
            actor=member, membership=seat, data=data(), uploads=[pdf(), pdf("签到表.pdf")]
        )
    assert (claim.state, claim.kind, claim.sub_kind, claim.level) == (
        ClaimState.SUBMITTED,
        "research",
        "participant",
        "city",
    )
    assert [a.original_name for a in attachments_for(claim)] == ["通知.pdf", "签到表.pdf"]
    assert list(claim.history.values_list("action", "to_state")) == [("submit", "submitted")]
    [note] = Notification.objects.filter(recipient=staff)
    assert note.title == f"{seat.person.name}申请履职补录:参加市政协“山区共富”专题调研"
    assert note.url == f"/performance/claims/{claim.pk}/"


def test_approval_appends_exactly_one_ledger_row_and_tells_the_member(
    claim, staff, member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        approved = claims.claim_act(actor=staff, claim=claim, action="approve", note="材料齐全")
    record = DutyRecord.objects.get()
    assert approved.record == record
    assert (approved.state, approved.decision_note) == (ClaimState.APPROVED, "材料齐全")
    assert (
        record.membership,
        record.kind,
        record.sub_kind,
        record.occurred_on,
        record.level,
        record.half_days,
        record.weight,
        record.title,
        record.source_type,
        record.source_id,
        record.created_by,
    ) == (
        claim.membership,
        "research",
        "participant",
        DAY,
        "city",
        D("2.0"),
        1,
        "参加市政协“山区共富”专题调研",
        ContentType.objects.get_for_model(DutyClaim),
        claim.pk,
        staff,
    )
    [note] = Notification.objects.filter(recipient=member)
    assert note.title == "您的履职补录“参加市政协“山区共富”专题调研”已认定"
    assert AuditEntry.objects.filter(object_type="performance.DutyClaim").count() == 2


def test_decline_needs_a_reason_and_writes_no_ledger_row(claim, staff):
    with pytest.raises(ValidationError) as exc:
        claims.claim_act(actor=staff, claim=claim, action="decline", note=" ")
    assert exc.value.message_dict == {"note": ["请填写不予认定的理由。"]}
    declined = claims.claim_act(actor=staff, claim=claim, action="decline", note="非履职活动")
    assert (declined.state, declined.decision_note) == (ClaimState.DECLINED, "非履职活动")
    assert DutyRecord.objects.count() == 0


def test_the_member_withdraws_while_it_waits_and_no_longer_after(claim, member, staff):
    withdrawn = claims.claim_act(actor=member, claim=claim, action="withdraw")
    assert withdrawn.state == ClaimState.WITHDRAWN
    with pytest.raises(InvalidTransition):
        claims.claim_act(actor=staff, claim=withdrawn, action="approve")
    assert DutyRecord.objects.count() == 0


def test_another_member_may_not_withdraw_and_a_member_may_not_approve(claim, seat, committee_scope):
    other = member_user(MembershipFactory(committee=committee_scope, term=seat.term))
    with pytest.raises(PermissionDenied):
        claims.claim_act(actor=other, claim=claim, action="withdraw")
    with pytest.raises(PermissionDenied):
        claims.claim_act(actor=other, claim=claim, action="approve")
    claim.refresh_from_db()
    assert claim.state == ClaimState.SUBMITTED


def test_a_member_may_not_claim_for_someone_elses_seat(seat, committee_scope):
    other = member_user(MembershipFactory(committee=committee_scope, term=seat.term))
    with pytest.raises(PermissionDenied):
        claims.claim_create(actor=other, membership=seat, data=data(), uploads=[pdf()])


@pytest.mark.parametrize(
    ("changes", "uploads", "errors"),
    [
        (
            {"occurred_on": timezone.localdate() + datetime.timedelta(days=1)},
            None,
            {"occurred_on": ["履职日期不能晚于今天。"]},
        ),
        (
            {"occurred_on": datetime.date(2021, 5, 1)},
            None,
            {"occurred_on": ["履职日期不能早于任职日期(2022-01-10)。"]},
        ),
        ({"description": "  "}, None, {"description": ["请填写情况说明。"]}),
        ({"kind": "attendance", "sub_kind": ""}, None, {"kind": ["请选择有效的履职事项。"]}),
        ({"kind": "dancing", "sub_kind": ""}, None, {"kind": ["请选择有效的履职事项。"]}),
        ({"sub_kind": "oral"}, None, {"sub_kind": ["“oral”不是“调研”的细项。"]}),
        ({"half_days": D("0.3")}, None, {"half_days": ["时长以半天为单位,如 1、1.5、2。"]}),
        ({}, [], {"files": ["请上传至少一个证明材料。"]}),
        ({}, [pdf() for _ in range(6)], {"files": ["证明材料最多5个。"]}),
        (
            {},
            [pdf(), pdf("假文件.pdf", b"just some text, not a pdf")],
            {"files": [NOT_A_PDF]},
        ),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(
    seat, member, changes, uploads, errors
):
    with pytest.raises(ValidationError) as exc:
        claims.claim_create(
            actor=member,
            membership=seat,
            data=data(**changes),
            uploads=[pdf()] if uploads is None else uploads,
        )
    assert exc.value.message_dict == errors
    assert (DutyClaim.objects.count(), DutyClaimHistory.objects.count()) == (0, 0)
    assert Attachment.objects.count() == 0


def test_two_staff_deciding_at_once_one_wins(claim, staff, committee):
    other = user_with_role(committee, Role.STAFF)
    stale = DutyClaim.objects.get(pk=claim.pk)
    claims.claim_act(actor=staff, claim=claim, action="approve")
    with pytest.raises(InvalidTransition, match="可能已被他人处理"):
        claims.claim_act(actor=other, claim=stale, action="decline", note="不予认定")
    with pytest.raises(InvalidTransition, match="可能已被他人处理"):
        claims.claim_act(actor=other, claim=stale, action="approve")
    assert DutyRecord.objects.count() == 1
    assert claim.history.count() == 2
