"""Forms of the notices pages; ``notices.services`` does the checking that matters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.notices.models import AUDIENCE_CHOICES, NoticeState
from zhengxie.organisation.models import MemberGroup, Membership, Sector, SpecialCommittee

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MemberMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.name}({obj.sector.name})"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class NoticeForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    body = forms.CharField(
        label=_("正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("纯文本;会议时间、地点、报名方式等请写清楚。"),
    )
    by = forms.ChoiceField(
        label=_("发送范围"),
        choices=AUDIENCE_CHOICES,
        initial="all",
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择发送范围。"), "invalid_choice": _("请选择发送范围。")},
    )
    special_committee = forms.ModelChoiceField(
        label=_("专门委员会"), queryset=SpecialCommittee.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("委员活动小组"), queryset=MemberGroup.objects.none(), required=False
    )
    sector = forms.ModelChoiceField(label=_("界别"), queryset=Sector.objects.none(), required=False)
    memberships = MemberMultipleChoiceField(
        label=_("指定委员"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("发送范围选“指定委员”时使用;按住 Ctrl 可多选。"),
    )
    reply_required = forms.BooleanField(
        label=_("需要回执(委员点“已知悉”并可填写简短回复)"), required=False
    )
    reply_by = forms.DateField(
        label=_("回执截止日期"),
        required=False,
        widget=DATE,
        error_messages={"invalid": _("日期格式不正确。")},
    )
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("可一次选择多个文件(PDF、Word、Excel、图片等)。"),
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["special_committee"].queryset = SpecialCommittee.objects.filter(
            committee=committee
        )
        self.fields["group"].queryset = MemberGroup.objects.filter(committee=committee)
        self.fields["sector"].queryset = Sector.objects.filter(committee=committee)
        self.fields["memberships"].queryset = (
            Membership.objects.filter(committee=committee)
            .in_office()
            .select_related("person", "sector")
            .order_by("person__name", "pk")
        )

    def service_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "attachments"}


def initial_of(notice):
    return {
        "title": notice.title,
        "body": notice.body,
        "by": notice.audience,
        "special_committee": notice.audience_special_committee_id,
        "group": notice.audience_group_id,
        "sector": notice.audience_sector_id,
        "memberships": [m.pk for m in notice.audience_memberships.all()],
        "reply_required": notice.reply_required,
        "reply_by": notice.reply_by,
    }


class WithdrawForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("撤回原因"), max_length=255, required=False)


class AcknowledgeForm(BootstrapFormMixin, forms.Form):
    reply = forms.CharField(
        label=_("回复(可不填)"),
        max_length=200,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 200}),
        error_messages={"max_length": _("回执内容不能超过200个字。")},
    )


class NoticeFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + NoticeState.choices
    )
    q = forms.CharField(label=_("标题"), required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if select else "form-control form-control-sm"
            )

    def filters(self):
        if not self.is_valid():
            return {}
        return {k: v.strip() if isinstance(v, str) else v for k, v in self.cleaned_data.items()}
