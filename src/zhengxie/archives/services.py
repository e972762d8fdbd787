"""Every write of the archives app: one keyword-only function per use case, atomic,
permission-checked, leaving history, audit and duty-ledger rows."""

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.archives.models import (
    EDITABLE_MATERIAL_STATES,
    Campaign,
    CampaignState,
    Chapter,
    ChapterMaterial,
    EditorRole,
    Material,
    MaterialKind,
    MaterialState,
    Periodical,
    PeriodicalIssue,
    Volume,
    VolumeEditor,
    VolumeState,
)
from zhengxie.archives.workflow import CAMPAIGN_WORKFLOW, MATERIAL_WORKFLOW, VOLUME_WORKFLOW
from zhengxie.core.accounts import role_holders
from zhengxie.core.attachments import attachment_create, check_upload
from zhengxie.core.audit import audit_change, audit_record, snapshot
from zhengxie.core.ledger import record_duty
from zhengxie.core.models import AuditAction, Role, RoleAssignment, User
from zhengxie.core.notifications import notify
from zhengxie.organisation.models import Membership, SpecialCommittee
from zhengxie.organisation.queries import own_seat

MAX_IMAGES = 100_000
MAX_WORDS = 10_000_000
MAX_MINUTES = 10_000
MAX_FILES = 20
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
ALNUM_WORD = re.compile(r"[A-Za-z0-9]+")
ISBN = re.compile(r"^(97[89][- ]?)?[0-9][0-9 -]{7,15}[0-9Xx]$")
CAMPAIGN_FIELDS = ("theme", "call_text", "opens_on", "deadline", "special_committee")
MATERIAL_FIELDS = (
    "campaign",
    "title",
    "kind",
    "text",
    "word_count",
    "image_count",
    "duration_minutes",
    "received_on",
    "membership",
    "contributor_name",
    "contributor_phone",
    "contributor_affiliation",
    "rights_holder",
    "consent_given",
    "consent_terms",
)
CONTRIBUTOR_FIELDS = (
    "membership",
    "contributor_name",
    "contributor_phone",
    "contributor_affiliation",
)
VOLUME_FIELDS = ("title", "series", "number", "campaign", "isbn")


def count_words(text: str) -> int:
    """字数 of a text as editors count it: each Chinese character, plus each run of Latin
    letters or digits as one word (punctuation and spaces do not count)."""
    text = text or ""
    return len(CJK.findall(text)) + len(ALNUM_WORD.findall(text))


def _require(actor, permission, obj=None, message=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(message or _("您没有执行此操作的权限。"))


def _today():
    return timezone.localdate()


def _text(data, name, limit, errors, label=None, required=False):
    value = (data.get(name) or "").strip()
    if required and not value:
        errors[name] = _("请填写%(f)s。") % {"f": label}
    elif len(value) > limit:
        errors[name] = _("不能超过%(n)s个字。") % {"n": limit}
    return value


def _int(data, name, errors, *, message, upper, default=0, lower=0):
    value = data.get(name)
    if value in (None, ""):
        return default
    try:
        value = int(value)
    except (TypeError, ValueError):
        errors[name] = _("请填写整数。")
        return default
    if value < lower:
        errors[name] = message
    elif value > upper:
        errors[name] = _("数值过大,请核对。")
    return value


def _staff_users(committee):
    return role_holders(role=Role.STAFF, committee=committee)


def _tell(users, obj, title, body, url):
    committee = obj.committee
    transaction.on_commit(
        lambda: notify(
            recipients=users, title=title, body=body, url=url, kind="archives", committee=committee
        )
    )


def _user_of(membership):
    return membership.person.user if membership is not None and membership.person.user_id else None


# Campaigns (征集活动) -----------------------------------------------------------------------


def _clean_campaign(committee, data, campaign=None):
    errors = {}
    cleaned = {
        "theme": _text(data, "theme", 128, errors, _("征集主题"), required=True),
        "call_text": _text(data, "call_text", 10000, errors, _("征集启事"), required=True),
        "opens_on": data.get("opens_on"),
        "deadline": data.get("deadline"),
        "special_committee": data.get("special_committee"),
    }
    if "theme" not in errors and (
        Campaign.objects.filter(committee=committee, theme=cleaned["theme"])
        .exclude(pk=campaign.pk if campaign else None)
        .exists()
    ):
        errors["theme"] = _("已有同一主题的征集活动。")
    if not isinstance(cleaned["opens_on"], datetime.date):
        errors["opens_on"] = _("请填写开始日期。")
    if not isinstance(cleaned["deadline"], datetime.date):
        errors["deadline"] = _("请填写截止日期。")
    elif "opens_on" not in errors and cleaned["deadline"] < cleaned["opens_on"]:
        errors["deadline"] = _("截止日期不能早于开始日期。")
    sc = cleaned["special_committee"]
    if sc is not None and (not isinstance(sc, SpecialCommittee) or sc.committee_id != committee.pk):
        errors["special_committee"] = _("请选择本会的专门委员会。")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def campaign_create(*, actor, committee, data: dict) -> Campaign:
    _require(actor, "archives.manage")
    cleaned = _clean_campaign(committee, data)
    campaign = Campaign.objects.create(committee=committee, created_by=actor, **cleaned)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=campaign, after=snapshot(campaign))
    return campaign


