"""Accounts and roles of the active committee (admins)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from zhengxie.core import accounts as service
from zhengxie.core import lockout
from zhengxie.core.forms import BootstrapFormMixin, attach_errors
from zhengxie.core.models import Role, RoleAssignment, StaffOffice
from zhengxie.organisation.models import HandlingUnit, SpecialCommittee


class AccountForm(BootstrapFormMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    display_name = forms.CharField(label=_("姓名"), max_length=64)
    email = forms.EmailField(label=_("电子邮箱"), required=False)


class RoleForm(BootstrapFormMixin, forms.Form):
    role = forms.ChoiceField(
        label=_("角色"), choices=[c for c in Role.choices if c[0] != Role.PUBLIC]
    )
    office = forms.ChoiceField(
        label=_("所在部门(机关工作人员)"), required=False, choices=[("", "—")] + StaffOffice.choices
    )
    special_committee = forms.ModelChoiceField(
        label=_("专门委员会"), required=False, queryset=SpecialCommittee.objects.none()
    )
    handling_unit = forms.ModelChoiceField(
        label=_("承办单位"), required=False, queryset=HandlingUnit.objects.none()
    )
    title = forms.CharField(label=_("职务"), required=False, max_length=64)
    starts_on = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["special_committee"].queryset = SpecialCommittee.objects.all()
        self.fields["handling_unit"].queryset = HandlingUnit.objects.filter(is_active=True)


def _require_admin(request):
    if not request.user.has_perm("core.manage_accounts"):
        raise PermissionDenied


def _account(request, pk):
    return get_object_or_404(service.users_of(request.committee), pk=pk)


@login_required
def account_list(request):
    _require_admin(request)
    here = RoleAssignment.objects.filter(committee=request.committee).select_related(
        "handling_unit"
    )
    users = service.users_of(request.committee).prefetch_related(
        Prefetch("role_assignments", queryset=here)
    )
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(display_name__contains=q))
    page = Paginator(users, 30).get_page(request.GET.get("page"))
    form = AccountForm(prefix="new")
    role_form = RoleForm(prefix="role")
    return render(
        request, "core/accounts.html", {"page": page, "form": form, "role_form": role_form, "q": q}
    )


@login_required
@require_POST
def account_create(request):
    _require_admin(request)
    form = AccountForm(request.POST, prefix="new")
    role_form = RoleForm(request.POST, prefix="role")
    if form.is_valid() and role_form.is_valid():
        try:
            with transaction.atomic():
                user, password = service.account_create(
                    actor=request.user, committee=request.committee, **form.cleaned_data
                )
                service.role_grant(
                    actor=request.user,
                    user=user,
                    committee=request.committee,
                    **role_form.cleaned_data,
                )
        except ValidationError as exc:
            target = (
                role_form
                if hasattr(exc, "error_dict") and set(exc.message_dict) & set(role_form.fields)
                else form
            )
            attach_errors(target, exc)
        else:
            messages.success(
                request,
                _("已创建账号 %(u)s,初始密码:%(p)s(只显示这一次,请转交本人并提醒修改)")
                % {"u": user.username, "p": password},
            )
            return redirect("core:account_detail", pk=user.pk)
    page = Paginator(service.users_of(request.committee), 30).get_page(1)
    return render(
        request,
        "core/accounts.html",
        {"page": page, "form": form, "role_form": role_form, "open_form": True},
        status=400,
    )


@login_required
def account_detail(request, pk):
    _require_admin(request)
    account = _account(request, pk)
    roles = RoleAssignment.objects.filter(user=account, committee=request.committee).select_related(
        "handling_unit", "special_committee"
    )
    form = RoleForm()
    if request.method == "POST":
        form = RoleForm(request.POST)
        if form.is_valid():
            try:
                service.role_grant(
                    actor=request.user,
                    user=account,
                    committee=request.committee,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, _("已授予角色。"))
                return redirect("core:account_detail", pk=account.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "core/account_detail.html",
        {
            "account": account,
            "roles": roles,
            "form": form,
            "locked": lockout.is_locked(username=account.username),
        },
        status=status,
    )


@login_required
@require_POST
def account_action(request, pk):
    _require_admin(request)
    account = _account(request, pk)
    action = request.POST.get("action")
    try:
        if action == "end_role":
            assignment = get_object_or_404(
                RoleAssignment,
                pk=request.POST.get("role"),
                user=account,
                committee=request.committee,
            )
            service.role_end(actor=request.user, assignment=assignment)
            messages.success(request, _("已结束该角色。"))
        elif action == "reset_password":
            password = service.account_reset_password(
                actor=request.user, user=account, committee=request.committee
            )
            messages.success(request, _("新的临时密码:%(p)s(只显示这一次)") % {"p": password})
        elif action == "unlock":
            service.account_unlock(actor=request.user, user=account, committee=request.committee)
            messages.success(request, _("已解除该账号的登录锁定。"))
        elif action in ("deactivate", "activate"):
            service.account_set_active(
                actor=request.user,
                user=account,
                committee=request.committee,
                active=action == "activate",
            )
            messages.success(
                request, _("账号已启用。") if action == "activate" else _("账号已停用。")
            )
        else:
            messages.error(request, _("未知操作。"))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("core:account_detail", pk=account.pk)
