"""Writes on the yearly duty report (年度述职) and the political self-check (政治体检).

Duty reports follow one workflow table (``REPORT_WORKFLOW``): staff assign who reports for a
year (each report starts with a draft written from the dossier), the member edits and submits,
staff return it with a note or schedule it at a standing-committee meeting (many at once), then
record the assessment (测评), which stays in the dossier. Every function is keyword-only,
atomic and permission-checked; two staff acting at once: the second is told the report was
already handled.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengxie.core.audit import audit_record
from zhengxie.core.models import AuditAction
from zhengxie.core.notifications import notify
from zhengxie.core.periods import MAX_YEAR, MIN_YEAR
from zhengxie.core.workflow import Transition, Workflow
from zhengxie.meetings.models import Meeting, MeetingCategory, MeetingState
from zhengxie.organisation.queries import members_by_audience
from zhengxie.performance import dossier
from zhengxie.performance.models import (
    Assessment,
    DutyReport,
    DutyReportHistory,
    PoliticalCheck,
    ReportState,
)

R = ReportState
WRITABLE_STATES = (R.ASSIGNED, R.RETURNED)

REPORT_WORKFLOW = Workflow(
    model=DutyReport,
    history_model=DutyReportHistory,
    transitions=[
        Transition(
            WRITABLE_STATES, "submit", R.SUBMITTED, "performance.write_report", gettext_lazy("提交")
        ),
        Transition(
            R.SUBMITTED,
            "return",
            R.RETURNED,
            "performance.review_report",
            gettext_lazy("退回修改"),
            "outline-warning",
        ),
        Transition(
            R.SUBMITTED,
            "schedule",
            R.SCHEDULED,
            "performance.review_report",
            gettext_lazy("安排述职"),
        ),
        Transition(
            R.SCHEDULED,
            "assess",
            R.ASSESSED,
            "performance.review_report",
            gettext_lazy("登记测评"),
            "success",
        ),
    ],
)

ASSIGN_SCOPES = {
    "standing": gettext_lazy("全体常委"),
    "special_committee": gettext_lazy("专门委员会"),
    "group": gettext_lazy("委员活动小组"),
    "list": gettext_lazy("指定委员"),
    "all": gettext_lazy("全体委员"),
}


def _require(actor, permission, obj=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def _check_year(year):
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": _("年度不正确。")})


def report_url(report):
    return reverse("performance:report_detail", kwargs={"pk": report.pk})


def _tell(users, *, title, body, url, committee):
    users = [u for u in users if u is not None]
    if users:
        transaction.on_commit(
            lambda: notify(
                recipients=users,
                title=title,
                body=body,
                url=url,
                kind="performance",
                committee=committee,
            )
        )


def _member_user(report):
    return report.membership.person.user


# Duty reports ---------------------------------------------------------------------------------


@transaction.atomic
def reports_assign(
    *,
    actor,
    committee,
    year,
    by,
    due_on=None,
    special_committee=None,
    group=None,
    memberships=None,
):
    """A report (with its draft) for each in-office member chosen by ``by`` who has none for
    ``year`` yet; each is told. Returns the new reports."""
    _require(actor, "performance.assign_reports")
    _check_year(year)
    if by not in ASSIGN_SCOPES:
        raise ValidationError({"by": _("请选择述职范围。")})
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("提交期限不能早于今天。")})
    candidates = list(
        members_by_audience(
            committee=committee,
            by=by,
            special_committee=special_committee,
            group=group,
            memberships=memberships,
        )
        .select_related("person__user", "term", "committee")
        .order_by("person__name", "pk")
    )
    if not candidates:
        raise ValidationError(_("所选范围内没有在任委员。"))
    taken = set(
        DutyReport.objects.filter(membership__in=[m.pk for m in candidates], year=year).values_list(
            "membership_id", flat=True
        )
    )
    new = [m for m in candidates if m.pk not in taken]
    if not new:
        raise ValidationError(_("所选委员均已安排%(year)s年度述职。") % {"year": year})
    scores = dossier.scoring.committee_scores(
        committee=committee, year=year, membership_ids=[m.pk for m in new]
    )
    reports = []
    for membership in new:
        draft = dossier.draft_text(
            membership=membership, year=year, total=scores.get(membership.pk, dossier.ZERO)
        )
        report = DutyReport.objects.create(
            committee=committee,
            membership=membership,
            year=year,
            draft=draft,
            text=draft,
            due_on=due_on,
        )
        REPORT_WORKFLOW.note(
            obj=report,
            action="assign",
            actor=actor,
            note=_("安排%(year)s年度述职") % {"year": year},
            data={"by": by},
        )
        reports.append(report)
        url = report_url(report)
        due = due_on.isoformat() if due_on else _("另行通知")
        _tell(
            [membership.person.user],
            title=_("请撰写%(year)s年度履职报告") % {"year": year},
            body=_("系统已根据您的履职档案生成初稿,请修改完善后于%(due)s前提交。") % {"due": due},
            url=url,
            committee=committee,
        )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        committee=committee,
        object_type="performance.dutyreport",
        object_label=_("%(year)s年度述职") % {"year": year},
        after={"year": year, "by": by, "members": [m.pk for m in new]},
        note=_("安排%(n)s名委员述职") % {"n": len(new)},
    )
    return reports


def _clean_text(text):
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("请填写述职报告内容。")})
    if len(text) > 20000:
        raise ValidationError({"text": _("述职报告不能超过20000字。")})
    return text


@transaction.atomic
def report_save(*, actor, report, text):
    """Save the member's text without submitting."""
    locked = DutyReport.objects.select_for_update().get(pk=report.pk)
    _require(actor, "performance.write_report", locked)
    if locked.state not in WRITABLE_STATES:
        raise ValidationError(_("述职报告已提交,不能再修改。"))
    locked.text = _clean_text(text)
    locked.save(update_fields=["text"])
    return locked


