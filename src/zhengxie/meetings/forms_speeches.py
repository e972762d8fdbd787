"""Forms of the plenary speech pages. They only shape input; every rule that decides what may
be written (length, category, open session, who may act) lives in ``meetings.speeches``."""

from django import forms
from django.utils.translation import gettext_lazy as _

from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.meetings.models import SpeechState
from zhengxie.meetings.speeches import BODY_MAX_LENGTH, open_sessions
from zhengxie.organisation.models import Session
from zhengxie.proposals.models import ProposalCategory

LIVELIHOOD_CHOICES = [("", _("全部")), ("1", _("民生类")), ("0", _("非民生类"))]


def _categories(committee):
    return ProposalCategory.objects.filter(committee=committee, is_active=True).order_by(
        "position", "pk"
    )


class SpeechForm(BootstrapFormMixin, forms.Form):
    """Write or edit a speech. Staff (``body_entry``) enter a body's speech: the body is
    required; members may name a body they speak for."""

    session = forms.ModelChoiceField(
        label=_("届次会议"), queryset=Session.objects.none(), empty_label=None
    )
    category = forms.ModelChoiceField(label=_("类别"), queryset=ProposalCategory.objects.none())
    title = forms.CharField(label=_("题目"), max_length=200)
    speaker_body = forms.CharField(
        label=_("发言单位"),
        max_length=128,
        required=False,
        help_text=_("以党派团体、界别或专委会名义发言时填写,个人发言请留空"),
    )
    body = forms.CharField(
        label=_("发言内容"),
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("不超过%(n)s字") % {"n": BODY_MAX_LENGTH},
    )

    def __init__(self, *args, committee, body_entry=False, session_fixed=None, **kwargs):
        super().__init__(*args, **kwargs)
        if session_fixed is not None:
            self.fields["session"].queryset = Session.objects.filter(pk=session_fixed.pk)
            self.fields["session"].disabled = True
            self.fields["session"].initial = session_fixed.pk
        else:
            self.fields["session"].queryset = open_sessions(committee)
        self.fields["category"].queryset = _categories(committee)
        if body_entry:
            self.fields["speaker_body"].required = True
            self.fields["speaker_body"].help_text = _("如:民盟县委会、教育界")


class SpeechFilterForm(BootstrapFormMixin, forms.Form):
    session = forms.ModelChoiceField(
        label=_("届次会议"), queryset=Session.objects.none(), required=False, empty_label=_("全部")
    )
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部")), *SpeechState.choices]
    )
    category = forms.ModelChoiceField(
        label=_("类别"),
        queryset=ProposalCategory.objects.none(),
        required=False,
        empty_label=_("全部"),
    )
    livelihood = forms.ChoiceField(label=_("民生"), required=False, choices=LIVELIHOOD_CHOICES)
    q = forms.CharField(label=_("题目或发言人"), required=False, max_length=100)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(committee=committee)
        self.fields["category"].queryset = ProposalCategory.objects.filter(
            committee=committee
        ).order_by("position", "pk")

    def filters(self):
        """The valid filters as keyword arguments of ``speeches.speech_list`` (bad ones
        dropped)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        result = {k: data[k] for k in ("session", "state", "category", "q") if data.get(k)}
        if data.get("livelihood") in ("0", "1"):
            result["livelihood"] = data["livelihood"] == "1"
        return result


class ActionNoteForm(BootstrapFormMixin, forms.Form):
    """The note of a staff decision (required when not used: the service says so)."""

    note = forms.CharField(
        label=_("说明"), required=False, max_length=255, widget=forms.TextInput()
    )


ACTION_FORMS = {
    "choose_oral": ActionNoteForm,
    "choose_written": ActionNoteForm,
    "not_use": ActionNoteForm,
}


def action_form(action, data=None):
    """The payload form of a workflow action, or None when the action is a plain button."""
    form_class = ACTION_FORMS.get(action)
    return form_class(data, prefix=action) if form_class is not None else None
