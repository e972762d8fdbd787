"""Every write of the portal app: one keyword-only function per use case, atomic,
permission-checked, leaving history and audit rows."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core.accounts import role_holders
from zhengxie.core.attachments import attachment_create, check_upload
from zhengxie.core.audit import audit_change, audit_record, snapshot
from zhengxie.core.models import AuditAction, Role
from zhengxie.core.notifications import notify
from zhengxie.organisation.models import MembershipStatus
from zhengxie.portal.models import (
    CommitteeProfile,
    MediaLevel,
    MediaReport,
    NewsCategory,
    NewsImage,
    NewsItem,
    NewsState,
    PublicProfile,
)
from zhengxie.portal.workflow import NEWS_WORKFLOW, REASON_ACTIONS, REVIEW_ACTIONS

NEWS_FIELDS = ("title", "summary", "body", "category")
MAX_BODY = 20000
MAX_IMAGES = 12
IMAGE_KINDS = ("jpg", "png")
PROFILE_FIELDS = ("introduction", "address", "phone", "email", "office_hours")
PUBLIC_FIELDS = ("show_photo", "show_sector", "show_employer", "bio", "show_bio")
MAX_BIO = 300
MEDIA_FIELDS = ("outlet", "level", "published_on", "title", "link", "note")


def _require(actor, permission, obj=None, message=None):
    if not actor.has_perm(permission, obj):
        raise PermissionDenied(message or _("您没有执行此操作的权限。"))


def _text(data, name):
    return (data.get(name) or "").strip()


def _limit(errors, cleaned, limits):
    for name, limit in limits.items():
        if name not in errors and len(cleaned[name]) > limit:
            errors[name] = _("不能超过%(n)s个字。") % {"n": limit}


# News (新闻发布) ---------------------------------------------------------------------------


def _clean_news(data):
    cleaned = {name: _text(data, name) for name in NEWS_FIELDS}
    errors = {}
    if not cleaned["title"]:
        errors["title"] = _("请填写标题。")
    if not cleaned["body"]:
        errors["body"] = _("请填写正文。")
    if cleaned["category"] not in NewsCategory.values:
        errors["category"] = _("请选择有效的栏目。")
    _limit(errors, cleaned, {"title": 120, "summary": 300, "body": MAX_BODY})
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_draft(news):
    if news.state != NewsState.DRAFT:
        raise ValidationError(_("只有草稿可以修改;待审核的新闻请等待审核结果,已发布的请先撤回。"))


@transaction.atomic
def news_create(*, actor, committee, data: dict):
    """A draft written by ``actor`` (its author)."""
    _require(actor, "portal.edit_news")
    cleaned = _clean_news(data)
    news = NewsItem.objects.create(committee=committee, author=actor, **cleaned)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=news, after=snapshot(news))
    return news


@transaction.atomic
def news_update(*, actor, news, data: dict):
    locked = NewsItem.objects.select_for_update().get(pk=news.pk)
    _require(actor, "portal.edit_news", locked)
    _check_draft(locked)
    cleaned = _clean_news(data)
    before = snapshot(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save(update_fields=[*cleaned, "updated"])
    audit_change(actor=actor, obj=locked, before=before)
    return locked


def news_act(*, actor, news, action: str, note: str = ""):
    """Submit, approve, return (with a reason), withdraw (with a reason) or revise a news item.
    Raises InvalidTransition when someone else acted first (e.g. two reviewers at once)."""
    note = (note or "").strip()
    if action in REVIEW_ACTIONS and news.author_id == actor.pk:
        raise PermissionDenied(_("不能审核自己撰写的新闻,请由其他工作人员审核。"))
    if action in REASON_ACTIONS and not note:
        message = _("请填写退回原因。") if action == "return" else _("请填写撤回原因。")
        raise ValidationError({"note": message})
    if len(note) > 500:
        raise ValidationError({"note": _("说明不能超过500个字。")})
    now = timezone.now()
    updates = {}

    def check(locked):
        if action == "submit" and not locked.body.strip():
            raise ValidationError(_("正文为空,不能提交审核。"))
        if action == "approve":
            # Read on the locked row: the first publication is kept through later withdrawals.
            updates["published_at"] = now
            updates["first_published_at"] = locked.first_published_at or now

    return NEWS_WORKFLOW.apply(
        obj=news,
        action=action,
        actor=actor,
        note=note,
        updates=updates,
        check=check,
        on_commit=lambda item: _tell(item, action, actor, note),
    )


def _tell(news, action, actor, note):
    url = reverse("portal:news_detail", args=[news.pk])
    if action == "submit":
        recipients = [
            u
            for role in (Role.STAFF, Role.ADMIN)
            for u in role_holders(role=role, committee=news.committee)
            if u.pk != news.author_id
        ]
        title = _("新闻稿待审核:%(t)s") % {"t": news.title}
    elif action in ("approve", "return", "withdraw") and news.author_id != actor.pk:
        recipients = [news.author]
        title = {
            "approve": _("您的新闻稿已审核发布:%(t)s"),
            "return": _("您的新闻稿被退回修改:%(t)s"),
            "withdraw": _("您的新闻已从门户撤回:%(t)s"),
        }[action] % {"t": news.title}
    else:
        return
    notify(
        recipients=recipients,
        title=title,
        body=note,
        url=url,
        kind="portal",
        committee=news.committee,
    )


@transaction.atomic
def news_image_add(*, actor, news, upload, caption: str, is_cover: bool = False):
    """An image (JPEG or PNG, checked by content) on a draft; ``caption`` is its alt text."""
    locked = NewsItem.objects.select_for_update().get(pk=news.pk)
    _require(actor, "portal.edit_news", locked)
    _check_draft(locked)
    caption = (caption or "").strip()
    if not caption:
        raise ValidationError({"caption": _("请填写图片说明(供读屏软件朗读)。")})
    if len(caption) > 120:
        raise ValidationError({"caption": _("图片说明不能超过120个字。")})
    if upload is None:
        raise ValidationError({"image": _("请选择图片。")})
    try:
        kind = check_upload(committee=locked.committee, upload=upload)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from exc
    if kind not in IMAGE_KINDS:
        raise ValidationError({"image": _("只能上传 JPEG 或 PNG 图片。")})
    images = NewsImage.objects.filter(news=locked)
    if images.count() >= MAX_IMAGES:
        raise ValidationError({"image": _("每条新闻最多%(n)s张图片。") % {"n": MAX_IMAGES}})
    is_cover = is_cover or not images.exists()
    if is_cover:
        images.filter(is_cover=True).update(is_cover=False)
    attachment = attachment_create(
        committee=locked.committee, upload=upload, actor=actor, target=locked
    )
    image = NewsImage.objects.create(
        committee=locked.committee,
        news=locked,
        attachment=attachment,
        caption=caption,
        is_cover=is_cover,
        position=(images.aggregate(m=Max("position"))["m"] or 0) + 1,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=image, after=snapshot(image))
    return image


@transaction.atomic
def news_image_remove(*, actor, image):
    locked = NewsItem.objects.select_for_update().get(pk=image.news_id)
    _require(actor, "portal.edit_news", locked)
    _check_draft(locked)
    before = snapshot(image)
    was_cover = image.is_cover
    image.delete()
    audit_record(actor=actor, action=AuditAction.DELETE, obj=locked, before=before)
    if was_cover:
        first = NewsImage.objects.filter(news=locked).order_by("position", "pk").first()
        if first is not None:
            first.is_cover = True
            first.save(update_fields=["is_cover"])


@transaction.atomic
def news_image_set_cover(*, actor, image):
    locked = NewsItem.objects.select_for_update().get(pk=image.news_id)
    _require(actor, "portal.edit_news", locked)
    _check_draft(locked)
    NewsImage.objects.filter(news=locked, is_cover=True).exclude(pk=image.pk).update(is_cover=False)
    before = snapshot(image)
    image.is_cover = True
    image.save(update_fields=["is_cover"])
    audit_change(actor=actor, obj=image, before=before)
    return image


# The committee's introduction and contact (门户设置) ---------------------------------------


def _clean_profile(data):
    cleaned = {name: _text(data, name) for name in PROFILE_FIELDS}
    errors = {}
    if not cleaned["introduction"]:
        errors["introduction"] = _("请填写本会简介。")
    _limit(
        errors,
        cleaned,
        {"introduction": 5000, "address": 255, "phone": 64, "email": 254, "office_hours": 128},
    )
    if cleaned["email"] and "email" not in errors:
        try:
            validate_email(cleaned["email"])
        except ValidationError:
            errors["email"] = _("请填写有效的电子邮箱。")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def committee_profile_save(*, actor, committee, data: dict):
    """Create or update the committee's portal profile."""
    _require(actor, "portal.edit_settings")
    cleaned = _clean_profile(data)
    profile = CommitteeProfile.objects.select_for_update().filter(committee=committee).first()
    if profile is None:
        profile = CommitteeProfile.objects.create(committee=committee, updated_by=actor, **cleaned)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=profile, after=snapshot(profile))
        return profile
    before = snapshot(profile)
    for name, value in cleaned.items():
        setattr(profile, name, value)
    profile.updated_by = actor
    profile.save(update_fields=[*cleaned, "updated_by", "updated"])
    audit_change(actor=actor, obj=profile, before=before)
    return profile