def report_submit(*, actor, report, text):
    text = _clean_text(text)
    return REPORT_WORKFLOW.apply(
        obj=report,
        action="submit",
        actor=actor,
        updates={"text": text, "submitted_at": timezone.now()},
    )


def report_return(*, actor, report, note):
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写退回理由。")})
    report = REPORT_WORKFLOW.apply(obj=report, action="return", actor=actor, note=note)
    _tell(
        [_member_user(report)],
        title=_("您的%(year)s年度述职报告被退回修改") % {"year": report.year},
        body=note,
        url=report_url(report),
        committee=report.committee,
    )
    return report


def schedulable_meetings(committee):
    """Standing-committee meetings (not cancelled or closed) reports may be presented at."""
    return Meeting.objects.filter(
        committee=committee,
        category=MeetingCategory.STANDING,
        state__in=(MeetingState.DRAFT, MeetingState.NOTIFIED, MeetingState.SIGNING_IN),
    ).order_by("starts_at", "pk")


@transaction.atomic
def reports_schedule(*, actor, reports, meeting):
    """Schedule several submitted reports at one standing-committee meeting — all or none."""
    _require(actor, "performance.review_report")
    reports = list(reports)
    if not reports:
        raise ValidationError({"reports": _("请选择要安排的述职报告。")})
    if meeting is None:
        raise ValidationError({"meeting": _("请选择述职会议。")})
    meeting = Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if (
        meeting is None
        or meeting.category != MeetingCategory.STANDING
        or meeting.state in (MeetingState.CANCELLED, MeetingState.CLOSED)
    ):
        raise ValidationError({"meeting": _("只能安排在未取消、未结束的常委会议上述职。")})
    done = []
    for report in sorted(reports, key=lambda r: r.pk):
        if report.committee_id != meeting.committee_id:
            raise ValidationError({"meeting": _("会议与述职报告不属于同一政协。")})
        done.append(
            REPORT_WORKFLOW.apply(
                obj=report,
                action="schedule",
                actor=actor,
                note=meeting.title,
                data={"meeting": meeting.pk},
                updates={"meeting": meeting},
            )
        )
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    for report in done:
        _tell(
            [_member_user(report)],
            title=_("请在%(meeting)s上述职") % {"meeting": meeting.title},
            body=_("会议定于%(when)s在%(place)s召开,请做好述职准备。")
            % {"when": when, "place": meeting.place},
            url=report_url(report),
            committee=report.committee,
        )
    return done


def clean_assessment(assessment, score):
    """(assessment, Decimal score or None), or ValidationError with Chinese messages."""
    errors = {}
    if assessment not in Assessment.values:
        errors["assessment"] = _("请选择测评结果。")
    value = None
    if score not in (None, ""):
        try:
            value = Decimal(str(score).strip())
        except (InvalidOperation, ValueError):
            value = None
            errors["assessment_score"] = _("测评得分应为0到100之间的数字。")
        else:
            if not value.is_finite() or not Decimal("0") <= value <= Decimal("100"):
                errors["assessment_score"] = _("测评得分应为0到100之间的数字。")
            else:
                value = value.quantize(Decimal("0.01"))
    if errors:
        raise ValidationError(errors)
    return assessment, value


