"""Forms of the exit-flag and duty-claim pages. They check shapes; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.core.models import Level
from zhengxie.performance.claims import claim_kind_choices, claim_sub_kind_choices
from zhengxie.performance.models import ClaimState, FlagState

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FlagFilterForm(BootstrapFormMixin, forms.Form):
    state = forms.ChoiceField(
        label=_("处理情况"), required=False, choices=[("", _("全部"))] + FlagState.choices
    )


class TalkForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("谈话提醒情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DismissForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("不予处理的理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class MembershipChangeForm(BootstrapFormMixin, forms.Form):
    effective_on = forms.DateField(label=_("生效日期"), widget=DATE)
    decided_by = forms.CharField(
        label=_("决定会议"), max_length=128, help_text=_("如:十届常委会第八次会议")
    )
    note = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


FLAG_FORMS = {
    "talk": TalkForm,
    "dismiss": DismissForm,
    "accept_resignation": MembershipChangeForm,
    "remove": MembershipChangeForm,
}


def flag_action_form(action, data=None):
    form_class = FLAG_FORMS.get(action)
    if form_class is None:
        return None
    return form_class(data, prefix=action)


# Claims -------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ClaimForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("履职事项"))
    sub_kind = forms.ChoiceField(label=_("细项"), required=False)
    level = forms.ChoiceField(label=_("级别"), required=False, choices=[("", "—")] + Level.choices)
    occurred_on = forms.DateField(label=_("日期"), widget=DATE)
    half_days = forms.DecimalField(
        label=_("时长(半天)"),
        required=False,
        max_digits=5,
        decimal_places=1,
        help_text=_("按半天计的履职事项(如值班、调研)请填写"),
    )
    title = forms.CharField(label=_("事项名称"), max_length=200)
    description = forms.CharField(label=_("情况说明"), widget=forms.Textarea(attrs={"rows": 4}))
    files = MultipleFileField(
        label=_("证明材料"),
        required=False,
        help_text=_("1至5个文件,如通知、照片、签到表(PDF、图片或Word)"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "—")] + claim_kind_choices()
        self.fields["sub_kind"].choices = [("", "—")] + claim_sub_kind_choices()

    def clean(self):
        data = super().clean()
        combined = data.get("sub_kind") or ""
        if combined:
            kind, _sep, sub_kind = combined.partition(":")
            if data.get("kind") and kind != data["kind"]:
                self.add_error("sub_kind", _("所选细项不属于所选履职事项。"))
            data["sub_kind"] = sub_kind
        return data


class ClaimFilterForm(BootstrapFormMixin, forms.Form):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + ClaimState.choices
    )


class ClaimDecisionForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def claim_action_form(action, data=None):
    if action in ("approve", "decline"):
        form = ClaimDecisionForm(data, prefix=action)
        if action == "decline":
            form.fields["note"].label = _("不予认定的理由")
            form.fields["note"].required = True
        return form
    return None
