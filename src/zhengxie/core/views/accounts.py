from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengxie.core.accounts import password_change
from zhengxie.core.forms import LoginForm, PasswordForm
from zhengxie.core.middleware import SESSION_KEY, current_roles

login_view = auth_views.LoginView.as_view(
    template_name="core/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("core:login")


@login_required
def password_change_view(request):
    """Change one's own password (also where an expired password sends the user)."""
    form = PasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_change(user=request.user, password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改。"))
        return redirect("core:home")
    status = 400 if form.is_bound else 200
    return render(request, "core/password_change.html", {"form": form}, status=status)


@login_required
@require_POST
def switch_role(request):
    """Switch the committee and role the user acts in (a person may hold roles in several)."""
    try:
        wanted = int(request.POST.get("role", ""))
    except ValueError:
        wanted = None
    role = next((r for r in current_roles(request.user) if r.pk == wanted), None)
    if role is None:
        messages.error(request, _("无法切换到该角色。"))
    else:
        request.session[SESSION_KEY] = role.pk
        messages.success(request, _("已切换为:%(role)s") % {"role": role.label})
    return redirect("core:home")