def report_assess(*, actor, report, assessment, score=None, note=""):
    assessment, value = clean_assessment(assessment, score)
    note = (note or "").strip()
    if len(note) > 255:
        raise ValidationError({"assessment_note": _("测评说明不能超过255字。")})
    return REPORT_WORKFLOW.apply(
        obj=report,
        action="assess",
        actor=actor,
        note=note,
        data={"assessment": assessment, "score": str(value) if value is not None else ""},
        updates={
            "assessment": assessment,
            "assessment_score": value,
            "assessment_note": note,
        },
    )


# Political self-check -----------------------------------------------------------------------

# (key, the question, the yes/no problem it asks about)
CHECK_QUESTIONS = [
    (
        "political_stance",
        gettext_lazy("坚持党的领导、坚定政治立场情况"),
        gettext_lazy("是否存在政治立场不坚定、发表不当言论问题"),
    ),
    (
        "theory_study",
        gettext_lazy("学习贯彻党的创新理论情况"),
        gettext_lazy("是否存在理论学习不深入、不参加集体学习问题"),
    ),
    (
        "duty",
        gettext_lazy("履行政协委员职责情况"),
        gettext_lazy("是否存在履职不积极、无故缺席会议活动问题"),
    ),
    (
        "discipline",
        gettext_lazy("遵守法律法规和政协章程情况"),
        gettext_lazy("是否存在违法违纪或违反政协章程问题"),
    ),
    (
        "integrity",
        gettext_lazy("廉洁自律情况"),
        gettext_lazy("是否存在利用委员身份谋取私利问题"),
    ),
    (
        "conduct",
        gettext_lazy("社会公德、职业道德和家庭美德情况"),
        gettext_lazy("是否存在有损委员形象的言行问题"),
    ),
]
ANSWER_LIMIT = 2000


def clean_answers(answers, *, complete):
    """The answers as stored ({key: {"text", "problem"}}); on submit every item needs its
    self-check text and a yes/no."""
    errors = {}
    cleaned = {}
    for key, question, problem in CHECK_QUESTIONS:
        given = (answers or {}).get(key) or {}
        text = (given.get("text") or "").strip()
        flag = given.get("problem")
        if flag in ("yes", True):
            flag = True
        elif flag in ("no", False):
            flag = False
        else:
            flag = None
        if len(text) > ANSWER_LIMIT:
            errors[f"{key}_text"] = _("自查情况不能超过%(n)s字。") % {"n": ANSWER_LIMIT}
        if complete and not text:
            errors[f"{key}_text"] = _("请填写“%(q)s”的自查情况。") % {"q": question}
        if complete and flag is None:
            errors[f"{key}_problem"] = _("请选择“%(p)s”。") % {"p": problem}
        cleaned[key] = {"text": text, "problem": flag}
    if errors:
        raise ValidationError(errors)
    return cleaned


def check_save(*, actor, membership, year, answers, submit=False):
    """Save (and with ``submit``, submit) the member's self-check for ``year``; a submitted
    check is read-only."""
    _check_year(year)
    _require(actor, "performance.fill_check", PoliticalCheck(membership=membership))
    cleaned = clean_answers(answers, complete=submit)
    try:
        with transaction.atomic():
            check, made = PoliticalCheck.objects.select_for_update().get_or_create(
                membership=membership,
                year=year,
                defaults={"committee_id": membership.committee_id, "answers": cleaned},
            )
            if check.submitted_at is not None:
                raise ValidationError(_("本年度政治体检已提交,不能再修改。"))
            check.answers = cleaned
            fields = ["answers"]
            if submit:
                check.submitted_at = timezone.now()
                fields.append("submitted_at")
            check.save(update_fields=fields)
            audit_record(
                actor=actor,
                action=AuditAction.CREATE if made else AuditAction.UPDATE,
                obj=check,
                after={"year": year, "submitted": submit},
                note=_("提交政治体检") if submit else _("保存政治体检草稿"),
            )
    except IntegrityError:
        raise ValidationError(_("本年度政治体检正在由他人保存,请刷新后重试。")) from None
    return check


@transaction.atomic
def check_review(*, actor, check, note):
    locked = PoliticalCheck.objects.select_for_update().get(pk=check.pk)
    _require(actor, "performance.review_check", locked)
    if locked.submitted_at is None:
        raise ValidationError(_("该委员尚未提交政治体检,不能审阅。"))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("请填写审阅意见。")})
    if len(note) > 255:
        raise ValidationError({"note": _("审阅意见不能超过255字。")})
    before = {"review_note": locked.review_note}
    locked.review_note = note
    locked.reviewed_by = actor
    locked.save(update_fields=["review_note", "reviewed_by"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        before=before,
        after={"review_note": note},
        note=_("审阅政治体检"),
    )
    return locked
