"""Forms of the supervision pages. They only shape input; rules live in ``services``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.organisation.models import HandlingUnit, Membership
from zhengxie.supervision.models import Grade, RecheckRating, SupervisionTopic

DATE = {"type": "date"}
YEAR_ERRORS = {
    "invalid": _("年度应为四位数字。"),
    "min_value": _("年度超出范围。"),
    "max_value": _("年度超出范围。"),
}


def _year_field(label, required=True):
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=1949,
        max_value=2100,
        error_messages={"required": _("请填写年度。"), **YEAR_ERRORS},
    )


class MembershipChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.person.name}({obj.sector.name})" if obj.sector_id else obj.person.name


class MembershipMultipleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return MembershipChoice.label_from_instance(self, obj)


def _memberships(committee):
    return (
        Membership.objects.filter(committee=committee)
        .in_office()
        .select_related("person", "sector")
        .order_by("person__name", "pk")
    )


class GroupForm(BootstrapFormMixin, forms.Form):
    year = _year_field(_("年度"))
    name = forms.CharField(label=_("小组名称"), max_length=64, help_text=_("如:第三民主监督小组"))
    unit = forms.ModelChoiceField(label=_("监督单位"), queryset=HandlingUnit.objects.none())
    leader = MembershipChoice(label=_("组长"), queryset=Membership.objects.none())
    members = MembershipMultipleChoice(
        label=_("成员"), queryset=Membership.objects.none(), required=False
    )
    topic = forms.ModelChoiceField(
        label=_("监督专题"), queryset=SupervisionTopic.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = HandlingUnit.objects.filter(
            committee=committee, is_active=True
        ).order_by("name")
        self.fields["leader"].queryset = _memberships(committee)
        self.fields["members"].queryset = _memberships(committee)
        self.fields["topic"].queryset = SupervisionTopic.objects.order_by("-starts_year", "pk")
        self.fields["members"].widget.attrs["size"] = 8
        if not self.is_bound and "year" not in self.initial:
            self.initial["year"] = timezone.localdate().year


class LetterForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    text = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 8}))
    recommendations = forms.CharField(
        label=_("具体建议"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("每行一条,将逐条送达监督单位并跟踪落实。"),
    )
    due_on = forms.DateField(
        label=_("答复期限"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        error_messages={"invalid": _("日期格式不正确。")},
    )

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:  # recommendations are then added one by one on the letter's page
            del self.fields["recommendations"]


class RecommendationForm(BootstrapFormMixin, forms.Form):
    aspect = forms.CharField(label=_("方面"), max_length=128, required=False)
    text = forms.CharField(label=_("建议内容"), widget=forms.Textarea(attrs={"rows": 2}))


class SendForm(BootstrapFormMixin, forms.Form):
    sent_on = forms.DateField(
        label=_("送达日期"),
        widget=forms.DateInput(attrs=DATE),
        error_messages={"required": _("请填写送达日期。"), "invalid": _("日期格式不正确。")},
    )


class AnswerForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(
        label=_("答复内容"),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("请填写答复内容。")},
    )
    answered_on = forms.DateField(
        label=_("答复日期"),
        required=False,
        widget=forms.DateInput(attrs=DATE),
        error_messages={"invalid": _("日期格式不正确。")},
    )
    attachment = forms.FileField(label=_("答复附件(可选)"), required=False)


class RecheckForm(BootstrapFormMixin, forms.Form):
    checked_on = forms.DateField(
        label=_("回头看日期"),
        widget=forms.DateInput(attrs=DATE),
        error_messages={"required": _("请填写回头看日期。"), "invalid": _("日期格式不正确。")},
    )
    participants = forms.CharField(label=_("参加人员"), max_length=255)
    with_inspection_office = forms.BooleanField(label=_("会同政府督查室"), required=False)
    findings = forms.CharField(label=_("检查情况"), widget=forms.Textarea(attrs={"rows": 4}))
    rating = forms.ChoiceField(label=_("落实评价"), choices=RecheckRating.choices)


class TopicForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("监督专题"), max_length=200)
    starts_year = _year_field(_("开始年度"))
    ends_year = _year_field(_("结束年度"), required=False)
    lead = forms.CharField(label=_("牵头领导或单位"), max_length=128, required=False)
    description = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class ShareForm(BootstrapFormMixin, forms.Form):
    committee = forms.ModelChoiceField(label=_("联合开展的委员会"), queryset=None)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        from zhengxie.organisation.models import Committee

        self.fields["committee"].queryset = Committee.objects.filter(
            pk__in=[c.pk for c in committee.ancestors()]
        )


class AppraisalForm(BootstrapFormMixin, forms.Form):
    year = _year_field(_("年度"))
    title = forms.CharField(label=_("名称"), max_length=200)
    method = forms.CharField(
        label=_("评议方式"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


GRADE_CHOICES = [("", _("按分数自动"))] + list(Grade.choices)


class GroupActivityForm(BootstrapFormMixin, forms.Form):
    """登记监督活动: attending the department's meetings, inspecting, hearing its reports."""

    title = forms.CharField(label=_("活动名称"), max_length=200)
    kind = forms.ChoiceField(
        label=_("活动形式"),
        choices=[
            ("列席会议", _("列席单位会议")),
            ("视察检查", _("视察检查")),
            ("听取汇报", _("听取工作汇报")),
            ("座谈走访", _("座谈走访")),
            ("其他", _("其他")),
        ],
    )
    starts_on = forms.DateField(
        label=_("日期"),
        widget=forms.DateInput(attrs=DATE),
        error_messages={"required": _("请填写日期。"), "invalid": _("日期格式不正确。")},
    )
    place = forms.CharField(label=_("地点"), max_length=128, required=False)
    description = forms.CharField(
        label=_("活动内容"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    state = forms.ChoiceField(
        label=_("状态"),
        choices=[("held", _("已开展")), ("planned", _("筹备中"))],
        initial="held",
    )