# Members' consent (我的公开信息) -----------------------------------------------------------


def public_profile_save(*, actor, membership, data: dict, photo=None, remove_photo: bool = False):
    """The member's own choice of what the portal shows. ``data["consent"]`` gives (or
    withdraws) consent; the ``show_*`` flags name the fields consented to. Only the member may
    do this: staff can never publish for a member."""
    if membership.person.user_id != actor.pk or not actor.has_perm("portal.edit_own_profile"):
        raise PermissionDenied(_("只有委员本人可以设置自己的公开信息。"))
    if membership.status != MembershipStatus.IN_OFFICE:
        raise ValidationError(_("只有在任委员可以在门户公开信息。"))
    cleaned = {
        "show_photo": bool(data.get("show_photo")),
        "show_sector": bool(data.get("show_sector")),
        "show_employer": bool(data.get("show_employer")),
        "bio": _text(data, "bio"),
        "show_bio": bool(data.get("show_bio")),
    }
    consent = bool(data.get("consent"))
    with transaction.atomic():
        profile = PublicProfile.objects.select_for_update().filter(membership=membership).first()
        created = profile is None
        if created:
            profile = PublicProfile(committee=membership.committee, membership=membership)
        before = snapshot(profile)
        errors = {}
        if len(cleaned["bio"]) > MAX_BIO:
            errors["bio"] = _("个人简介不能超过%(n)s个字。") % {"n": MAX_BIO}
        elif cleaned["show_bio"] and not cleaned["bio"]:
            errors["bio"] = _("请填写个人简介,或取消勾选“公开个人简介”。")
        has_photo = photo is not None or (profile.photo_id is not None and not remove_photo)
        if cleaned["show_photo"] and not has_photo:
            errors["photo"] = _("请上传照片,或取消勾选“公开照片”。")
        kind = None
        if photo is not None and "photo" not in errors:
            try:
                kind = check_upload(committee=membership.committee, upload=photo)
            except ValidationError as exc:
                errors["photo"] = exc.messages
            else:
                if kind not in IMAGE_KINDS:
                    errors["photo"] = _("照片只能是 JPEG 或 PNG 图片。")
        if errors:
            raise ValidationError(errors)
        for name, value in cleaned.items():
            setattr(profile, name, value)
        if remove_photo:
            profile.photo = None
        if consent and profile.consent_given_at is None:
            profile.consent_given_at = timezone.now()
        elif not consent:
            profile.consent_given_at = None
        if created:
            profile.save()
        else:
            profile.save(update_fields=[*cleaned, "photo", "consent_given_at", "updated"])
        if photo is not None:
            profile.photo = attachment_create(
                committee=membership.committee, upload=photo, actor=actor, target=profile
            )
            profile.save(update_fields=["photo"])
        if created:
            audit_record(
                actor=actor, action=AuditAction.CREATE, obj=profile, after=snapshot(profile)
            )
        else:
            audit_change(actor=actor, obj=profile, before=before)
    return profile


