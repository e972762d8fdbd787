"""Accounts and roles: a user holds dated roles in one or more committees."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    # Public accounts sign in by phone; the number is kept as a keyed digest for look-up only.
    phone_digest = models.CharField(max_length=64, blank=True, db_index=True)
    # When the password was last set: its age decides expiry (settings.PASSWORD_MAX_AGE_DAYS).
    password_changed_at = models.DateTimeField(_("密码设置时间"), default=timezone.now)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()


class Role(models.TextChoices):
    MEMBER = "member", _("委员")
    STAFF = "staff", _("机关工作人员")
    CHAIR = "chair", _("政协领导")
    UNIT = "unit", _("承办单位")
    LEADER = "leader", _("党政领导")
    ADMIN = "admin", _("系统管理员")
    PUBLIC = "public", _("公众")


class StaffOffice(models.TextChoices):
    GENERAL = "general_office", _("办公室")
    PROPOSALS = "proposal_committee", _("提案委员会")
    RESEARCH = "research_office", _("研究室")
    SPECIAL_COMMITTEE = "special_committee", _("专门委员会")


class RoleAssignmentQuerySet(models.QuerySet):
    def current(self, on=None):
        on = on or timezone.localdate()
        return self.filter(
            models.Q(starts_on__isnull=True) | models.Q(starts_on__lte=on),
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on),
        )


class RoleAssignment(models.Model):
    """One role a user holds in one committee. Not committee-scoped: it decides the scope."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=16, choices=Role.choices)
    office = models.CharField(_("所在部门"), max_length=32, choices=StaffOffice.choices, blank=True)
    special_committee = models.ForeignKey(
        "organisation.SpecialCommittee", null=True, blank=True, on_delete=models.SET_NULL
    )
    handling_unit = models.ForeignKey(
        "organisation.HandlingUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    title = models.CharField(_("职务"), max_length=64, blank=True)
    starts_on = models.DateField(_("起始日期"), null=True, blank=True)
    ends_on = models.DateField(_("截止日期"), null=True, blank=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="unit") | models.Q(handling_unit__isnull=False),
                name="unit_role_has_unit",
            ),
        ]

    def __str__(self):
        return f"{self.committee} · {self.get_role_display()}"

    @property
    def label(self):
        parts = [self.committee.short_name or self.committee.name, self.get_role_display()]
        if self.handling_unit_id:
            parts.append(self.handling_unit.name)
        elif self.office:
            parts.append(self.get_office_display())
        return " · ".join(parts)


class ApiToken(models.Model):
    """A bearer token for apps. Only a digest is stored; the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    role_assignment = models.ForeignKey(RoleAssignment, on_delete=models.CASCADE)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(default=timezone.now)
    last_used = models.DateTimeField(null=True, blank=True)
    expires = models.DateTimeField()

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