@transaction.atomic
def campaign_update(*, actor, campaign, data: dict) -> Campaign:
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    _require(actor, "archives.manage", locked)
    cleaned = _clean_campaign(locked.committee, data, campaign=locked)
    before = snapshot(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(cleaned))
    audit_change(actor=actor, obj=locked, before=before)
    return locked


def campaign_act(*, actor, campaign, action: str, note: str = "", deadline=None) -> Campaign:
    """Close a campaign (at any time, also after its deadline: nothing closes it by itself) or
    reopen it, with a new deadline when the old one has passed."""
    note = (note or "").strip()
    updates = {}
    if action == "reopen" and deadline is not None:
        updates["deadline"] = deadline

    def check(locked):
        if action != "reopen":
            return
        new_deadline = deadline or locked.deadline
        if new_deadline < _today():
            raise ValidationError({"deadline": _("截止日期已过,重新开放请填写新的截止日期。")})
        if new_deadline < locked.opens_on:
            raise ValidationError({"deadline": _("截止日期不能早于开始日期。")})

    data = {"deadline": deadline.isoformat()} if "deadline" in updates else {}
    return CAMPAIGN_WORKFLOW.apply(
        obj=campaign,
        action=action,
        actor=actor,
        note=note,
        data=data,
        updates=updates,
        check=check,
    )


# Materials (史料) ---------------------------------------------------------------------------


def _clean_contributor(committee, data, errors):
    membership = data.get("membership")
    name = _text(data, "contributor_name", 64, errors)
    phone = _text(data, "contributor_phone", 32, errors)
    affiliation = _text(data, "contributor_affiliation", 128, errors)
    if membership is not None and (
        not isinstance(membership, Membership) or membership.committee_id != committee.pk
    ):
        errors["membership"] = _("请选择本会的委员。")
    elif membership is not None and (name or phone or affiliation):
        errors["membership"] = _(
            "提供人只能是本会委员或会外人士之一:选择了委员就不要再填写会外提供人。"
        )
    elif membership is None and not name:
        errors["membership"] = _("请选择提供资料的委员,或填写会外提供人的姓名(二者选一)。")
    if phone and not re.fullmatch(r"[0-9+\- ]{5,32}", phone):
        errors["contributor_phone"] = _("联系电话只能包含数字、空格、“+”和“-”。")
    return {
        "membership": membership,
        "contributor_name": name,
        "contributor_phone": phone,
        "contributor_affiliation": affiliation,
    }


