"""The committee configuration page (admin): every registered setting, grouped by area."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zhengxie.core import config
from zhengxie.core.forms import bootstrap


def _field(setting):
    common = {"label": setting.label, "help_text": setting.help, "required": False}
    if setting.type == config.BOOL:
        return forms.BooleanField(**common)
    if setting.type == config.CHOICE:
        return forms.ChoiceField(choices=list(setting.choices.items()), **common)
    if setting.type == config.LIST and setting.choices:
        return forms.MultipleChoiceField(
            choices=list(setting.choices.items()), widget=forms.CheckboxSelectMultiple, **common
        )
    if setting.type in (config.LIST, config.JSON):
        rows = 5 if setting.type == config.JSON else 3
        return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), strip=False, **common)
    # INT and STR travel as text; the service parses and checks them (one set of messages).
    widget = forms.NumberInput if setting.type == config.INT else forms.TextInput
    return forms.CharField(widget=widget, **common)


def _initial(setting, value):
    if setting.type == config.LIST and not setting.choices:
        return "\n".join(value)
    if setting.type == config.JSON:
        return json.dumps(value, ensure_ascii=False, indent=1)
    return value


class SettingsForm(forms.Form):
    def __init__(self, *args, values, **kwargs):
        super().__init__(*args, **kwargs)
        for key, setting in config.SETTINGS.items():
            self.fields[key] = _field(setting)
            self.initial[key] = _initial(setting, values[key])

    def areas(self):
        return [(label, [self[s.key] for s in items]) for label, items in config.settings_by_area()]


@login_required
def settings_page(request):
    if not request.user.has_perm("core.edit_settings"):
        raise PermissionDenied
    committee = request.committee
    form = SettingsForm(request.POST or None, values=config.get_settings(committee))
    if request.method == "POST" and form.is_valid():
        try:
            changed = config.set_settings(
                committee=committee, values=dict(form.cleaned_data), actor=request.user
            )
        except ValidationError as exc:
            for key, errors in exc.message_dict.items():
                form.add_error(key, errors)
            messages.error(request, _("有配置项填写不正确,未作任何修改,请按提示更正。"))
        else:
            if changed:
                messages.success(request, _("已保存 %(n)s 项配置。") % {"n": len(changed)})
            else:
                messages.info(request, _("配置未发生变化。"))
            return redirect("core:settings")
    return render(request, "core/settings.html", {"form": bootstrap(form)})
