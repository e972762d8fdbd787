"""Forms of the public-opinion report pages. They only shape input; every rule that decides
what may be written lives in ``opinions.services``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengxie.core.config import get_setting
from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.core.models import Level
from zhengxie.opinions.models import AdoptionKind, ReportState, SourceKind
from zhengxie.organisation.models import Committee, Membership, MembershipStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
UPPER_LEVELS = [(v, label) for v, label in Level.choices if v != Level.COUNTY]
STAFF_SOURCES = [
    (k, label)
    for k, label in SourceKind.choices
    if k
    in (
        SourceKind.GROUP,
        SourceKind.SPECIAL_COMMITTEE,
        SourceKind.PARTY_GROUP,
        SourceKind.STAFF,
    )
]


class ListFilterForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + ReportState.choices
    )
    source_kind = forms.ChoiceField(
        label=_("来源"), required=False, choices=[("", _("全部"))] + SourceKind.choices
    )
    q = forms.CharField(label=_("标题或委员"), required=False, max_length=100)

    def filters(self):
        """The valid filters as keyword arguments of ``queries.report_list`` (bad ones dropped)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {k: data[k] for k in ("year", "state", "source_kind", "q") if data.get(k)}


class ReportForm(BootstrapFormMixin, forms.Form):
    """The submit form. Members write their own (with co-submitting members); information
    officers theirs; opinion staff (``body_entry``) enter those of groups, special committees,
    parties and residents, naming the body and the source."""

    title = forms.CharField(
        label=_("标题"), max_length=200, help_text=_("一事一报,如“关于……的建议”")
    )
    situation = forms.CharField(label=_("基本情况"), widget=forms.Textarea(attrs={"rows": 6}))
    analysis = forms.CharField(
        label=_("分析"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    suggestion = forms.CharField(label=_("建议"), widget=forms.Textarea(attrs={"rows": 6}))
    cosubmitters = forms.ModelMultipleChoiceField(
        label=_("联名委员"),
        queryset=Membership.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("联名报送的委员共享这篇信息的履职记录。"),
    )
    attachment = forms.FileField(
        label=_("附件"), required=False, help_text=_("可上传PDF、Word、图片等,按文件内容校验类型。")
    )

    def __init__(self, *args, committee, lead=None, body_entry=False, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if body_entry and not editing:
            self.fields = {
                "source_kind": forms.ChoiceField(
                    label=_("来源"), choices=[("", "—"), *STAFF_SOURCES]
                ),
                "submitting_body": forms.CharField(
                    label=_("报送单位"), max_length=128, required=False
                ),
                "source_note": forms.CharField(
                    label=_("来源说明"),
                    max_length=255,
                    required=False,
                    help_text=_("如:某委员会客室接待群众反映"),
                ),
                **self.fields,
            }
            for name in ("source_kind", "submitting_body", "source_note"):
                css = "form-select" if name == "source_kind" else "form-control"
                self.fields[name].widget.attrs["class"] = css
        if body_entry or lead is None or editing:
            del self.fields["cosubmitters"]
        else:
            members = (
                Membership.objects.filter(status=MembershipStatus.IN_OFFICE, term=lead.term)
                .exclude(pk=lead.pk)
                .select_related("person", "sector")
                .order_by("sector__position", "person__name")
            )
            self.fields["cosubmitters"].queryset = members
            self.fields["cosubmitters"].label_from_instance = lambda m: (
                f"{m.person.name}({m.sector.name})"
            )
        limit = get_setting(committee, "opinion_max_length")
        self.fields["suggestion"].help_text = _("基本情况、分析、建议合计不超过%(n)s字。") % {
            "n": limit
        }

    def clean(self):
        data = super().clean()
        if "source_kind" in self.fields and not (
            (data.get("submitting_body") or "").strip() or (data.get("source_note") or "").strip()
        ):
            self.add_error("submitting_body", _("请填写报送单位或来源说明。"))
        return data


class RequiredNoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(label=_("修改意见"), widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(label=_("未采用理由"), max_length=255)


class OptionalNoteForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


ACTION_FORMS = {
    "return": RequiredNoteForm,
    "not_use": ReasonForm,
    "approve": OptionalNoteForm,
    "sign_off": OptionalNoteForm,
}


def action_form(action, data=None):
    """The payload form of a workflow action, or None when the action is a plain button."""
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        return None
    return form_class(data, prefix=action)


class ReviseForm(BootstrapFormMixin, forms.Form):
    """Staff edit a report under review (the submitted text is kept for comparison)."""

    title = forms.CharField(label=_("标题"), max_length=200)
    situation = forms.CharField(label=_("基本情况"), widget=forms.Textarea(attrs={"rows": 6}))
    analysis = forms.CharField(
        label=_("分析"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    suggestion = forms.CharField(label=_("建议"), widget=forms.Textarea(attrs={"rows": 6}))
    note = forms.CharField(label=_("修改说明"), required=False, max_length=255)


class ForwardForm(BootstrapFormMixin, forms.Form):
    """Forward upward: a higher committee on the platform, or one off it by level and name."""

    to_committee = forms.ModelChoiceField(
        label=_("平台上的上级政协"), queryset=Committee.objects.none(), required=False
    )
    to_level = forms.ChoiceField(
        label=_("平台外单位级别"), choices=[("", "—"), *UPPER_LEVELS], required=False
    )
    to_name = forms.CharField(label=_("平台外报送单位"), max_length=128, required=False)

    def __init__(self, *args, report, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [c.pk for c in report.committee.ancestors()]
        self.fields["to_committee"].queryset = Committee.objects.filter(pk__in=ids)

    def clean(self):
        data = super().clean()
        if data.get("to_committee") is None and not (
            data.get("to_level") and (data.get("to_name") or "").strip()
        ):
            raise forms.ValidationError(_("请选择上级政协,或填写平台外的报送单位及其级别。"))
        return data


class AdoptionForm(BootstrapFormMixin, forms.Form):
    """Adoption by a committee off the platform, recorded by hand with its evidence."""

    level = forms.ChoiceField(label=_("级别"), choices=[("", "—"), *UPPER_LEVELS])
    by_name = forms.CharField(label=_("采用单位"), max_length=128)
    kind = forms.ChoiceField(label=_("方式"), choices=AdoptionKind.choices)
    decided_on = forms.DateField(label=_("采用日期"), widget=DATE)
    evidence = forms.CharField(
        label=_("依据"), max_length=255, help_text=_("如:刊物期号、采用通知")
    )

    def clean_decided_on(self):
        day = self.cleaned_data["decided_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("采用日期不能晚于今天。"))
        return day


class InstructionForm(BootstrapFormMixin, forms.Form):
    leader_name = forms.CharField(label=_("批示领导"), max_length=64)
    leader_title = forms.CharField(label=_("领导职务"), max_length=128)
    level = forms.ChoiceField(label=_("级别"), choices=Level.choices)
    given_on = forms.DateField(label=_("批示日期"), widget=DATE)
    text = forms.CharField(label=_("批示内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean_given_on(self):
        day = self.cleaned_data["given_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("批示日期不能晚于今天。"))
        return day
