"""Forms of the study pages. They collect input; ``study.services`` validates and writes."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.organisation.models import (
    MemberGroup,
    Membership,
    MembershipStatus,
    Sector,
    SpecialCommittee,
)
from zhengxie.organisation.queries import AUDIENCES
from zhengxie.study.models import (
    AttendanceState,
    MaterialKind,
    SessionKind,
    SessionState,
    StudyKind,
    StudySession,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("日期格式不正确。"), "required": _("请填写日期。")}


def _members(committee):
    return (
        Membership.objects.filter(committee=committee, status=MembershipStatus.IN_OFFICE)
        .select_related("person")
        .order_by("person__name", "pk")
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.person.name + (f"({obj.number})" if obj.number else "")


class MemberMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.person.name + (f"({obj.number})" if obj.number else "")


class AudienceMixin(forms.Form):
    """The audience of a plan item or the invitees of a session, as for meeting invitations."""

    audience = forms.ChoiceField(
        label=_("学习对象"), choices=list(AUDIENCES.items()), widget=forms.RadioSelect
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
    )

    def _audience_querysets(self, committee):
        self.fields["special_committee"].queryset = SpecialCommittee.objects.filter(
            committee=committee
        )
        self.fields["group"].queryset = MemberGroup.objects.filter(committee=committee)
        self.fields["sector"].queryset = Sector.objects.filter(committee=committee)
        self.fields["memberships"].queryset = _members(committee)


class PlanForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("年度"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": _("请填写年度。"),
            "invalid": _("年度应为四位数字。"),
            "min_value": _("年度超出范围。"),
            "max_value": _("年度超出范围。"),
        },
    )
    title = forms.CharField(
        label=_("计划名称"), max_length=128, required=False, help_text=_("不填则为“某年度学习计划”")
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PlanItemForm(BootstrapFormMixin, AudienceMixin, forms.Form):
    topic = forms.CharField(label=_("学习主题"), max_length=200)
    kind = forms.ChoiceField(label=_("形式"), choices=StudyKind.choices)
    planned_on = forms.DateField(
        label=_("计划日期"), required=False, widget=DATE, error_messages=DATE_ERRORS
    )
    planned_month = forms.TypedChoiceField(
        label=_("或计划月份"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", "—")] + [(m, _("%(m)s月") % {"m": m}) for m in range(1, 13)],
    )
    note = forms.CharField(label=_("备注"), max_length=255, required=False)

    field_order = ["topic", "kind", "planned_on", "planned_month", "audience"]

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self._audience_querysets(committee)
        self.fields["audience"].initial = "all"


class InviteForm(BootstrapFormMixin, AudienceMixin, forms.Form):
    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self._audience_querysets(committee)
        self.fields["audience"].label = _("通知范围")


class SessionForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类别"), choices=SessionKind.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    date = forms.DateField(label=_("日期"), widget=DATE, error_messages=DATE_ERRORS)
    half_days = forms.DecimalField(
        label=_("时长(半天)"),
        max_digits=4,
        decimal_places=1,
        initial=1,
        help_text=_("出席委员计入履职的时长,如 0.5、1、2"),
        error_messages={"invalid": _("时长请填写数字(以半天计)。")},
    )
    place = forms.CharField(label=_("地点"), max_length=128, required=False)
    speaker = forms.CharField(label=_("主讲人"), max_length=128, required=False)
    signup_open = forms.BooleanField(label=_("允许委员自主报名(培训)"), required=False)
    description = forms.CharField(
        label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("原因"), max_length=255, required=False)


class SessionFilterForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部"))] + SessionKind.choices
    )
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + SessionState.choices
    )
    q = forms.CharField(label=_("名称、主讲人或地点"), required=False, max_length=50)

    def filters(self):
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class MaterialForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("资料名称"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=MaterialKind.choices)
    url = forms.CharField(
        label=_("链接地址"),
        max_length=500,
        required=False,
        help_text=_("以 http:// 或 https:// 开头"),
    )
    file = forms.FileField(label=_("附件(可选)"), required=False)
    tags = forms.CharField(
        label=_("主题标签"), max_length=200, required=False, help_text=_("多个标签用顿号或逗号分隔")
    )
    description = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MaterialFilterForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部"))] + MaterialKind.choices
    )
    tag = forms.ChoiceField(label=_("主题标签"), required=False)
    q = forms.CharField(label=_("名称或简介"), required=False, max_length=50)

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("全部"))] + [(t, t) for t in tags]

    def filters(self):
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class DistributionForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(label=_("发放日期"), widget=DATE, error_messages=DATE_ERRORS)
    copies = forms.IntegerField(
        label=_("发放数量(册)"),
        min_value=1,
        initial=1,
        error_messages={
            "min_value": _("发放数量应为至少1册的整数。"),
            "invalid": _("发放数量应为至少1册的整数。"),
            "required": _("请填写发放数量。"),
        },
    )
    session = forms.ModelChoiceField(
        label=_("学习培训活动(可选)"), queryset=StudySession.objects.none(), required=False
    )
    recipients = forms.CharField(label=_("发放对象"), max_length=255, required=False)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        self.fields["session"].queryset = (
            StudySession.objects.filter(committee=committee)
            .exclude(state=SessionState.CANCELLED)
            .order_by("-date", "-pk")
        )


class GroupForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(label=_("小组名称"), max_length=64)
    leader = MemberChoiceField(label=_("组长"), queryset=Membership.objects.none(), required=False)
    members = MemberMultipleChoiceField(
        label=_("成员"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("组长自动计入成员"),
    )
    current_book = forms.CharField(label=_("在读书目"), max_length=200, required=False)
    description = forms.CharField(
        label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = _members(committee)
        self.fields["members"].queryset = _members(committee)


class ReadingSessionForm(BootstrapFormMixin, forms.Form):
    date = forms.DateField(label=_("日期"), widget=DATE, error_messages=DATE_ERRORS)
    book_title = forms.CharField(
        label=_("书目"), max_length=200, required=False, help_text=_("不填则为小组在读书目")
    )
    half_days = forms.DecimalField(
        label=_("时长(半天)"),
        max_digits=4,
        decimal_places=1,
        initial=1,
        error_messages={"invalid": _("时长请填写数字(以半天计)。")},
    )
    plan_item = forms.ModelChoiceField(label=_("计划事项(可选)"), queryset=None, required=False)
    notes = forms.CharField(
        label=_("活动记录"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, plan_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = plan_items


class NotesForm(BootstrapFormMixin, forms.Form):
    notes = forms.CharField(
        label=_("活动记录"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


def attendance_entries(post, rows):
    """{row id: state} from a bulk attendance form (rows not in the form are left alone)."""
    entries = {}
    for row in rows:
        state = post.get(f"state_{row.pk}")
        if state is not None:
            entries[row.pk] = state
    return entries


ATTENDANCE_CHOICES = AttendanceState.choices
