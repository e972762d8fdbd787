from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhengxie.core.lockout import locked_message


def _style_widgets(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "").split()
        if css not in classes:
            widget.attrs["class"] = " ".join([*classes, css])


def _mark_invalid(form):
    for name in form.errors:
        if name in form.fields:
            widget = form.fields[name].widget
            classes = widget.attrs.get("class", "").split()
            if "is-invalid" not in classes:
                widget.attrs["class"] = " ".join([*classes, "is-invalid"])


def bootstrap(form):
    """Give a form's widgets their Bootstrap classes (and is-invalid once validated)."""
    _style_widgets(form)
    if form.is_bound:
        _mark_invalid(form)
    return form


class BootstrapFormMixin:
    """Bootstrap classes on every widget: classes style, templates stay plain. Rendered by
    ``templates/includes/form_fields.html``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _style_widgets(self)

    def full_clean(self):
        super().full_clean()
        _mark_invalid(self)


class LoginForm(AuthenticationForm):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), strip=False, widget=forms.PasswordInput)

    error_messages = {
        "invalid_login": _("用户名或密码不正确。"),
        "inactive": _("该账号已停用。"),
    }

    def get_invalid_login_error(self):
        if getattr(self.request, "login_locked", False):
            return ValidationError(locked_message(), code="locked")
        return super().get_invalid_login_error()


class PasswordForm(BootstrapFormMixin, PasswordChangeForm):
    """Changing one's own password: the old one, then the new one twice, checked against
    AUTH_PASSWORD_VALIDATORS (length, common passwords, likeness to the account, all digits)."""

    def clean_new_password1(self):
        new = self.cleaned_data.get("new_password1")
        if new and new == self.data.get("old_password"):
            raise ValidationError(_("新密码不能与旧密码相同。"), code="password_unchanged")
        return new


def error_messages(exc):
    """Every message of a ValidationError (or of any exception), field errors flattened."""
    if hasattr(exc, "error_dict"):
        return [m for messages in exc.message_dict.values() for m in messages]
    return list(getattr(exc, "messages", [str(exc)]))


def attach_errors(form, exc):
    """Show a service's ValidationError on the form it came from: each field's messages on that
    field when the form has it, the rest above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error_messages(exc))


def xlsx_file_field(label):
    """The upload field of every .xlsx import form."""
    return forms.FileField(
        label=label,
        error_messages={
            "required": _("请选择要导入的 Excel 文件。"),
            "empty": _("上传的文件是空的。"),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx", "class": "form-control"}),
    )
