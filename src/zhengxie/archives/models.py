"""文史资料: collection campaigns (征集), the historical materials contributed (史料), the volumes
edited from them (书目, with chapters and editors) and the committee's periodical (e.g.
《政协之声》) by issue. States change only through ``archives.services`` (tables in
``workflow.py``). A volume's word and image counts are never stored: they are the sums over
its materials (``archives.queries.volume_totals``)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zhengxie.core.fields import EncryptedCharField, mask_phone
from zhengxie.core.models.base import HistoryEntry
from zhengxie.core.scoping import CommitteeScopedManager


class CampaignState(models.TextChoices):
    OPEN = "open", _("征集中")
    CLOSED = "closed", _("已截止")


class Campaign(models.Model):
    """A call for materials on one theme (e.g. the history of a local industry)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    theme = models.CharField(_("征集主题"), max_length=128)
    call_text = models.TextField(_("征集启事"))
    opens_on = models.DateField(_("开始日期"))
    deadline = models.DateField(_("截止日期"))
    state = models.CharField(
        _("状态"), max_length=16, choices=CampaignState.choices, default=CampaignState.OPEN
    )
    special_committee = models.ForeignKey(
        "organisation.SpecialCommittee",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("负责专委会"),
    )
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("征集活动")
        verbose_name_plural = _("征集活动")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "theme"], name="archive_campaign_once")
        ]

    def __str__(self):
        return self.theme


class CampaignHistory(HistoryEntry):
    subject = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )


class MaterialKind(models.TextChoices):
    TEXT = "text", _("文字稿")
    PHOTOS = "photos", _("照片")
    SCANS = "scans", _("扫描件")
    ORAL = "oral", _("口述史录音")
    MIXED = "mixed", _("综合")


class MaterialState(models.TextChoices):
    SUBMITTED = "submitted", _("待审核")
    ACCEPTED = "accepted", _("已采用")
    RETURNED = "returned", _("已退回")


EDITABLE_MATERIAL_STATES = (MaterialState.SUBMITTED, MaterialState.RETURNED)


class Material(models.Model):
    """One contribution: a text, a batch of photos or scans (one material may hold hundreds of
    images), an oral-history recording or a mix. Its contributor is either a member of this
    committee or an outside contributor, never both."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="materials",
        verbose_name=_("征集活动"),
    )
    title = models.CharField(_("标题"), max_length=200)
    kind = models.CharField(_("类型"), max_length=16, choices=MaterialKind.choices)
    text = models.TextField(_("文字内容"), blank=True)
    word_count = models.PositiveIntegerField(_("字数"), default=0)
    image_count = models.PositiveIntegerField(_("图片数"), default=0)
    duration_minutes = models.PositiveIntegerField(_("录音时长(分钟)"), null=True, blank=True)
    received_on = models.DateField(_("收到日期"), db_index=True)
    membership = models.ForeignKey(
        "organisation.Membership",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("提供委员"),
    )
    contributor_name = models.CharField(_("提供人"), max_length=64, blank=True)
    contributor_phone = EncryptedCharField(_("联系电话"), blank=True)
    contributor_affiliation = models.CharField(_("单位或身份"), max_length=128, blank=True)
    rights_holder = models.CharField(_("权利人"), max_length=128, blank=True)
    consent_given = models.BooleanField(_("已授权使用"), default=False)
    consent_terms = models.TextField(_("授权条款"), blank=True)
    consent_attachment = models.ForeignKey(
        "core.Attachment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("授权书"),
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=MaterialState.choices, default=MaterialState.SUBMITTED
    )
    return_reason = models.TextField(_("退回原因"), blank=True)
    submitted_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    # The ledger rows this material wrote for its member contributor (each at most once).
    contributed_record = models.ForeignKey(
        "core.DutyRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_record = models.ForeignKey(
        "core.DutyRecord", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("史料")
        verbose_name_plural = _("史料")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["committee", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(membership__isnull=False) & Q(contributor_name=""))
                | (Q(membership__isnull=True) & ~Q(contributor_name="")),
                name="archive_material_one_contributor",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def contributor_label(self):
        if self.membership_id:
            return self.membership.person.name
        return self.contributor_name

    @property
    def masked_phone(self):
        return mask_phone(self.contributor_phone)


class MaterialHistory(HistoryEntry):
    subject = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )


class VolumeState(models.TextChoices):
    COLLECTING = "collecting", _("征集中")
    EDITING = "editing", _("编辑中")
    PUBLISHED = "published", _("已出版")


class Volume(models.Model):
    """A volume (书目) of the committee's 文史资料 series, e.g. 《示范县文史资料》第12辑."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("书名"), max_length=200)
    series = models.CharField(_("丛书"), max_length=128, blank=True)
    number = models.CharField(_("辑次"), max_length=32, blank=True)
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volumes",
        verbose_name=_("征集活动"),
    )
    state = models.CharField(
        _("状态"), max_length=16, choices=VolumeState.choices, default=VolumeState.COLLECTING
    )
    published_on = models.DateField(_("出版日期"), null=True, blank=True, db_index=True)
    print_run = models.PositiveIntegerField(_("印数(册)"), null=True, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=32, blank=True)
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("书目")
        verbose_name_plural = _("书目")
        ordering = ["-created", "-pk"]

    def __str__(self):
        label = f"《{self.title}》"
        return f"{label}{self.number}" if self.number else label


