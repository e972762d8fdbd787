"""Public sign-in by mobile number and SMS code: phone → code → signed in as a public account."""

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengxie.core import public as service
from zhengxie.core.context import client_ip
from zhengxie.core.fields import mask_phone
from zhengxie.core.forms import bootstrap
from zhengxie.core.middleware import SESSION_KEY
from zhengxie.organisation.models import Committee

PHONE_KEY = "zx_public_phone"
COMMITTEE_KEY = "zx_public_committee"


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=gettext_lazy("手机号码"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={"required": gettext_lazy("请输入手机号码。")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("短信验证码"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={
            "required": gettext_lazy("请输入验证码。"),
            "max_length": gettext_lazy("请输入6位数字验证码。"),
        },
    )


def _committee(request):
    """The committee being joined: ?c=<code>, or the one chosen before, or the only one."""
    code = request.GET.get("c") or request.POST.get("c")
    if code:
        return Committee.objects.filter(code=code).first()
    pk = request.session.get(COMMITTEE_KEY)
    if pk:
        return Committee.objects.filter(pk=pk).first()
    committees = list(Committee.objects.order_by("code")[:2])
    return committees[0] if len(committees) == 1 else None


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("core:home")


def public_login(request):
    committee = _committee(request)
    phone = request.session.get(PHONE_KEY)
    step = "code" if phone and request.GET.get("step") == "code" else "phone"
    phone_form, code_form = bootstrap(PhoneForm()), bootstrap(CodeForm())
    status = 200
    if request.method == "POST" and committee is None:
        messages.error(request, _("请先选择要参与的政协委员会。"))
    elif request.method == "POST" and request.POST.get("action") == "send":
        phone_form = PhoneForm(request.POST)
        if phone_form.is_valid():
            try:
                service.request_code(
                    phone=phone_form.cleaned_data["phone"],
                    ip=client_ip(request),
                    committee=committee,
                )
            except ValidationError as exc:
                phone_form.add_error("phone", exc.messages)
                status = 429 if isinstance(exc, service.TooManyRequests) else 200
            else:
                request.session[PHONE_KEY] = service.normalise_phone(
                    phone_form.cleaned_data["phone"]
                )
                request.session[COMMITTEE_KEY] = committee.pk
                messages.success(request, _("验证码已发送,10分钟内有效。"))
                return redirect(f"{reverse('core:public_login')}?step=code")
        bootstrap(phone_form)
    elif request.method == "POST" and request.POST.get("action") == "verify" and phone:
        step = "code"
        code_form = CodeForm(request.POST)
        if code_form.is_valid():
            try:
                user = service.verify_code(
                    phone=phone,
                    code=code_form.cleaned_data["code"],
                    ip=client_ip(request),
                    committee=committee,
                )
            except ValidationError as exc:
                code_form.add_error("code", exc.messages)
                status = 429 if isinstance(exc, service.TooManyRequests) else 200
            else:
                login(request, user, backend="zhengxie.core.lockout.LockoutModelBackend")
                request.session.pop(PHONE_KEY, None)
                role = service.public_role(user, committee)
                if role is not None:
                    request.session[SESSION_KEY] = role.pk
                return redirect(_next_url(request))
        bootstrap(code_form)
    elif request.method == "POST" and request.POST.get("action") == "verify":
        messages.error(request, _("验证已超时,请重新获取验证码。"))
    context = {
        "committee": committee,
        "committees": Committee.objects.order_by("code") if committee is None else [],
        "step": step,
        "phone_form": phone_form,
        "code_form": code_form,
        "masked_phone": mask_phone(phone) if phone else "",
        "next": request.GET.get("next", ""),
    }
    return render(request, "core/public_login.html", context, status=status)