def _clean_counts(data, kind, text, errors):
    if text:
        words = count_words(text)
    else:
        words = _int(data, "word_count", errors, message=_("字数不能为负数。"), upper=MAX_WORDS)
    images = _int(data, "image_count", errors, message=_("图片数不能为负数。"), upper=MAX_IMAGES)
    minutes = _int(
        data,
        "duration_minutes",
        errors,
        message=_("录音时长不能为负数。"),
        upper=MAX_MINUTES,
        default=None,
    )
    if kind == MaterialKind.TEXT and not errors.get("word_count") and not words:
        errors["word_count"] = _("文字稿请填写文字内容或字数。")
    batch = kind in (MaterialKind.PHOTOS, MaterialKind.SCANS)
    if batch and not errors.get("image_count") and not images:
        errors["image_count"] = _("照片和扫描件请填写图片数量。")
    if kind == MaterialKind.ORAL and not errors.get("duration_minutes") and not minutes:
        errors["duration_minutes"] = _("口述史录音请填写录音时长(分钟)。")
    return words, images, minutes or None


def campaign_collecting(campaign):
    """Members may submit to a campaign that is open and within its dates."""
    return campaign.state == CampaignState.OPEN and (
        campaign.opens_on <= _today() <= campaign.deadline
    )


def _clean_material(committee, data, *, staff, material=None):
    """The material's fields from ``data``; ``staff`` may name any contributor and the day
    received, a member contributes as themself (kept from ``material`` when editing)."""
    errors = {}
    kind = data.get("kind") or ""
    if kind not in MaterialKind.values:
        errors["kind"] = _("请选择有效的类型。")
    text = (data.get("text") or "").strip()
    words, images, minutes = _clean_counts(data, kind, text, errors)
    cleaned = {
        "title": _text(data, "title", 200, errors, _("标题"), required=True),
        "kind": kind,
        "text": text,
        "word_count": words,
        "image_count": images,
        "duration_minutes": minutes,
        "rights_holder": _text(data, "rights_holder", 128, errors),
        "consent_given": bool(data.get("consent_given")),
        "consent_terms": _text(data, "consent_terms", 2000, errors),
    }
    campaign = data.get("campaign")
    if isinstance(campaign, Campaign):
        # Read afresh: the campaign may have closed since the form was shown.
        campaign = Campaign.objects.filter(pk=campaign.pk, committee=committee).first()
        if campaign is None:
            errors["campaign"] = _("请选择本会的征集活动。")
    if campaign is not None:
        already_in = material is not None and material.campaign_id == campaign.pk
        if not isinstance(campaign, Campaign):
            errors["campaign"] = _("请选择本会的征集活动。")
        elif not staff and not already_in and not campaign_collecting(campaign):
            errors["campaign"] = _("该征集活动不在征集期内,不能再提交。")
    cleaned["campaign"] = campaign
    if staff:
        cleaned.update(_clean_contributor(committee, data, errors))
        received_on = data.get("received_on")
        if not isinstance(received_on, datetime.date):
            errors["received_on"] = _("请填写收到日期。")
        elif received_on > _today():
            errors["received_on"] = _("收到日期不能晚于今天。")
        cleaned["received_on"] = received_on
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_uploads(committee, uploads):
    uploads = [u for u in uploads or () if u]
    if len(uploads) > MAX_FILES:
        raise ValidationError({"files": _("一次最多上传%(n)s个文件。") % {"n": MAX_FILES}})
    return uploads


def _attach(actor, material, uploads, consent_upload=None):
    for upload in uploads:
        try:
            attachment_create(
                committee=material.committee, upload=upload, actor=actor, target=material
            )
        except ValidationError as exc:
            raise ValidationError({"files": exc.messages}) from None
    if consent_upload:
        try:
            consent = attachment_create(
                committee=material.committee, upload=consent_upload, actor=actor, target=material
            )
        except ValidationError as exc:
            raise ValidationError({"consent_file": exc.messages}) from None
        material.consent_attachment = consent
        material.save(update_fields=["consent_attachment"])


