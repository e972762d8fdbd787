"""门户与宣传: the committee's public portal (news, introduction, members' public list) and the
media coverage log (媒体报道). A news item's state changes only through
``portal.services.news_act`` (the table in ``workflow.py``)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengxie.core.models.base import HistoryEntry
from zhengxie.core.scoping import CommitteeScopedManager


class NewsCategory(models.TextChoices):
    WORK = "work", _("工作动态")
    MEMBERS = "members", _("委员风采")
    NOTICE = "notice", _("通知公告")
    CONSULTATION = "consultation", _("协商议政")
    THEORY = "theory", _("理论研究")


class NewsState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    IN_REVIEW = "in_review", _("待审核")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class NewsItem(models.Model):
    """A news item of the committee's portal. The body is plain text: paragraphs are separated
    by blank lines and rendered escaped (no markup from users ever reaches a page).
    ``published_at`` is the latest publication, ``first_published_at`` the first one (the
    figures count an item once, in the period it was first carried)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("标题"), max_length=120)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"))
    category = models.CharField(
        _("栏目"), max_length=16, choices=NewsCategory.choices, default=NewsCategory.WORK
    )
    author = models.ForeignKey(
        "core.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("撰稿人")
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=NewsState.choices, default=NewsState.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    first_published_at = models.DateTimeField(_("首次发布时间"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("新闻")
        verbose_name_plural = _("新闻")
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["committee", "state", "published_at"])]

    def __str__(self):
        return self.title


class NewsHistory(HistoryEntry):
    """State changes of a news item; ``note`` holds the reason of a return or a withdrawal."""

    subject = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )


class NewsImage(models.Model):
    """An image of a news item (a checked ``core.Attachment``); ``caption`` is its alt text.
    At most one image of an item is its cover."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    news = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="images")
    attachment = models.OneToOneField(
        "core.Attachment", on_delete=models.PROTECT, related_name="news_image"
    )
    caption = models.CharField(_("图片说明"), max_length=120)
    is_cover = models.BooleanField(_("封面"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("新闻图片")
        verbose_name_plural = _("新闻图片")
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["news"], condition=Q(is_cover=True), name="portal_one_cover_per_news"
            )
        ]

    def __str__(self):
        return self.caption


class CommitteeProfile(models.Model):
    """The committee's introduction and contact details on its portal (one per committee). A
    committee with a profile is listed in the portal index."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    introduction = models.TextField(_("本会简介"))
    address = models.CharField(_("地址"), max_length=255, blank=True)
    phone = models.CharField(_("联系电话"), max_length=64, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=128, blank=True)
    updated_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated = models.DateTimeField(auto_now=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("门户设置")
        verbose_name_plural = _("门户设置")
        constraints = [
            models.UniqueConstraint(fields=["committee"], name="portal_one_profile_per_committee")
        ]

    def __str__(self):
        return str(self.committee)


class PublicProfile(models.Model):
    """What a member agrees to publish on the portal (我的公开信息).

    Choice made for the public members list: although name and sector are already public in the
    committee's official roster, the portal lists **only members who gave consent**
    (``consent_given_at`` set) and, for them, their name plus **only the fields they ticked**
    (photo, sector, employer and title, short bio). A member without consent is not listed at
    all, not even by name. Only the member edits this record; staff see the consent state but
    can never publish anything for a member. Withdrawing consent clears ``consent_given_at`` and
    removes the member from the public list at once.
    """

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    membership = models.OneToOneField(
        "organisation.Membership", on_delete=models.CASCADE, related_name="public_profile"
    )
    photo = models.ForeignKey(
        "core.Attachment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("照片"),
    )
    show_photo = models.BooleanField(_("公开照片"), default=False)
    show_sector = models.BooleanField(_("公开界别"), default=False)
    show_employer = models.BooleanField(_("公开工作单位及职务"), default=False)
    bio = models.TextField(_("个人简介"), blank=True)
    show_bio = models.BooleanField(_("公开个人简介"), default=False)
    consent_given_at = models.DateTimeField(_("同意公开时间"), null=True, blank=True)
    updated = models.DateTimeField(auto_now=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("委员公开信息")
        verbose_name_plural = _("委员公开信息")
        ordering = ["membership__person__name", "pk"]

    def __str__(self):
        return str(self.membership)

    @property
    def consented(self):
        return self.consent_given_at is not None


class MediaLevel(models.TextChoices):
    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("中央")


LOCAL_MEDIA_LEVELS = (MediaLevel.COUNTY, MediaLevel.CITY)
HIGHER_MEDIA_LEVELS = (MediaLevel.PROVINCE, MediaLevel.NATIONAL)


class MediaReport(models.Model):
    """A report about the committee carried by a newspaper, broadcaster or news site."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    outlet = models.CharField(_("媒体名称"), max_length=64)
    level = models.CharField(_("媒体级别"), max_length=16, choices=MediaLevel.choices)
    published_on = models.DateField(_("刊发日期"), db_index=True)
    title = models.CharField(_("报道标题"), max_length=200)
    link = models.URLField(_("链接"), max_length=500, blank=True)
    note = models.CharField(_("备注"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("媒体报道")
        verbose_name_plural = _("媒体报道")
        ordering = ["-published_on", "-pk"]

    def __str__(self):
        return self.title
