"""Forms of the organisation pages: they validate input only; services do the writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengxie.core.forms import BootstrapFormMixin, xlsx_file_field
from zhengxie.organisation.importers import id_number_is_valid
from zhengxie.organisation.models import (
    Gender,
    HandlingUnit,
    MemberGroup,
    MembershipStatus,
    Office,
    Person,
    PositionEndReason,
    PositionKind,
    Sector,
    Session,
    SpecialCommittee,
    StatusChangeKind,
    Term,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DirectoryFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("姓名"), required=False, max_length=32)
    sector = forms.ModelChoiceField(
        label=_("界别"), queryset=Sector.objects.none(), required=False, empty_label=_("全部界别")
    )
    party = forms.ChoiceField(label=_("党派"), required=False)
    group = forms.ModelChoiceField(
        label=_("活动小组"),
        queryset=MemberGroup.objects.none(),
        required=False,
        empty_label=_("全部小组"),
    )
    special_committee = forms.ModelChoiceField(
        label=_("专门委员会"),
        queryset=SpecialCommittee.objects.none(),
        required=False,
        empty_label=_("全部专委会"),
    )
    standing = forms.ChoiceField(
        label=_("常委"),
        required=False,
        choices=[("", _("全部")), ("yes", _("常委")), ("no", _("非常委"))],
    )
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部状态")), *MembershipStatus.choices],
    )
    ethnicity = forms.ChoiceField(label=_("民族"), required=False)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = choices or {"parties": [], "ethnicities": []}
        self.fields["sector"].queryset = Sector.objects.all()
        self.fields["group"].queryset = MemberGroup.objects.all()
        self.fields["special_committee"].queryset = SpecialCommittee.objects.all()
        self.fields["party"].choices = [("", _("全部党派"))] + [(p, p) for p in choices["parties"]]
        self.fields["ethnicity"].choices = [("", _("全部民族"))] + [
            (e, e) for e in choices["ethnicities"]
        ]

    def filters(self):
        """Keyword arguments for ``queries.membership_directory`` (invalid input: no filter)."""
        data = self.cleaned_data if self.is_valid() else {}
        standing = data.get("standing")
        return {
            "q": data.get("q") or None,
            "sector": data.get("sector"),
            "party": data.get("party") or None,
            "group": data.get("group"),
            "special_committee": data.get("special_committee"),
            "standing": {"yes": True, "no": False}.get(standing),
            "status": data.get("status") or None,
            "ethnicity": data.get("ethnicity") or None,
        }


class RosterUploadForm(BootstrapFormMixin, forms.Form):
    term = forms.ModelChoiceField(label=_("届次"), queryset=Term.objects.none(), empty_label=None)
    file = xlsx_file_field(_("名册文件(.xlsx)"))

    def __init__(self, *args, current_term=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.all()
        if current_term is not None:
            self.fields["term"].initial = current_term.pk


class PersonForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "name",
            "gender",
            "ethnicity",
            "birth_year",
            "party",
            "religion",
            "education",
            "id_number",
            "phone",
            "email",
        ]
        widgets = {"id_number": forms.TextInput(), "phone": forms.TextInput()}

    def clean_gender(self):
        value = self.cleaned_data["gender"]
        if value not in Gender.values:
            raise forms.ValidationError(_("请选择性别。"))
        return value

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        unchanged = self.instance.pk and value == (self.instance.id_number or "").upper()
        if value and not unchanged and not id_number_is_valid(value):
            raise forms.ValidationError(_("请输入有效的18位身份证号。"))
        return value

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        if value and not (len(value) == 11 and value.isdigit() and value.startswith("1")):
            raise forms.ValidationError(_("请输入11位手机号码。"))
        return value


class MembershipForm(BootstrapFormMixin, forms.Form):
    term = forms.ModelChoiceField(label=_("届次"), queryset=Term.objects.none(), empty_label=None)
    sector = forms.ModelChoiceField(label=_("界别"), queryset=Sector.objects.none())
    group = forms.ModelChoiceField(
        label=_("活动小组"), queryset=MemberGroup.objects.none(), required=False
    )
    number = forms.CharField(label=_("委员编号"), max_length=16, required=False)
    work_unit = forms.CharField(label=_("工作单位"), max_length=128, required=False)
    job_title = forms.CharField(label=_("职务"), max_length=128, required=False)
    joined_on = forms.DateField(label=_("任职日期"), widget=DATE)

    def __init__(self, *args, with_term=True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_term:
            self.fields["term"].queryset = Term.objects.all()
        else:
            del self.fields["term"]
        self.fields["sector"].queryset = Sector.objects.all()
        self.fields["group"].queryset = MemberGroup.objects.all()


class NewMembershipForm(MembershipForm):
    kind = forms.ChoiceField(
        label=_("产生方式"),
        choices=[
            (StatusChangeKind.ELECTED, StatusChangeKind.ELECTED.label),
            (StatusChangeKind.ADDED, StatusChangeKind.ADDED.label),
        ],
    )
    decided_by = forms.CharField(label=_("决定会议"), max_length=128, required=False)


class StatusChangeForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("变动"),
        choices=[
            (k, k.label)
            for k in (
                StatusChangeKind.RESIGNED,
                StatusChangeKind.REMOVED,
                StatusChangeKind.ENDED,
                StatusChangeKind.ADDED,
            )
        ],
    )
    effective_on = forms.DateField(label=_("日期"), widget=DATE)
    decided_by = forms.CharField(
        label=_("决定会议"), max_length=128, help_text=_("如:十届常委会第五次会议")
    )
    note = forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PositionStartForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=PositionKind.choices)
    office = forms.ChoiceField(
        label=_("领导职务"), choices=[("", "—"), *Office.choices], required=False
    )
    special_committee = forms.ModelChoiceField(
        label=_("专门委员会"), queryset=SpecialCommittee.objects.none(), required=False
    )
    role_title = forms.CharField(
        label=_("职务名称"), max_length=32, required=False, help_text=_("如:主任、副主任、委员")
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=DATE)
    decided_by = forms.CharField(label=_("决定会议"), max_length=128, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["special_committee"].queryset = SpecialCommittee.objects.all()


class PositionEndForm(BootstrapFormMixin, forms.Form):
    ends_on = forms.DateField(label=_("结束日期"), widget=DATE)
    reason = forms.ChoiceField(label=_("结束原因"), choices=PositionEndReason.choices)
    decided_by = forms.CharField(label=_("决定会议"), max_length=128, required=False)


# Structure ---------------------------------------------------------------------------------


class TermForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Term
        fields = ["number", "name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class SessionForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = ["term", "number", "name", "opens_on", "closes_on", "proposal_deadline"]
        widgets = {"opens_on": DATE, "closes_on": DATE, "proposal_deadline": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].queryset = Term.objects.all()


class SectorForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Sector
        fields = ["name", "position"]


class SpecialCommitteeForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = SpecialCommittee
        fields = ["name", "handles_proposals", "position"]


class MemberGroupForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = MemberGroup
        fields = ["name", "kind", "position"]


class HandlingUnitForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = HandlingUnit
        fields = ["name", "short_name", "kind", "contact_name", "contact_phone", "is_active"]


STRUCTURE_FORMS = {
    "term": (TermForm, _("届次")),
    "session": (SessionForm, _("会议")),
    "sector": (SectorForm, _("界别")),
    "special-committee": (SpecialCommitteeForm, _("专门委员会")),
    "group": (MemberGroupForm, _("委员活动小组")),
    "unit": (HandlingUnitForm, _("承办单位")),
}