@transaction.atomic
def material_submit(*, actor, committee, data: dict, uploads=(), consent_upload=None) -> Material:
    """A material comes in: staff register it for any contributor (a member or an outsider); a
    member submits their own (contributor: their seat, received today). Files are photos,
    scans or documents (``core.attachments`` decides which kinds)."""
    staff = actor.has_perm("archives.manage")
    seat = None
    if not staff:
        _require(actor, "archives.submit", message=_("只有委员和工作人员可以提交文史资料。"))
        seat = own_seat(actor, committee)
        if seat is None:
            raise PermissionDenied(_("您不是本会在任委员,不能提交文史资料。"))
    cleaned = _clean_material(committee, data, staff=staff)
    if seat is not None:
        cleaned.update(
            membership=seat,
            contributor_name="",
            contributor_phone="",
            contributor_affiliation="",
            received_on=_today(),
        )
    uploads = _check_uploads(committee, uploads)
    material = Material.objects.create(committee=committee, submitted_by=actor, **cleaned)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=material, after=snapshot(material))
    MATERIAL_WORKFLOW.note(obj=material, action="submit", actor=actor)
    _attach(actor, material, uploads, consent_upload)
    if not staff:
        _tell(
            _staff_users(committee),
            material,
            _("委员提交了文史资料:%(t)s") % {"t": material.title},
            _("%(n)s提交,请审核。") % {"n": material.membership.person.name},
            reverse("archives:material_detail", args=[material.pk]),
        )
    return material


@transaction.atomic
def material_update(*, actor, material, data: dict, uploads=(), consent_upload=None) -> Material:
    """Correct a material while it waits or after it was returned (staff, or its member)."""
    locked = (
        Material.objects.select_for_update(of=("self",))
        .select_related("membership__person")
        .get(pk=material.pk)
    )
    _require(actor, "archives.view_material", locked)
    if locked.state not in EDITABLE_MATERIAL_STATES:
        raise ValidationError(_("已采用的史料不能再修改。"))
    _require(actor, "archives.edit_material", locked)
    staff = actor.has_perm("archives.manage")
    cleaned = _clean_material(locked.committee, data, staff=staff, material=locked)
    uploads = _check_uploads(locked.committee, uploads)
    before = snapshot(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(cleaned))
    audit_change(actor=actor, obj=locked, before=before)
    MATERIAL_WORKFLOW.note(obj=locked, action="edit", actor=actor)
    _attach(actor, locked, uploads, consent_upload)
    return locked


@transaction.atomic
def material_attach(*, actor, material, uploads=(), consent_upload=None) -> Material:
    """More files for a material (a scanned batch often comes in several parts)."""
    locked = Material.objects.select_for_update().get(pk=material.pk)
    _require(actor, "archives.attach", locked)
    if not actor.has_perm("archives.manage") and locked.state not in EDITABLE_MATERIAL_STATES:
        raise ValidationError(_("已采用的史料不能再修改。"))
    uploads = _check_uploads(locked.committee, uploads)
    if not uploads and not consent_upload:
        raise ValidationError({"files": _("请选择要上传的文件。")})
    _attach(actor, locked, uploads, consent_upload)
    return locked


def material_act(*, actor, material, action: str, note: str = "") -> Material:
    """Accept (采用), return (退回, with the reason) or resubmit a material. Accepting a
    member's material writes one ledger row 提供文史资料 — once, whatever happens later."""
    note = (note or "").strip()

    def check(locked):
        if action == "return" and not note:
            raise ValidationError({"note": _("请填写退回原因。")})

    updates = {}
    if action == "return":
        updates["return_reason"] = note
    elif action == "resubmit":
        updates["return_reason"] = ""
    with transaction.atomic():
        locked = MATERIAL_WORKFLOW.apply(
            obj=material, action=action, actor=actor, note=note, updates=updates, check=check
        )
        locked = Material.objects.select_related("membership__person__user", "submitted_by").get(
            pk=locked.pk
        )
        if action == "accept" and locked.membership_id and locked.contributed_record_id is None:
            locked.contributed_record = record_duty(
                membership=locked.membership,
                kind="archive",
                sub_kind="contributed",
                occurred_on=locked.received_on,
                source=locked,
                title=_("提供文史资料:%(t)s") % {"t": locked.title},
                actor=actor,
            )
            locked.save(update_fields=["contributed_record"])
        if action in ("accept", "return"):
            recipients = {_user_of(locked.membership), locked.submitted_by} - {None, actor}
            title = (
                _("您提供的文史资料已采用:%(t)s")
                if action == "accept"
                else _("您提供的文史资料被退回:%(t)s")
            ) % {"t": locked.title}
            _tell(
                list(recipients),
                locked,
                title,
                note,
                reverse("archives:material_detail", args=[locked.pk]),
            )
        return locked


