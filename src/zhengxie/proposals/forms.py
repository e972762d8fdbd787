"""Forms of the proposal pages; each action's payload form is named in ACTION_FORMS."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengxie.core.config import get_setting
from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.organisation.models import HandlingUnit, Membership, MembershipStatus, Sector
from zhengxie.proposals.models import (
    ContactWay,
    Proposal,
    ProposalCategory,
    ProposalState,
    Satisfaction,
    SubmitterType,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _units():
    return HandlingUnit.objects.filter(is_active=True).order_by("kind", "name")


class ProposalForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label=_("案由"), max_length=200, help_text=_("一事一案,如“关于……的建议”")
    )
    category = forms.ModelChoiceField(
        label=_("类别"), queryset=ProposalCategory.objects.none(), required=False
    )
    situation = forms.CharField(label=_("情况与分析"), widget=forms.Textarea(attrs={"rows": 8}))
    suggestions = forms.CharField(label=_("具体建议"), widget=forms.Textarea(attrs={"rows": 8}))
    suggested_units = forms.ModelMultipleChoiceField(
        label=_("建议承办单位"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    cosigners = forms.ModelMultipleChoiceField(
        label=_("联名委员"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("选择联名委员后,提交时将请他们在线确认;逾期未确认的不计入联名。"),
    )
    publish_consent = forms.BooleanField(label=_("同意公开"), required=False, initial=True)
    no_publish_reason = forms.CharField(label=_("不公开理由"), max_length=255, required=False)
    attachment = forms.FileField(
        label=_("附件"), required=False, help_text=_("可上传PDF、Word、图片等,按文件内容校验类型。")
    )

    def __init__(self, *args, committee, lead=None, body_entry=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = ProposalCategory.objects.filter(is_active=True)
        self.fields["suggested_units"].queryset = _units()
        if body_entry:
            del self.fields["cosigners"]
            self.fields = {
                "submitter_type": forms.ChoiceField(
                    label=_("提案者类型"),
                    choices=[c for c in SubmitterType.choices if c[0] not in ("member", "joint")],
                ),
                "submitting_body": forms.CharField(label=_("提案单位"), max_length=128),
                **self.fields,
            }
            self.fields["submitter_type"].widget.attrs["class"] = "form-select"
            self.fields["submitting_body"].widget.attrs["class"] = "form-control"
        else:
            members = Membership.objects.filter(status=MembershipStatus.IN_OFFICE).select_related(
                "person", "sector"
            )
            if lead is not None:
                members = members.filter(term=lead.term).exclude(pk=lead.pk)
            self.fields["cosigners"].queryset = members.order_by("sector__position", "person__name")
            self.fields["cosigners"].label_from_instance = lambda m: (
                f"{m.person.name}({m.sector.name})"
            )
        limit = get_setting(committee, "proposal_max_length")
        self.fields["suggestions"].help_text = _("情况与分析、具体建议合计不超过%(n)s字。") % {
            "n": limit
        }


# Proposal-level action payloads --------------------------------------------------------


class NoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RequiredNoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}))


class RegisterForm(BootstrapFormMixin, forms.Form):
    number = forms.IntegerField(
        label=_("案号"), required=False, min_value=1, help_text=_("留空则自动编号")
    )
    note = forms.CharField(
        label=_("审查意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NotRegisterForm(BootstrapFormMixin, forms.Form):
    ground = forms.ChoiceField(label=_("不立案理由"))
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        grounds = get_setting(proposal.committee, "not_registered_grounds")
        self.fields["ground"].choices = [("", "—")] + [(g, g) for g in grounds]


class OpinionLetterForm(BootstrapFormMixin, forms.Form):
    letter_unit = forms.ModelChoiceField(label=_("转交单位"), queryset=HandlingUnit.objects.none())
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["letter_unit"].queryset = _units()


class MergeForm(BootstrapFormMixin, forms.Form):
    merge_into = forms.ModelChoiceField(label=_("并入主提案"), queryset=Proposal.objects.none())
    note = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merge_into"].queryset = (
            Proposal.objects.filter(
                session=proposal.session,
                merged_into__isnull=True,
                state__in=(
                    ProposalState.SUBMITTED,
                    ProposalState.UNDER_REVIEW,
                    ProposalState.REGISTERED,
                    ProposalState.ASSIGNED,
                ),
            )
            .exclude(pk=proposal.pk)
            .order_by("number", "pk")
        )
        self.fields["merge_into"].label_from_instance = lambda p: (
            f"{p.number_label or '未编号'} {p.title}"
        )


class AssignForm(BootstrapFormMixin, forms.Form):
    mode = forms.ChoiceField(
        label=_("办理方式"),
        choices=[("single", _("单办")), ("split", _("分办")), ("joint", _("会办"))],
    )
    units = forms.ModelMultipleChoiceField(
        label=_("承办单位"),
        queryset=HandlingUnit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    main_unit = forms.ModelChoiceField(
        label=_("主办单位(会办时)"), queryset=HandlingUnit.objects.none(), required=False
    )

    def __init__(self, *args, proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = _units()
        self.fields["main_unit"].queryset = _units()
        if not self.is_bound:
            self.initial["units"] = list(proposal.suggested_units.values_list("pk", flat=True))


# Assignment-level action payloads ------------------------------------------------------


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ApproveReturnForm(BootstrapFormMixin, forms.Form):
    new_unit = forms.ModelChoiceField(label=_("改交单位"), queryset=HandlingUnit.objects.none())
    note = forms.CharField(label=_("说明"), required=False)

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_unit"].queryset = _units().exclude(pk=assignment.unit_id)


class ContactForm(BootstrapFormMixin, forms.Form):
    way = forms.ChoiceField(label=_("沟通方式"), choices=ContactWay.choices)
    contact_on = forms.DateField(label=_("沟通日期"), widget=DATE)
    summary = forms.CharField(label=_("沟通情况"), widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 6}))
    category = forms.ChoiceField(label=_("答复类别"), required=False)
    is_public = forms.BooleanField(label=_("答复可公开"), required=False, initial=True)
    document = forms.FileField(label=_("答复函(盖章扫描件)"), required=False)

    def __init__(self, *args, assignment, **kwargs):
        super().__init__(*args, **kwargs)
        categories = get_setting(assignment.committee, "reply_categories")
        self.fields["category"].choices = [("", "—")] + [
            (k, f"{k}类:{v}") for k, v in categories.items()
        ]
        if assignment.role == "letter":
            del self.fields["category"]


class ViewForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("会办意见"), widget=forms.Textarea(attrs={"rows": 4}))


class RateForm(BootstrapFormMixin, forms.Form):
    attitude = forms.ChoiceField(
        label=_("办理态度"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    result = forms.ChoiceField(
        label=_("办理结果"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    on_point = forms.BooleanField(label=_("答复切题"), required=False, initial=True)
    comment = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


PROPOSAL_ACTION_FORMS = {
    "withdraw": NoteForm,
    "start_review": NoteForm,
    "return": RequiredNoteForm,
    "register": RegisterForm,
    "not_register": NotRegisterForm,
    "to_opinion_letter": OpinionLetterForm,
    "to_public_opinion": NoteForm,
    "merge": MergeForm,
    "assign": AssignForm,
    "close": RequiredNoteForm,
}
ASSIGNMENT_ACTION_FORMS = {
    "request_return": ReasonForm,
    "approve_return": ApproveReturnForm,
    "deny_return": RequiredNoteForm,
    "contact": ContactForm,
    "reply": ReplyForm,
    "send_view": ViewForm,
    "rate": RateForm,
    "close": RequiredNoteForm,
}
NEEDS_OBJECT = {NotRegisterForm, OpinionLetterForm, MergeForm, AssignForm}
NEEDS_ASSIGNMENT = {ApproveReturnForm, ReplyForm}


def proposal_action_form(action, proposal, data=None, files=None):
    form_class = PROPOSAL_ACTION_FORMS.get(action)
    if form_class is None:
        return None
    kwargs = {"proposal": proposal} if form_class in NEEDS_OBJECT else {}
    return form_class(data, files, prefix=action, **kwargs)


def assignment_action_form(action, assignment, data=None, files=None):
    form_class = ASSIGNMENT_ACTION_FORMS.get(action)
    if form_class is None:
        return None
    kwargs = {"assignment": assignment} if form_class in NEEDS_ASSIGNMENT else {}
    return form_class(data, files, prefix=f"a{assignment.pk}-{action}", **kwargs)


class CategoryCorrectionForm(BootstrapFormMixin, forms.Form):
    category = forms.ChoiceField(label=_("核定类别"))

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        categories = get_setting(committee, "reply_categories")
        self.fields["category"].choices = [(k, f"{k}类") for k in categories]


class ExtensionForm(BootstrapFormMixin, forms.Form):
    until = forms.DateField(label=_("申请延期至"), widget=DATE)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class KeyDecisionForm(BootstrapFormMixin, forms.Form):
    decided_on = forms.DateField(label=_("主席会议日期"), widget=DATE)
    decided_by = forms.CharField(
        label=_("决定会议"), max_length=128, help_text=_("如:十届第三十次主席会议")
    )
    leader = forms.CharField(label=_("领办领导"), max_length=64, required=False)
    supervisor = forms.CharField(label=_("领衔督办政协领导"), max_length=64, required=False)


class SupervisionForm(BootstrapFormMixin, forms.Form):
    held_on = forms.DateField(label=_("督办日期"), widget=DATE)
    form = forms.CharField(
        label=_("督办形式"), max_length=32, help_text=_("如:面对面督办、实地视察、座谈会")
    )
    participants = forms.CharField(label=_("参加人员"), widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("督办情况"), widget=forms.Textarea(attrs={"rows": 3}))
    photo = forms.FileField(label=_("现场照片"), required=False, help_text=_("JPG 或 PNG 图片"))


class FollowUpForm(BootstrapFormMixin, forms.Form):
    due_on = forms.DateField(label=_("回头看日期"), widget=DATE)
    text = forms.CharField(
        label=_("跟踪事项"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ListFilterForm(BootstrapFormMixin, forms.Form):
    q = forms.CharField(label=_("案由/提案人"), required=False, max_length=50)
    session = forms.ModelChoiceField(
        label=_("会议"), queryset=None, required=False, empty_label=_("全部会议")
    )
    year = forms.IntegerField(label=_("年度"), required=False, min_value=1990, max_value=2100)
    category = forms.ModelChoiceField(
        label=_("类别"),
        queryset=ProposalCategory.objects.none(),
        required=False,
        empty_label=_("全部类别"),
    )
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态"))] + ProposalState.choices
    )
    unit = forms.ModelChoiceField(
        label=_("承办单位"),
        queryset=HandlingUnit.objects.none(),
        required=False,
        empty_label=_("全部单位"),
    )
    sector = forms.ModelChoiceField(
        label=_("界别"), queryset=None, required=False, empty_label=_("全部界别")
    )
    submitter_type = forms.ChoiceField(
        label=_("提案者类型"), required=False, choices=[("", _("全部类型"))] + SubmitterType.choices
    )
    key = forms.ChoiceField(
        label=_("重点提案"),
        required=False,
        choices=[("", _("全部")), ("1", _("是")), ("0", _("否"))],
    )

    def __init__(self, *args, **kwargs):
        from zhengxie.organisation.models import Session

        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.order_by("-opens_on")
        self.fields["category"].queryset = ProposalCategory.objects.all()
        self.fields["unit"].queryset = _units()
        self.fields["sector"].queryset = Sector.objects.all()

    def filters(self):
        if not self.is_valid():
            return {}
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        if "key" in data:
            data["key"] = data["key"] == "1"
        return data


class CategoryForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = ProposalCategory
        fields = ["name", "group", "is_livelihood", "position", "is_active"]
