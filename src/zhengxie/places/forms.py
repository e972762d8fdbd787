"""Forms of the places pages. Validation beyond field types lives in ``places.services``."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.organisation.models import HandlingUnit, MemberGroup, Membership
from zhengxie.places.models import HalfDay, RoomKind, RoomLevel, RoomState

DATE = {"invalid": _("日期格式不正确。"), "required": _("请填写日期。")}
WEEKDAYS = [
    (0, _("周一")),
    (1, _("周二")),
    (2, _("周三")),
    (3, _("周四")),
    (4, _("周五")),
    (5, _("周六")),
    (6, _("周日")),
]


def _members(committee):
    return (
        Membership.objects.in_office()
        .filter(committee=committee)
        .select_related("person")
        .order_by("person__name", "pk")
    )


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.person.name


class RoomFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("层级"), required=False, choices=[("", _("全部"))] + RoomLevel.choices
    )
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + RoomState.choices
    )
    township = forms.ChoiceField(label=_("乡镇(街道)"), required=False)
    q = forms.CharField(label=_("名称或地址"), required=False, max_length=50)

    def __init__(self, *args, townships=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [("", _("全部"))] + [(t, t) for t in townships]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs["class"] = f"{css} form-select-sm"

    def filters(self):
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class RoomForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=128, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=RoomKind.choices)
    level = forms.ChoiceField(label=_("层级"), choices=RoomLevel.choices)
    township = forms.CharField(label=_("所在乡镇(街道)"), max_length=64, required=False)
    address = forms.CharField(label=_("地址"), max_length=255, required=False)
    contact = forms.CharField(label=_("联系方式"), max_length=64, required=False)
    group = forms.ModelChoiceField(
        label=_("委员活动小组"), queryset=MemberGroup.objects.none(), required=False
    )
    is_public = forms.BooleanField(label=_("在公众页面展示"), required=False, initial=True)
    opened_on = forms.DateField(
        label=_("启用日期"),
        required=False,
        help_text=_("已在使用的场所填写启用日期;新建的场所留空,建成后再“投入使用”。"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE,
    )

    def __init__(self, *args, committee, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = MemberGroup.objects.filter(committee=committee)
        if editing:
            del self.fields["opened_on"]


class RoomActionForm(BootstrapFormMixin, forms.Form):
    on = forms.DateField(
        label=_("生效日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE,
    )
    note = forms.CharField(label=_("说明"), max_length=255, required=False)


class ShiftForm(BootstrapFormMixin, forms.Form):
    mode = forms.ChoiceField(
        label=_("安排方式"),
        choices=[("one", _("单个班次")), ("month", _("整月按星期安排"))],
        widget=forms.RadioSelect,
        initial="one",
    )
    date = forms.DateField(
        label=_("值班日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE,
    )
    month = forms.CharField(
        label=_("月份"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("如 2026-03"),
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("每周值班日"),
        choices=WEEKDAYS,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    half_day = forms.ChoiceField(label=_("时段"), choices=HalfDay.choices)
    memberships = MemberChoiceField(
        label=_("值班委员"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    note = forms.CharField(label=_("备注"), max_length=255, required=False)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["memberships"].queryset = _members(committee)

    def clean(self):
        from zhengxie.places.services import month_dates

        data = super().clean()
        if data.get("mode") == "month":
            try:
                year, month = (int(p) for p in (data.get("month") or "").split("-"))
                data["dates"] = month_dates(year, month, data.get("weekdays") or [])
            except ValueError:
                self.add_error("month", _("请填写月份,如 2026-03。"))
                return data
            if not data.get("weekdays"):
                self.add_error("weekdays", _("请选择每周值班日。"))
        else:
            data["dates"] = [data["date"]] if data.get("date") else []
        return data


class VisitForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(
        label=_("接待日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE,
    )
    members = MemberChoiceField(
        label=_("接待委员"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    residents_count = forms.IntegerField(
        label=_("接待群众(人次)"),
        min_value=0,
        initial=1,
        error_messages={"min_value": _("接待人次不能为负数。"), "invalid": _("请填写整数。")},
    )
    summary = forms.CharField(
        label=_("接待情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    issue_text = forms.CharField(
        label=_("群众反映的问题"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("一次登记一件;更多问题可在接待记录中继续添加。"),
    )
    resident_name = forms.CharField(label=_("反映人(可不填)"), max_length=32, required=False)
    contact = forms.CharField(label=_("联系方式(可不填)"), max_length=64, required=False)

    def __init__(self, *args, committee, shift=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = _members(committee)
        if shift is not None:
            del self.fields["date"]
            self.fields["members"].initial = [sm.membership_id for sm in shift.shift_members.all()]
        else:
            self.fields["date"].initial = timezone.localdate()


class IssueForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("群众反映的问题"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    resident_name = forms.CharField(label=_("反映人(可不填)"), max_length=32, required=False)
    contact = forms.CharField(label=_("联系方式(可不填)"), max_length=64, required=False)


class ToOpinionForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    situation = forms.CharField(
        label=_("基本情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    analysis = forms.CharField(
        label=_("分析"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    suggestion = forms.CharField(
        label=_("建议"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ToProposalForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("案由"), max_length=200, required=False)
    situation = forms.CharField(
        label=_("情况与分析"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    suggestions = forms.CharField(
        label=_("具体建议"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ToUnitForm(BootstrapFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("转交单位"),
        queryset=HandlingUnit.objects.none(),
        error_messages={
            "required": _("请选择转交的单位。"),
            "invalid_choice": _("请选择转交的单位。"),
        },
    )
    text = forms.CharField(
        label=_("转办意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    due_on = forms.DateField(
        label=_("反馈期限"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE,
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(
            committee=committee, is_active=True
        ).order_by("name")


class OnSpotForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("解答情况"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


ROUTE_FORMS = {
    "to_opinion": ToOpinionForm,
    "to_proposal": ToProposalForm,
    "to_unit": ToUnitForm,
    "on_spot": OnSpotForm,
}


def route_form(action, data=None, *, committee, issue=None):
    cls = ROUTE_FORMS[action]
    kwargs = {"prefix": action}
    if cls is ToUnitForm:
        kwargs["committee"] = committee
    if issue is not None and data is None:
        kwargs["initial"] = {"situation": issue.text, "text": issue.text}
    return cls(data, **kwargs)


class MessageForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("留言内容"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        max_length=1000,
        error_messages={"required": _("请填写留言内容。"), "max_length": _("留言不能超过1000字。")},
    )


class ConvertForm(BootstrapFormMixin, forms.Form):
    resident_name = forms.CharField(label=_("反映人(可不填)"), max_length=32, required=False)
    contact = forms.CharField(label=_("联系方式(可不填)"), max_length=64, required=False)


def month_of(value):
    """(year, month) from "YYYY-MM", default this month."""
    try:
        year, month = (int(p) for p in (value or "").split("-"))
        datetime.date(year, month, 1)
        return year, month
    except ValueError:
        today = timezone.localdate()
        return today.year, today.month