# Volumes (书目) -----------------------------------------------------------------------------


def _is_staff_user(committee, user):
    return (
        RoleAssignment.objects.current()
        .filter(user=user, committee=committee, role__in=[Role.STAFF, Role.ADMIN])
        .exists()
    )


def _clean_editor(committee, person, field, errors):
    if isinstance(person, Membership):
        if person.committee_id != committee.pk:
            errors[field] = _("请选择本会的委员或工作人员。")
        return person
    if isinstance(person, User):
        if not _is_staff_user(committee, person):
            errors[field] = _("%(n)s不是本会工作人员。") % {
                "n": person.display_name or person.username
            }
        return person
    errors[field] = _("请选择本会的委员或工作人员。")
    return None


def _editor_key(person):
    return ("m" if isinstance(person, Membership) else "u", person.pk)


def _clean_volume(committee, data):
    errors = {}
    cleaned = {
        "title": _text(data, "title", 200, errors, _("书名"), required=True),
        "series": _text(data, "series", 128, errors),
        "number": _text(data, "number", 32, errors),
        "campaign": data.get("campaign"),
        "isbn": _text(data, "isbn", 32, errors),
    }
    campaign = cleaned["campaign"]
    if campaign is not None and (
        not isinstance(campaign, Campaign) or campaign.committee_id != committee.pk
    ):
        errors["campaign"] = _("请选择本会的征集活动。")
    if cleaned["isbn"] and not ISBN.match(cleaned["isbn"]):
        errors["isbn"] = _("ISBN 格式不正确,如 978-7-5034-1234-5。")
    chief = data.get("chief_editor")
    if chief is not None:
        chief = _clean_editor(committee, chief, "chief_editor", errors)
    editors, seen = [], {_editor_key(chief)} if chief is not None else set()
    for person in data.get("editors") or ():
        person = _clean_editor(committee, person, "editors", errors)
        if person is not None and _editor_key(person) not in seen:
            seen.add(_editor_key(person))
            editors.append(person)
    if errors:
        raise ValidationError(errors)
    return cleaned, chief, editors


def _set_editors(volume, chief, editors):
    VolumeEditor.objects.filter(volume=volume).delete()
    rows = [(EditorRole.CHIEF, chief)] if chief is not None else []
    rows += [(EditorRole.EDITOR, person) for person in editors]
    VolumeEditor.objects.bulk_create(
        VolumeEditor(
            committee=volume.committee,
            volume=volume,
            role=role,
            membership=person if isinstance(person, Membership) else None,
            user=person if isinstance(person, User) else None,
        )
        for role, person in rows
    )
    return [_editor_key(p) for _r, p in rows]


@transaction.atomic
def volume_create(*, actor, committee, data: dict) -> Volume:
    """A new volume, collecting materials; ``data`` may name its chief editor and editors
    (members of the committee or staff users)."""
    _require(actor, "archives.manage")
    cleaned, chief, editors = _clean_volume(committee, data)
    volume = Volume.objects.create(committee=committee, created_by=actor, **cleaned)
    after = snapshot(volume)
    after["editors"] = _set_editors(volume, chief, editors)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=volume, after=after)
    return volume


@transaction.atomic
def volume_update(*, actor, volume, data: dict) -> Volume:
    locked = Volume.objects.select_for_update().get(pk=volume.pk)
    _require(actor, "archives.manage", locked)
    if locked.state == VolumeState.PUBLISHED:
        raise ValidationError(_("已出版的书目不能再修改。"))
    cleaned, chief, editors = _clean_volume(locked.committee, data)
    before = snapshot(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(cleaned))
    audit_change(actor=actor, obj=locked, before=before)
    keys = _set_editors(locked, chief, editors)
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        after={"editors": keys},
        note=_("编辑人员"),
    )
    return locked