class VolumeHistory(HistoryEntry):
    subject = models.ForeignKey(Volume, on_delete=models.CASCADE, related_name="history")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )


class EditorRole(models.TextChoices):
    CHIEF = "chief", _("主编")
    EDITOR = "editor", _("编辑")


class VolumeEditor(models.Model):
    """An editor of a volume: a member of the committee or a staff user (exactly one)."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    volume = models.ForeignKey(Volume, on_delete=models.CASCADE, related_name="editors")
    role = models.CharField(_("分工"), max_length=8, choices=EditorRole.choices)
    membership = models.ForeignKey(
        "organisation.Membership", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        "core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("编辑人员")
        verbose_name_plural = _("编辑人员")
        ordering = ["volume", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(membership__isnull=False, user__isnull=True)
                | Q(membership__isnull=True, user__isnull=False),
                name="archive_editor_one_person",
            ),
            models.UniqueConstraint(
                fields=["volume"], condition=Q(role="chief"), name="archive_one_chief_editor"
            ),
            models.UniqueConstraint(
                fields=["volume", "membership"], name="archive_editor_member_once"
            ),
            models.UniqueConstraint(fields=["volume", "user"], name="archive_editor_user_once"),
        ]

    def __str__(self):
        if self.membership_id:
            return self.membership.person.name
        return self.user.display_name or self.user.username


class Chapter(models.Model):
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    volume = models.ForeignKey(Volume, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("章节标题"), max_length=200)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("章节")
        verbose_name_plural = _("章节")
        ordering = ["volume", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["volume", "position"], name="archive_chapter_position")
        ]

    def __str__(self):
        return self.title


class ChapterMaterial(models.Model):
    """A material placed in a chapter, in order. One-to-one: a material is in at most one
    volume."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="entries")
    material = models.OneToOneField(Material, on_delete=models.PROTECT, related_name="placement")
    position = models.PositiveIntegerField(_("序号"))

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("入编史料")
        verbose_name_plural = _("入编史料")
        ordering = ["chapter", "position", "pk"]


class Periodical(models.Model):
    """The committee's periodical (刊物), e.g. 《政协之声》."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("刊名"), max_length=64)
    description = models.CharField(_("简介"), max_length=255, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("刊物")
        verbose_name_plural = _("刊物")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="archive_periodical_once")
        ]

    def __str__(self):
        return f"《{self.name}》"


class PeriodicalIssue(models.Model):
    """One issue (期) of a periodical, numbered within its year."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+"
    )
    periodical = models.ForeignKey(Periodical, on_delete=models.PROTECT, related_name="issues")
    year = models.PositiveIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("期号"))
    title = models.CharField(_("本期主题"), max_length=200, blank=True)
    published_on = models.DateField(_("出刊日期"), null=True, blank=True, db_index=True)
    copies = models.PositiveIntegerField(_("印数(份)"), default=0)
    contents = models.ForeignKey(
        "core.Attachment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("本期内容(PDF)"),
    )
    created_by = models.ForeignKey(
        "core.User", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = CommitteeScopedManager()

    class Meta:
        verbose_name = _("刊物期次")
        verbose_name_plural = _("刊物期次")
        ordering = ["periodical", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["periodical", "year", "number"], name="archive_issue_number_once"
            )
        ]

    def __str__(self):
        return f"{self.periodical}{self.year}年第{self.number}期"
