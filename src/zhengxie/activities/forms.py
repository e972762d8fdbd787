"""Forms of the activity pages. They collect input; the services validate and write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengxie.activities.models import (
    ActivityState,
    Attendance,
    Category,
    ParticipantRole,
    PlanKind,
)
from zhengxie.core.config import get_setting
from zhengxie.core.forms import BootstrapFormMixin, xlsx_file_field
from zhengxie.organisation.models import (
    Committee,
    MemberGroup,
    Membership,
    MembershipStatus,
    Sector,
    SpecialCommittee,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ListFilterForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部"))] + Category.choices
    )
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + ActivityState.choices
    )
    q = forms.CharField(label=_("名称或地点"), required=False, max_length=100)

    def filters(self):
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: data[k] for k in ("year", "category", "state", "q") if data.get(k)}


class ActivityForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=200)
    category = forms.ChoiceField(
        label=_("类别"), choices=Category.choices, help_text=_("统计按类别计算")
    )
    kind = forms.ChoiceField(label=_("活动形式"), required=False)
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    ends_on = forms.DateField(label=_("结束日期"), required=False, widget=DATE)
    half_days = forms.DecimalField(
        label=_("时长(半天)"),
        required=False,
        max_digits=4,
        decimal_places=1,
        help_text=_("每位参加委员的履职时长;不填则按天数×2计算"),
    )
    signup_deadline = forms.DateField(label=_("报名截止"), required=False, widget=DATE)
    place = forms.CharField(label=_("地点"), required=False, max_length=128)
    organiser = forms.CharField(label=_("组织单位"), required=False, max_length=128)
    special_committee = forms.ModelChoiceField(
        label=_("组织专委会"), required=False, queryset=SpecialCommittee.objects.none()
    )
    group = forms.ModelChoiceField(
        label=_("组织委员小组"), required=False, queryset=MemberGroup.objects.none()
    )
    sector = forms.ModelChoiceField(
        label=_("组织界别"), required=False, queryset=Sector.objects.none()
    )
    description = forms.CharField(
        label=_("活动内容"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = get_setting(committee, "activity_kinds")
        current = self.initial.get("kind")
        choices = [("", "—")] + [(k, k) for k in kinds]
        if current and current not in kinds:
            choices.append((current, current))
        self.fields["kind"].choices = choices
        self.fields["special_committee"].queryset = SpecialCommittee.objects.filter(
            committee=committee
        ).order_by("position", "pk")
        self.fields["group"].queryset = MemberGroup.objects.filter(committee=committee).order_by(
            "position", "pk"
        )
        self.fields["sector"].queryset = Sector.objects.filter(committee=committee).order_by(
            "position", "pk"
        )


def _members(committee):
    return (
        Membership.objects.filter(committee=committee, status=MembershipStatus.IN_OFFICE)
        .select_related("person")
        .order_by("person__name", "pk")
    )


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.person.name + (f"({obj.number})" if obj.number else "")


class AssignForm(BootstrapFormMixin, forms.Form):
    """Staff add their own committee's members: picked one by one, or a whole group or sector."""

    memberships = MemberChoiceField(
        label=_("委员"),
        required=False,
        queryset=Membership.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    group = forms.ModelChoiceField(
        label=_("或整个委员小组"), required=False, queryset=MemberGroup.objects.none()
    )
    sector = forms.ModelChoiceField(
        label=_("或整个界别"), required=False, queryset=Sector.objects.none()
    )
    role = forms.ChoiceField(
        label=_("角色"), choices=ParticipantRole.choices, initial=ParticipantRole.PARTICIPANT
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        self.fields["memberships"].queryset = _members(committee)
        self.fields["group"].queryset = MemberGroup.objects.filter(committee=committee)
        self.fields["sector"].queryset = Sector.objects.filter(committee=committee)

    def chosen(self):
        data = self.cleaned_data
        chosen = list(data.get("memberships") or [])
        members = _members(self.committee)
        if data.get("group"):
            chosen += list(members.filter(group=data["group"]))
        if data.get("sector"):
            chosen += list(members.filter(sector=data["sector"]))
        return list(dict.fromkeys(chosen))


class ReportForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("报告标题"), max_length=200)
    written_on = forms.DateField(label=_("成文日期"), widget=DATE)
    authors = MemberChoiceField(
        label=_("执笔委员"),
        required=False,
        queryset=Membership.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("按署名顺序选择;执笔委员计入履职记录"),
    )
    adopted_on = forms.DateField(label=_("采纳日期"), required=False, widget=DATE)
    text = forms.CharField(
        label=_("报告正文"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    attachment = forms.FileField(label=_("附件"), required=False)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authors"].queryset = _members(committee)


class ReportEditForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("报告标题"), max_length=200)
    adopted_on = forms.DateField(label=_("采纳日期"), required=False, widget=DATE)
    text = forms.CharField(
        label=_("报告正文"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class ShareForm(BootstrapFormMixin, forms.Form):
    committee = forms.ModelChoiceField(label=_("联动政协"), queryset=Committee.objects.none())

    def __init__(self, *args, own, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = Committee.objects.exclude(pk=own.pk).order_by(
            "level", "name"
        )


class PlanForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("类型"), choices=PlanKind.choices)
    special_committee = forms.ModelChoiceField(
        label=_("专门委员会"),
        required=False,
        queryset=SpecialCommittee.objects.none(),
        help_text=_("专委会工作计划必填"),
    )
    title = forms.CharField(
        label=_("名称"), required=False, max_length=128, help_text=_("不填则自动生成")
    )
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["special_committee"].queryset = SpecialCommittee.objects.filter(
            committee=committee
        )


class PlanItemForm(BootstrapFormMixin, forms.Form):
    topic = forms.CharField(label=_("议题"), max_length=200)
    category = forms.ChoiceField(label=_("活动类别"), choices=Category.choices)
    lead_special_committee = forms.ModelChoiceField(
        label=_("牵头专委会"), required=False, queryset=SpecialCommittee.objects.none()
    )
    lead_office = forms.CharField(label=_("牵头科室"), required=False, max_length=64)
    lead_chair = forms.CharField(label=_("牵头领导"), required=False, max_length=32)
    planned_month = forms.IntegerField(
        label=_("计划月份"), required=False, min_value=1, max_value=12
    )
    planned_quarter = forms.IntegerField(
        label=_("计划季度"), required=False, min_value=1, max_value=4
    )
    note = forms.CharField(label=_("备注"), required=False, max_length=255)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_special_committee"].queryset = SpecialCommittee.objects.filter(
            committee=committee
        )


class HistoryUploadForm(forms.Form):
    file = xlsx_file_field(_("历史活动文件(.xlsx)"))


def attendance_entries(post, participations):
    """{participation id: {attendance, half_days, role}} from the bulk attendance form."""
    entries = {}
    for p in participations:
        attendance = post.get(f"attendance_{p.pk}")
        if attendance is None:
            continue
        entries[p.pk] = {
            "attendance": attendance,
            "half_days": post.get(f"half_days_{p.pk}", "").strip() or None,
            "role": post.get(f"role_{p.pk}") or p.role,
        }
    return entries


ATTENDANCE_CHOICES = Attendance.choices
ROLE_CHOICES = ParticipantRole.choices