def _placed_materials(volume):
    return Material.objects.filter(placement__chapter__volume=volume).select_related(
        "membership__person__user"
    )


def volume_act(
    *, actor, volume, action: str, note: str = "", published_on=None, print_run=None, isbn=None
) -> Volume:
    """Move a volume on: start editing, send it back to collecting, or publish it (date not in
    the future, a print run, at least one chapter with material). Publishing writes one
    ledger row 文史资料入编 for each member's material in it — once per material."""
    note = (note or "").strip()
    updates = {}
    if action == "publish":
        updates = {"published_on": published_on, "print_run": print_run}
        if isbn is not None:
            updates["isbn"] = isbn.strip()

    def check(locked):
        if action != "publish":
            return
        errors = {}
        if not isinstance(published_on, datetime.date):
            errors["published_on"] = _("请填写出版日期。")
        elif published_on > _today():
            errors["published_on"] = _("出版日期不能晚于今天。")
        if not isinstance(print_run, int) or print_run <= 0:
            errors["print_run"] = _("请填写印数(大于0的整数)。")
        if isbn and not ISBN.match(isbn.strip()):
            errors["isbn"] = _("ISBN 格式不正确,如 978-7-5034-1234-5。")
        if errors:
            raise ValidationError(errors)
        materials = list(_placed_materials(locked))
        if not materials:
            raise ValidationError(_("书目至少要有一个编入史料的章节才能出版。"))
        lacking = [m.title for m in materials if not m.consent_given]
        if lacking:
            raise ValidationError(
                _("以下史料未取得授权,不能出版:%(t)s") % {"t": "、".join(lacking)}
            )

    with transaction.atomic():
        locked = VOLUME_WORKFLOW.apply(
            obj=volume,
            action=action,
            actor=actor,
            note=note,
            data={"print_run": print_run} if action == "publish" else {},
            updates=updates,
            check=check,
        )
        if action == "publish":
            _credit_publication(actor, locked)
        return locked


def _credit_publication(actor, volume):
    recipients = []
    for material in (
        _placed_materials(volume)
        .filter(membership__isnull=False, published_record__isnull=True)
        .order_by("pk")
    ):
        material.published_record = record_duty(
            membership=material.membership,
            kind="archive",
            sub_kind="published",
            occurred_on=volume.published_on,
            source=material,
            title=_("文史资料入编%(v)s:%(t)s") % {"v": volume, "t": material.title},
            actor=actor,
        )
        material.save(update_fields=["published_record"])
        recipients.append(_user_of(material.membership))
    _tell(
        [u for u in recipients if u is not None],
        volume,
        _("您提供的文史资料已编入%(v)s出版") % {"v": volume},
        "",
        reverse("archives:my_materials"),
    )


def _lock_volume_for_editing(actor, volume):
    locked = Volume.objects.select_for_update().get(pk=volume.pk)
    _require(actor, "archives.manage", locked)
    if locked.state == VolumeState.PUBLISHED:
        raise ValidationError(_("已出版的书目不能再调整章节。"))
    return locked


@transaction.atomic
def chapter_add(*, actor, volume, title: str) -> Chapter:
    locked = _lock_volume_for_editing(actor, volume)
    errors = {}
    title = _text({"title": title}, "title", 200, errors, _("章节标题"), required=True)
    if errors:
        raise ValidationError(errors)
    last = Chapter.objects.filter(volume=locked).aggregate(n=Max("position"))["n"] or 0
    chapter = Chapter.objects.create(
        committee=locked.committee, volume=locked, position=last + 1, title=title
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=chapter, after=snapshot(chapter))
    return chapter


