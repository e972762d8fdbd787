"""Forms of the meeting pages; services do the checking that matters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengxie.core.config import get_setting
from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.meetings.models import DecisionKind, MeetingCategory
from zhengxie.organisation.models import (
    MemberGroup,
    Membership,
    Person,
    Sector,
    Session,
    SpecialCommittee,
)
from zhengxie.organisation.queries import AUDIENCES
from zhengxie.proposals.models import KeyState, Proposal

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MOMENT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _members(committee):
    return (
        Membership.objects.filter(committee=committee)
        .in_office()
        .select_related("person", "sector")
        .order_by("person__name")
    )


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.name}({obj.sector.name})"


class MemberMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.name}({obj.sector.name})"


class MeetingForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("会议类别"), choices=MeetingCategory.choices)
    kind_label = forms.ChoiceField(label=_("具体类型(其他会议)"), required=False)
    title = forms.CharField(label=_("会议名称"), max_length=200)
    session = forms.ModelChoiceField(
        label=_("届次会议(全体会议必选)"), queryset=Session.objects.none(), required=False
    )
    special_committee = forms.ModelChoiceField(
        label=_("专门委员会(专委会会议必选)"),
        queryset=SpecialCommittee.objects.none(),
        required=False,
    )
    starts_at = forms.DateTimeField(
        label=_("开始时间"), widget=MOMENT, input_formats=MOMENT_FORMATS
    )
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=MOMENT, input_formats=MOMENT_FORMATS)
    place = forms.CharField(label=_("地点"), max_length=128)
    half_days = forms.DecimalField(
        label=_("会期(半天)"), min_value=0.5, max_value=20, decimal_places=1, initial=1
    )
    description = forms.CharField(
        label=_("会议说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(committee=committee).order_by(
            "-opens_on"
        )
        self.fields["special_committee"].queryset = SpecialCommittee.objects.filter(
            committee=committee
        )
        kinds = get_setting(committee, "meeting_kinds")
        self.fields["kind_label"].choices = [("", "—"), *[(k, k) for k in kinds]]


class InviteForm(BootstrapFormMixin, forms.Form):
    by = forms.ChoiceField(
        label=_("邀请范围"), choices=list(AUDIENCES.items()), widget=forms.RadioSelect
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

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["special_committee"].queryset = SpecialCommittee.objects.filter(
            committee=committee
        )
        self.fields["group"].queryset = MemberGroup.objects.filter(committee=committee)
        self.fields["sector"].queryset = Sector.objects.filter(committee=committee)
        self.fields["memberships"].queryset = _members(committee)


class AgendaItemForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("议程"), max_length=200)
    presenter = forms.CharField(label=_("汇报人/主持人"), max_length=64, required=False)
    file = forms.FileField(label=_("会议材料(可选)"), required=False)


class LeaveForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("请假事由"), max_length=255, widget=forms.Textarea(attrs={"rows": 2})
    )


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("原因"), max_length=255, widget=forms.TextInput())


class MinutesForm(BootstrapFormMixin, forms.Form):
    minutes = forms.CharField(
        label=_("会议纪要"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )


class DecisionForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("决定事项"), choices=DecisionKind.choices)
    text = forms.CharField(label=_("决定内容"), widget=forms.Textarea(attrs={"rows": 2}))
    effective_on = forms.DateField(label=_("生效日期"), widget=DATE)
    membership = MemberChoiceField(
        label=_("委员(辞去、撤销、常委变动)"), queryset=Membership.objects.none(), required=False
    )
    person = forms.ModelChoiceField(
        label=_("增补人员"), queryset=Person.objects.none(), required=False
    )
    sector = forms.ModelChoiceField(
        label=_("增补委员所在界别"), queryset=Sector.objects.none(), required=False
    )
    proposal = forms.ModelChoiceField(
        label=_("重点提案(拟定待决定的)"), queryset=Proposal.objects.none(), required=False
    )
    leader = forms.CharField(label=_("领办领导"), max_length=64, required=False)
    supervisor = forms.CharField(label=_("领衔督办的政协领导"), max_length=64, required=False)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = _members(committee)
        self.fields["person"].queryset = Person.objects.filter(committee=committee).order_by("name")
        self.fields["sector"].queryset = Sector.objects.filter(committee=committee)
        self.fields["proposal"].queryset = Proposal.objects.filter(
            committee=committee, key_state=KeyState.PROPOSED
        ).order_by("number")
