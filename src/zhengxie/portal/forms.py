"""Forms of the portal pages. Validation beyond field types lives in ``portal.services``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.core.periods import MAX_YEAR, MIN_YEAR
from zhengxie.portal.models import MediaLevel, NewsCategory, NewsState

IMAGE_ACCEPT = "image/jpeg,image/png"
DATE = {"invalid": _("日期格式不正确。"), "required": _("请填写日期。")}


def _small(form):
    for field in form.fields.values():
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs["class"] = f"{css} {css}-sm"


class NewsFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + NewsState.choices
    )
    category = forms.ChoiceField(
        label=_("栏目"), required=False, choices=[("", _("全部"))] + NewsCategory.choices
    )
    q = forms.CharField(label=_("标题或摘要"), required=False, max_length=50)

    def __init__(self, *args, all_states=True, **kwargs):
        super().__init__(*args, **kwargs)
        if not all_states:
            del self.fields["state"]
        _small(self)

    def filters(self):
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class NewsForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("标题"), max_length=120, required=False)
    category = forms.ChoiceField(label=_("栏目"), choices=NewsCategory.choices)
    summary = forms.CharField(
        label=_("摘要"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("显示在新闻列表中,可不填。"),
    )
    body = forms.CharField(
        label=_("正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("纯文本,段落之间空一行;不支持网页代码。"),
    )


class NewsImageForm(BootstrapFormMixin, forms.Form):
    image = forms.FileField(
        label=_("图片(JPEG 或 PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    caption = forms.CharField(
        label=_("图片说明"),
        max_length=120,
        required=False,
        help_text=_("描述图片内容,供视障读者的读屏软件朗读。"),
    )
    is_cover = forms.BooleanField(label=_("设为封面"), required=False)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("说明"), max_length=500, required=False)


class CommitteeProfileForm(BootstrapFormMixin, forms.Form):
    introduction = forms.CharField(
        label=_("本会简介"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("纯文本,段落之间空一行。"),
    )
    address = forms.CharField(label=_("地址"), max_length=255, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=64, required=False)
    email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False)
    office_hours = forms.CharField(
        label=_("办公时间"),
        max_length=128,
        required=False,
        help_text=_("如:工作日 8:30—12:00,14:30—17:30"),
    )


class PublicProfileForm(BootstrapFormMixin, forms.Form):
    consent = forms.BooleanField(
        label=_("我同意在本会门户网站公开下列勾选的信息(姓名随之公开)"), required=False
    )
    show_sector = forms.BooleanField(label=_("公开界别"), required=False)
    show_employer = forms.BooleanField(label=_("公开工作单位及职务"), required=False)
    show_photo = forms.BooleanField(label=_("公开照片"), required=False)
    photo = forms.FileField(
        label=_("照片(JPEG 或 PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": IMAGE_ACCEPT}),
    )
    remove_photo = forms.BooleanField(label=_("删除已上传的照片"), required=False)
    show_bio = forms.BooleanField(label=_("公开个人简介"), required=False)
    bio = forms.CharField(
        label=_("个人简介"),
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 300}),
        help_text=_("300字以内。"),
        error_messages={"max_length": _("个人简介不能超过300个字。")},
    )

    def __init__(self, *args, has_photo=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_photo:
            del self.fields["remove_photo"]


class MediaReportForm(BootstrapFormMixin, forms.Form):
    outlet = forms.CharField(label=_("媒体名称"), max_length=64, required=False)
    level = forms.ChoiceField(label=_("媒体级别"), choices=MediaLevel.choices)
    published_on = forms.DateField(
        label=_("刊发日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages=DATE,
    )
    title = forms.CharField(label=_("报道标题"), max_length=200, required=False)
    link = forms.CharField(
        label=_("链接"),
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"inputmode": "url"}),
        help_text=_("报道网址(以 http:// 或 https:// 开头);纸质报道可不填。"),
    )
    note = forms.CharField(label=_("备注"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "published_on" not in self.initial:
            self.initial["published_on"] = timezone.localdate()


class MediaFilterForm(forms.Form):
    year = forms.IntegerField(
        label=_("年度"),
        required=False,
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        error_messages={
            "invalid": _("年度应为四位数字。"),
            "min_value": _("年度超出范围。"),
            "max_value": _("年度超出范围。"),
        },
    )
    level = forms.ChoiceField(
        label=_("媒体级别"), required=False, choices=[("", _("全部"))] + MediaLevel.choices
    )
    q = forms.CharField(label=_("标题或媒体"), required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        _small(self)

    def filters(self):
        """(year, {level, q}); the year defaults to this one."""
        year = timezone.localdate().year
        if not self.is_valid():
            return year, {}
        data = self.cleaned_data
        return data.get("year") or year, {k: data[k] for k in ("level", "q") if data.get(k)}