@transaction.atomic
def chapter_update(*, actor, chapter, title: str) -> Chapter:
    _lock_volume_for_editing(actor, chapter.volume)
    locked = Chapter.objects.select_for_update().get(pk=chapter.pk)
    errors = {}
    title = _text({"title": title}, "title", 200, errors, _("章节标题"), required=True)
    if errors:
        raise ValidationError(errors)
    before = snapshot(locked)
    locked.title = title
    locked.save(update_fields=["title"])
    audit_change(actor=actor, obj=locked, before=before)
    return locked


@transaction.atomic
def chapter_delete(*, actor, chapter):
    """Remove a chapter; its materials are free to be placed again."""
    volume = _lock_volume_for_editing(actor, chapter.volume)
    locked = Chapter.objects.select_for_update().get(pk=chapter.pk)
    before = snapshot(locked)
    before["materials"] = list(locked.entries.values_list("material_id", flat=True))
    locked.entries.all().delete()
    locked.delete()
    _renumber(Chapter.objects.filter(volume=volume))
    audit_record(actor=actor, action=AuditAction.DELETE, obj=volume, before=before)


def _write_positions(rows):
    """Positions 1..n in the given order, in two passes so that the unique constraint on
    (volume, position) holds at every step."""
    top = max((r.position for r in rows), default=0)
    for offset in (top, 0):
        for i, row in enumerate(rows, start=1):
            row.position = offset + i
            row.save(update_fields=["position"])


def _renumber(queryset):
    _write_positions(list(queryset.order_by("position", "pk")))


def _move(queryset, obj, direction):
    if direction not in ("up", "down"):
        return False
    rows = list(queryset.order_by("position", "pk"))
    index = next(i for i, r in enumerate(rows) if r.pk == obj.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return False
    rows[index], rows[other] = rows[other], rows[index]
    _write_positions(rows)
    return True


@transaction.atomic
def chapter_move(*, actor, chapter, direction: str) -> bool:
    volume = _lock_volume_for_editing(actor, chapter.volume)
    return _move(Chapter.objects.filter(volume=volume), chapter, direction)


@transaction.atomic
def chapter_place(*, actor, chapter, materials) -> list[ChapterMaterial]:
    """Place accepted, consented materials at the end of a chapter. A material is in at most
    one volume: its row is locked while this is checked."""
    volume = _lock_volume_for_editing(actor, chapter.volume)
    chapter = Chapter.objects.select_for_update().get(pk=chapter.pk, volume=volume)
    materials = list(dict.fromkeys(materials))
    if not materials:
        raise ValidationError({"materials": _("请选择要编入的史料。")})
    position = chapter.entries.aggregate(n=Max("position"))["n"] or 0
    entries = []
    for material in materials:
        locked = (
            Material.objects.select_for_update()
            .filter(pk=material.pk, committee=volume.committee)
            .first()
        )
        if locked is None:
            raise ValidationError({"materials": _("请选择本会的史料。")})
        if locked.state != MaterialState.ACCEPTED:
            raise ValidationError(
                {"materials": _("“%(t)s”尚未采用,不能编入书目。") % {"t": locked.title}}
            )
        if not locked.consent_given:
            raise ValidationError(
                {"materials": _("“%(t)s”未取得权利人授权,不能编入书目。") % {"t": locked.title}}
            )
        placed = (
            ChapterMaterial.objects.filter(material=locked)
            .select_related("chapter__volume")
            .first()
        )
        if placed is not None:
            raise ValidationError(
                {
                    "materials": _("“%(t)s”已编入%(v)s,一份史料只能编入一本书目。")
                    % {"t": locked.title, "v": placed.chapter.volume}
                }
            )
        position += 1
        entries.append(
            ChapterMaterial.objects.create(
                committee=volume.committee, chapter=chapter, material=locked, position=position
            )
        )
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=volume,
        after={"chapter": chapter.pk, "placed": [e.material_id for e in entries]},
        note=_("编入史料"),
    )
    return entries


