"""Accounts and role assignments, managed by a committee's admins in the product's own pages."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengxie.core import lockout
from zhengxie.core.audit import audit_record, snapshot
from zhengxie.core.models import AuditAction, Role, RoleAssignment, StaffOffice, User


def _require(actor, permission):
    if not actor.has_perm(permission):
        raise PermissionDenied(_("您没有执行此操作的权限。"))


def users_of(committee):
    """Users holding (or having held) a role in ``committee``."""
    return (
        User.objects.filter(role_assignments__committee=committee).distinct().order_by("username")
    )


def _only_here(user, committee):
    """Whether every role the user holds is in ``committee`` (then its admins own the account)."""
    return not user.role_assignments.exclude(committee=committee).exists()


def temporary_password():
    return "zx-" + secrets.token_urlsafe(9)


@transaction.atomic
def account_create(*, actor, committee, username, display_name, email="", password=None):
    """Create an account; returns (user, the initial password to hand over once)."""
    _require(actor, "core.manage_accounts")
    username = username.strip()
    if not username:
        raise ValidationError({"username": _("请填写用户名。")})
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("用户名“%(u)s”已被使用。") % {"u": username}})
    password = password or temporary_password()
    user = User(username=username, display_name=display_name.strip(), email=email.strip())
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    audit_record(
        actor=actor, action=AuditAction.CREATE, obj=user, committee=committee, after=snapshot(user)
    )
    return user, password


@transaction.atomic
def role_grant(
    *,
    actor,
    user,
    committee,
    role,
    office="",
    special_committee=None,
    handling_unit=None,
    title="",
    starts_on=None,
    ends_on=None,
):
    _require(actor, "core.manage_accounts")
    errors = {}
    if role not in Role.values:
        errors["role"] = _("请选择有效的角色。")
    if role == Role.STAFF and office not in StaffOffice.values:
        errors["office"] = _("机关工作人员须选择所在部门。")
    if role == Role.STAFF and office == StaffOffice.SPECIAL_COMMITTEE and special_committee is None:
        errors["special_committee"] = _("请选择所在专门委员会。")
    if role == Role.UNIT and handling_unit is None:
        errors["handling_unit"] = _("承办单位账号须选择所属单位。")
    for name, obj in (("special_committee", special_committee), ("handling_unit", handling_unit)):
        if obj is not None and obj.committee_id != committee.pk:
            errors[name] = _("所选项目不属于本委员会。")
    starts_on = starts_on or timezone.localdate()
    if ends_on and ends_on < starts_on:
        errors["ends_on"] = _("截止日期不能早于起始日期。")
    if errors:
        raise ValidationError(errors)
    duplicate = RoleAssignment.objects.current().filter(
        user=user, committee=committee, role=role, handling_unit=handling_unit, office=office
    )
    if duplicate.exists():
        raise ValidationError({"role": _("该用户已拥有此角色。")})
    assignment = RoleAssignment.objects.create(
        user=user,
        committee=committee,
        role=role,
        office=office if role == Role.STAFF else "",
        special_committee=special_committee if role == Role.STAFF else None,
        handling_unit=handling_unit if role == Role.UNIT else None,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    audit_record(actor=actor, action=AuditAction.CREATE, obj=assignment, after=snapshot(assignment))
    return assignment


@transaction.atomic
def role_end(*, actor, assignment, ends_on=None):
    _require(actor, "core.manage_accounts")
    locked = RoleAssignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.committee_id != actor.active_role.committee_id:
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    ends_on = ends_on or timezone.localdate() - timezone.timedelta(days=1)
    if locked.ends_on is not None and locked.ends_on <= ends_on:
        raise ValidationError(_("该角色已经结束。"))
    if locked.starts_on and ends_on < locked.starts_on - timezone.timedelta(days=1):
        raise ValidationError(_("结束日期不能早于起始日期。"))
    before = snapshot(locked, ["ends_on"])
    locked.ends_on = ends_on
    locked.save(update_fields=["ends_on"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=locked,
        before=before,
        after=snapshot(locked, ["ends_on"]),
    )
    return locked


@transaction.atomic
def account_reset_password(*, actor, user, committee):
    """Give the account a new temporary password (only for accounts wholly of this committee)."""
    _require(actor, "core.manage_accounts")
    if not _only_here(user, committee):
        raise PermissionDenied(_("该账号在其他委员会也有角色,请由平台管理员重置密码。"))
    password = temporary_password()
    user.set_password(password)
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=user, committee=committee, note=_("重置密码")
    )
    return password


@transaction.atomic
def password_change(*, user, password):
    """The user sets a new password of their own (already validated by the form)."""
    user.set_password(password)
    user.save(update_fields=["password", "password_changed_at"])
    audit_record(actor=user, action=AuditAction.UPDATE, obj=user, note=_("修改密码"))
    return user


def account_unlock(*, actor, user, committee):
    """Lift the sign-in lockout of an account of this committee (audited)."""
    _require(actor, "core.manage_accounts")
    return lockout.unlock(actor=actor, username=user.username, committee=committee)


@transaction.atomic
def account_set_active(*, actor, user, committee, active: bool):
    _require(actor, "core.manage_accounts")
    if user.pk == actor.pk:
        raise ValidationError(_("不能停用自己的账号。"))
    if not _only_here(user, committee):
        raise PermissionDenied(_("该账号在其他委员会也有角色,请改为结束本委员会的角色。"))
    before = snapshot(user, ["is_active"])
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=user,
        committee=committee,
        before=before,
        after=snapshot(user, ["is_active"]),
    )
    return user


def role_holders(*, role, committee=None, offices=None, handling_unit=None):
    """Active users currently holding ``role`` (in ``committee``, in one of ``offices``, for
    ``handling_unit``): who a notification about a case goes to."""
    assignments = RoleAssignment.objects.current().filter(role=role, user__is_active=True)
    if committee is not None:
        assignments = assignments.filter(committee=committee)
    if offices is not None:
        assignments = assignments.filter(office__in=offices)
    if handling_unit is not None:
        assignments = assignments.filter(handling_unit=handling_unit)
    return [r.user for r in assignments.select_related("user")]