# The media coverage log (媒体报道) ---------------------------------------------------------

_url = URLValidator(schemes=["http", "https"])


def _clean_media(committee, data, report=None):
    cleaned = {name: _text(data, name) for name in ("outlet", "level", "title", "link", "note")}
    cleaned["published_on"] = data.get("published_on")
    errors = {}
    if not cleaned["outlet"]:
        errors["outlet"] = _("请填写媒体名称。")
    if cleaned["level"] not in MediaLevel.values:
        errors["level"] = _("请选择媒体级别。")
    if not cleaned["title"]:
        errors["title"] = _("请填写报道标题。")
    day = cleaned["published_on"]
    if day is None or not hasattr(day, "isoformat"):
        errors["published_on"] = _("请填写刊发日期。")
    elif day > timezone.localdate():
        errors["published_on"] = _("刊发日期不能晚于今天。")
    _limit(errors, cleaned, {"outlet": 64, "title": 200, "link": 500, "note": 255})
    if cleaned["link"] and "link" not in errors:
        try:
            _url(cleaned["link"])
        except ValidationError:
            errors["link"] = _("请填写以 http:// 或 https:// 开头的有效网址。")
        else:
            same = MediaReport.objects.filter(committee=committee, link=cleaned["link"])
            if report is not None:
                same = same.exclude(pk=report.pk)
            if same.exists():
                errors["link"] = _("该链接的报道已经登记过。")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def media_report_create(*, actor, committee, data: dict):
    _require(actor, "portal.manage_media")
    cleaned = _clean_media(committee, data)
    report = MediaReport.objects.create(committee=committee, created_by=actor, **cleaned)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=report, after=snapshot(report))
    return report


@transaction.atomic
def media_report_update(*, actor, report, data: dict):
    locked = MediaReport.objects.select_for_update().get(pk=report.pk)
    _require(actor, "portal.manage_media", locked)
    cleaned = _clean_media(locked.committee, data, report=locked)
    before = snapshot(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(cleaned))
    audit_change(actor=actor, obj=locked, before=before)
    return locked


@transaction.atomic
def media_report_delete(*, actor, report):
    locked = MediaReport.objects.select_for_update().get(pk=report.pk)
    _require(actor, "portal.manage_media", locked)
    audit_record(
        actor=actor,
        action=AuditAction.DELETE,
        obj=locked,
        before=snapshot(locked),
        committee=locked.committee,
    )
    locked.delete()