@transaction.atomic
def entry_remove(*, actor, entry):
    chapter = entry.chapter
    volume = _lock_volume_for_editing(actor, chapter.volume)
    ChapterMaterial.objects.filter(pk=entry.pk).delete()
    _renumber(ChapterMaterial.objects.filter(chapter=chapter))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=volume,
        before={"chapter": chapter.pk, "placed": [entry.material_id]},
        note=_("移出史料"),
    )


@transaction.atomic
def entry_move(*, actor, entry, direction: str) -> bool:
    _lock_volume_for_editing(actor, entry.chapter.volume)
    return _move(ChapterMaterial.objects.filter(chapter=entry.chapter_id), entry, direction)


# The periodical (刊物) ----------------------------------------------------------------------


@transaction.atomic
def periodical_create(*, actor, committee, name: str, description: str = "") -> Periodical:
    _require(actor, "archives.manage")
    errors = {}
    data = {"name": name, "description": description}
    name = _text(data, "name", 64, errors, _("刊名"), required=True).strip("《》")
    description = _text(data, "description", 255, errors)
    if not errors.get("name") and not name:
        errors["name"] = _("请填写刊名。")
    elif Periodical.objects.filter(committee=committee, name=name).exists():
        errors["name"] = _("已有同名的刊物。")
    if errors:
        raise ValidationError(errors)
    periodical = Periodical.objects.create(committee=committee, name=name, description=description)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=periodical, after=snapshot(periodical))
    return periodical


def _clean_issue(data):
    errors = {}
    cleaned = {
        "title": _text(data, "title", 200, errors),
        "published_on": data.get("published_on"),
        "copies": _int(data, "copies", errors, message=_("印数不能为负数。"), upper=10_000_000),
    }
    published_on = cleaned["published_on"]
    if published_on is not None and not isinstance(published_on, datetime.date):
        errors["published_on"] = _("日期格式不正确。")
    elif published_on is not None and published_on > _today():
        errors["published_on"] = _("出刊日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_pdf(committee, upload):
    if not upload:
        return
    try:
        kind = check_upload(committee=committee, upload=upload)
    except ValidationError as exc:
        raise ValidationError({"contents": exc.messages}) from None
    if kind != "pdf":
        raise ValidationError({"contents": _("本期内容请上传 PDF 文件。")})


def _store_contents(actor, issue, upload):
    if upload:
        issue.contents = attachment_create(
            committee=issue.committee, upload=upload, actor=actor, target=issue
        )
        issue.save(update_fields=["contents"])


@transaction.atomic
def issue_create(*, actor, periodical, data: dict, upload=None) -> PeriodicalIssue:
    """A new issue, numbered next in its year (default: the year published, else this year).
    Two staff adding issues at once get different numbers: the periodical row is locked while
    the number is taken."""
    locked = Periodical.objects.select_for_update().get(pk=periodical.pk)
    _require(actor, "archives.manage", locked)
    cleaned = _clean_issue(data)
    year = data.get("year") or (cleaned["published_on"] or _today()).year
    try:
        year = int(year)
    except (TypeError, ValueError):
        year = 0
    if not 1949 <= year <= 2100:
        raise ValidationError({"year": _("年度超出范围。")})
    _check_pdf(locked.committee, upload)
    last = PeriodicalIssue.objects.filter(periodical=locked, year=year).aggregate(n=Max("number"))[
        "n"
    ]
    issue = PeriodicalIssue.objects.create(
        committee=locked.committee,
        periodical=locked,
        year=year,
        number=(last or 0) + 1,
        created_by=actor,
        **cleaned,
    )
    _store_contents(actor, issue, upload)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=issue, after=snapshot(issue))
    return issue


@transaction.atomic
def issue_update(*, actor, issue, data: dict, upload=None) -> PeriodicalIssue:
    locked = PeriodicalIssue.objects.select_for_update().get(pk=issue.pk)
    _require(actor, "archives.manage", locked)
    cleaned = _clean_issue(data)
    _check_pdf(locked.committee, upload)
    before = snapshot(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(cleaned))
    _store_contents(actor, locked, upload)
    audit_change(actor=actor, obj=locked, before=before)
    return locked
