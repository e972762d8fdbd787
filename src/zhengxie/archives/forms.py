"""Forms of the archives pages. Validation beyond field types lives in ``archives.services``."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengxie.archives.models import (
    Campaign,
    CampaignState,
    EditorRole,
    MaterialKind,
    MaterialState,
    VolumeState,
)
from zhengxie.core.accounts import role_holders
from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.core.models import Role, User
from zhengxie.organisation.models import Membership, SpecialCommittee

DATE_WIDGET = forms.DateInput(attrs={"type": "date"})
DATE = {"invalid": _("日期格式不正确。"), "required": _("请填写日期。")}
INT = {"invalid": _("请填写整数。")}


def _date(label, required=False, **kwargs):
    return forms.DateField(
        label=label, required=required, widget=DATE_WIDGET, error_messages=DATE, **kwargs
    )


def _count(label, **kwargs):
    return forms.IntegerField(label=label, required=False, error_messages=INT, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.person.name


def _members(committee):
    return (
        Membership.objects.filter(committee=committee)
        .select_related("person")
        .order_by("person__name", "pk")
    )


def _filter_widgets(form):
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs["class"] = f"{css} form-select-sm"


# Campaigns -------------------------------------------------------------------------------


class CampaignForm(BootstrapFormMixin, forms.Form):
    theme = forms.CharField(label=_("征集主题"), max_length=128, required=False)
    call_text = forms.CharField(
        label=_("征集启事"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    opens_on = _date(_("开始日期"))
    deadline = _date(_("截止日期"))
    special_committee = forms.ModelChoiceField(
        label=_("负责专委会"), queryset=SpecialCommittee.objects.none(), required=False
    )

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["special_committee"].queryset = SpecialCommittee.objects.filter(
            committee=committee
        )
        if not self.is_bound and "opens_on" not in self.initial:
            self.initial["opens_on"] = timezone.localdate()


class CampaignActionForm(BootstrapFormMixin, forms.Form):
    deadline = _date(_("新的截止日期"), help_text=_("重新开放时填写"))
    note = forms.CharField(label=_("说明"), max_length=255, required=False)


# Materials -------------------------------------------------------------------------------


class MaterialFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("征集活动"), queryset=Campaign.objects.none(), required=False
    )
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + MaterialState.choices
    )
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部"))] + MaterialKind.choices
    )
    contributor = forms.ChoiceField(
        label=_("提供人"),
        required=False,
        choices=[("", _("全部")), ("member", _("本会委员")), ("outside", _("会外人士"))],
    )
    q = forms.CharField(label=_("标题或内容"), required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.order_by("-opens_on", "-pk")
        _filter_widgets(self)

    def filters(self):
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class MaterialForm(BootstrapFormMixin, forms.Form):
    """Staff register a material for any contributor; a member (``member=True``) submits their
    own, so the contributor and the day received are not asked."""

    campaign = forms.ModelChoiceField(
        label=_("征集活动"), queryset=Campaign.objects.none(), required=False
    )
    title = forms.CharField(label=_("标题"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=MaterialKind.choices)
    text = forms.CharField(
        label=_("文字内容"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text=_("填写文字内容时字数自动统计(汉字逐字计,英文单词和数字按词计)。"),
    )
    word_count = _count(_("字数"), help_text=_("扫描件、录音等未录入文字时填写"))
    image_count = _count(_("图片数(张)"), help_text=_("一批照片或扫描件可填写总张数"))
    duration_minutes = _count(_("录音时长(分钟)"))
    received_on = _date(_("收到日期"))
    membership = MemberChoiceField(
        label=_("提供委员"), queryset=Membership.objects.none(), required=False
    )
    contributor_name = forms.CharField(
        label=_("会外提供人"), max_length=64, required=False, help_text=_("非本会委员时填写")
    )
    contributor_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    contributor_affiliation = forms.CharField(label=_("单位或身份"), max_length=128, required=False)
    rights_holder = forms.CharField(label=_("权利人"), max_length=128, required=False)
    consent_given = forms.BooleanField(label=_("权利人已同意政协编研使用"), required=False)
    consent_terms = forms.CharField(
        label=_("授权条款"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    files = MultipleFileField(
        label=_("照片、扫描件或文稿"),
        required=False,
        help_text=_(
            "可多选;一批照片可打包为 ZIP 上传;口述录音可上传 MP3、M4A 文件,并附文字整理稿。"
        ),
    )
    consent_file = forms.FileField(label=_("授权书(扫描件)"), required=False)

    def __init__(self, *args, committee, member=False, material=None, **kwargs):
        super().__init__(*args, **kwargs)
        campaigns = Campaign.objects.filter(committee=committee).order_by("-opens_on", "-pk")
        self.fields["campaign"].queryset = campaigns
        if member:
            # A returned material keeps its campaign even after the campaign closed.
            keep = material.campaign_id if material is not None else None
            self.fields["campaign"].queryset = campaigns.filter(
                Q(state=CampaignState.OPEN) | Q(pk=keep)
            )
            for name in ("received_on", "membership", "contributor_name", "contributor_phone",
                         "contributor_affiliation"):  # fmt: skip
                del self.fields[name]
        else:
            self.fields["membership"].queryset = _members(committee)
            if not self.is_bound and "received_on" not in self.initial:
                self.initial["received_on"] = timezone.localdate()
        if material is not None:
            self.fields["files"].label = _("补充文件")


class MaterialActionForm(BootstrapFormMixin, forms.Form):
    note = forms.CharField(
        label=_("意见或退回原因"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class AttachForm(BootstrapFormMixin, forms.Form):
    files = MultipleFileField(label=_("补充文件"), required=False)
    consent_file = forms.FileField(label=_("授权书(扫描件)"), required=False)


# Volumes ---------------------------------------------------------------------------------


def editor_choices(committee):
    """("m<id>", member name) and ("u<id>", staff name) pairs for the editor fields."""
    members = [(f"m{m.pk}", m.person.name) for m in _members(committee)]
    staff = sorted(
        {u.pk: u for u in role_holders(role=Role.STAFF, committee=committee)}.values(),
        key=lambda u: (u.display_name or u.username, u.pk),
    )
    staff_choices = [(f"u{u.pk}", u.display_name or u.username) for u in staff]
    return [(_("委员"), members), (_("机关工作人员"), staff_choices)]


def resolve_editor(committee, value):
    """The Membership or User a choice value names (None when unknown)."""
    if not value or value[0] not in "mu" or not value[1:].isdigit():
        return None
    pk = int(value[1:])
    if value[0] == "m":
        return Membership.objects.filter(committee=committee, pk=pk).first()
    return User.objects.filter(pk=pk).first()


def editor_value(editor):
    return f"m{editor.membership_id}" if editor.membership_id else f"u{editor.user_id}"


class VolumeForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("书名"), max_length=200, required=False)
    series = forms.CharField(
        label=_("丛书"), max_length=128, required=False, help_text=_("如 示范县文史资料")
    )
    number = forms.CharField(
        label=_("辑次"), max_length=32, required=False, help_text=_("如 第12辑")
    )
    campaign = forms.ModelChoiceField(
        label=_("征集活动"), queryset=Campaign.objects.none(), required=False
    )
    chief_editor = forms.ChoiceField(label=_("主编"), required=False)
    editors = forms.MultipleChoiceField(
        label=_("编辑"), required=False, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    isbn = forms.CharField(label=_("ISBN"), max_length=32, required=False)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.committee = committee
        self.fields["campaign"].queryset = Campaign.objects.filter(committee=committee)
        choices = editor_choices(committee)
        self.fields["chief_editor"].choices = [("", "—"), *choices]
        self.fields["editors"].choices = choices

    def service_data(self):
        data = dict(self.cleaned_data)
        data["chief_editor"] = resolve_editor(self.committee, data.get("chief_editor"))
        data["editors"] = [resolve_editor(self.committee, v) for v in data.get("editors") or ()]
        return data

    @staticmethod
    def initial_for(volume):
        editors = list(volume.editors.all())
        chief = next((e for e in editors if e.role == EditorRole.CHIEF), None)
        return {
            "title": volume.title,
            "series": volume.series,
            "number": volume.number,
            "campaign": volume.campaign_id,
            "isbn": volume.isbn,
            "chief_editor": editor_value(chief) if chief else "",
            "editors": [editor_value(e) for e in editors if e.role == EditorRole.EDITOR],
        }


class VolumeFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + VolumeState.choices
    )


class VolumeActionForm(BootstrapFormMixin, forms.Form):
    published_on = _date(_("出版日期"))
    print_run = _count(_("印数(册)"))
    isbn = forms.CharField(label=_("ISBN(可不填)"), max_length=32, required=False)
    note = forms.CharField(label=_("说明"), max_length=255, required=False)

    def __init__(self, *args, publishing=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not publishing:
            for name in ("published_on", "print_run", "isbn"):
                del self.fields[name]


class ChapterForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("章节标题"), max_length=200, required=False)


class PlaceForm(BootstrapFormMixin, forms.Form):
    materials = forms.MultipleChoiceField(
        label=_("编入史料"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("只列出已采用、已授权且尚未编入书目的史料"),
    )

    def __init__(self, *args, materials=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["materials"].choices = [
            (str(m.pk), f"{m.title}({m.contributor_label})") for m in materials
        ]


# The periodical --------------------------------------------------------------------------


class PeriodicalForm(BootstrapFormMixin, forms.Form):
    name = forms.CharField(
        label=_("刊名"), max_length=64, required=False, help_text=_("如 政协之声")
    )
    description = forms.CharField(label=_("简介"), max_length=255, required=False)


class IssueForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(
        label=_("年度"),
        required=False,
        min_value=1949,
        max_value=2100,
        error_messages={
            "invalid": _("年度应为四位数字。"),
            "min_value": _("年度超出范围。"),
            "max_value": _("年度超出范围。"),
        },
        help_text=_("期号按年度自动顺排;不填则取出刊日期所在年度"),
    )
    title = forms.CharField(label=_("本期主题"), max_length=200, required=False)
    published_on = _date(_("出刊日期"))
    copies = _count(_("印数(份)"))
    contents = forms.FileField(label=_("本期内容(PDF)"), required=False)

    def __init__(self, *args, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["year"]
