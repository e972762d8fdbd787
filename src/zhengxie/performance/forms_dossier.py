"""Forms of the dossier list, the duty reports and the political self-check."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.core.periods import MAX_YEAR, MIN_YEAR
from zhengxie.meetings.models import Meeting
from zhengxie.organisation.models import MemberGroup, Membership, Sector, SpecialCommittee
from zhengxie.performance.models import Assessment, ReportState
from zhengxie.performance.reports import ASSIGN_SCOPES, CHECK_QUESTIONS, schedulable_meetings


def year_field(required=False):
    return forms.IntegerField(
        label=_("年度"), min_value=MIN_YEAR, max_value=MAX_YEAR, required=required
    )


class DossierFilterForm(BootstrapFormMixin, forms.Form):
    year = year_field()
    sector = forms.ModelChoiceField(label=_("界别"), queryset=Sector.objects.none(), required=False)
    group = forms.ModelChoiceField(
        label=_("活动小组"), queryset=MemberGroup.objects.none(), required=False
    )
    name = forms.CharField(label=_("姓名"), max_length=32, required=False)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(committee=committee)
        self.fields["group"].queryset = MemberGroup.objects.filter(committee=committee)

    def values(self):
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "year": data.get("year") or timezone.localdate().year,
            "sector": data.get("sector"),
            "group": data.get("group"),
            "name": data.get("name") or "",
        }


class ReportAssignForm(BootstrapFormMixin, forms.Form):
    year = year_field(required=True)
    by = forms.ChoiceField(label=_("述职范围"), choices=list(ASSIGN_SCOPES.items()))
    special_committee = forms.ModelChoiceField(
        label=_("专门委员会"), queryset=SpecialCommittee.objects.none(), required=False
    )
    group = forms.ModelChoiceField(
        label=_("委员活动小组"), queryset=MemberGroup.objects.none(), required=False
    )
    memberships = forms.ModelMultipleChoiceField(
        label=_("指定委员"), queryset=Membership.objects.none(), required=False
    )
    due_on = forms.DateField(
        label=_("提交期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["special_committee"].queryset = SpecialCommittee.objects.filter(
            committee=committee
        )
        self.fields["group"].queryset = MemberGroup.objects.filter(committee=committee)
        self.fields["memberships"].queryset = (
            Membership.objects.filter(committee=committee).in_office().select_related("person")
        )


class ReportFilterForm(BootstrapFormMixin, forms.Form):
    year = year_field()
    state = forms.ChoiceField(
        label=_("状态"), choices=[("", _("全部")), *ReportState.choices], required=False
    )
    name = forms.CharField(label=_("姓名"), max_length=32, required=False)


class ReportTextForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(label=_("述职报告"), widget=forms.Textarea(attrs={"rows": 14}))


class ReportReturnForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("退回理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReportAssessForm(BootstrapFormMixin, forms.Form):
    assessment = forms.ChoiceField(
        label=_("测评结果"), choices=[("", "—"), *Assessment.choices], required=False
    )
    # Kept as text: the service says what is wrong with a score (e.g. 200) in Chinese.
    assessment_score = forms.CharField(label=_("测评得分(0–100)"), required=False, max_length=12)
    assessment_note = forms.CharField(label=_("测评说明"), required=False, max_length=255)


class ReportScheduleForm(BootstrapFormMixin, forms.Form):
    meeting = forms.ModelChoiceField(label=_("述职会议"), queryset=Meeting.objects.none())

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = schedulable_meetings(committee)


PROBLEM_CHOICES = [("no", _("否")), ("yes", _("是"))]


class CheckForm(BootstrapFormMixin, forms.Form):
    """One textarea and one yes/no per question of ``CHECK_QUESTIONS``; completeness is the
    service's to judge (a draft may be partial)."""

    def __init__(self, *args, disabled=False, **kwargs):
        super().__init__(*args, **kwargs)
        for key, question, problem in CHECK_QUESTIONS:
            self.fields[f"{key}_text"] = forms.CharField(
                label=question,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                disabled=disabled,
            )
            self.fields[f"{key}_problem"] = forms.ChoiceField(
                label=problem,
                choices=PROBLEM_CHOICES,
                required=False,
                widget=forms.RadioSelect,
                disabled=disabled,
            )

    @staticmethod
    def initial_from(answers):
        initial = {}
        for key, _q, _p in CHECK_QUESTIONS:
            given = (answers or {}).get(key) or {}
            initial[f"{key}_text"] = given.get("text", "")
            flag = given.get("problem")
            initial[f"{key}_problem"] = {True: "yes", False: "no"}.get(flag, "")
        return initial

    def answers(self):
        return {
            key: {
                "text": self.cleaned_data.get(f"{key}_text", ""),
                "problem": self.cleaned_data.get(f"{key}_problem") or None,
            }
            for key, _q, _p in CHECK_QUESTIONS
        }


class CheckReviewForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("审阅意见"), max_length=255)
