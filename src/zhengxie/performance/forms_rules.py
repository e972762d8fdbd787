"""Forms of the point-table editor: the table's header (pass mark, commendation, note), one
formset of rule rows and one of exit rules. The forms only shape the input; ``tables.table_save``
checks it and its per-row messages (第N行…) are put back on the rows by ``attach_row_errors``."""

import re

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from zhengxie.core.duty import DUTY_KINDS, MEETING_SUB_KINDS
from zhengxie.core.forms import BootstrapFormMixin
from zhengxie.core.models import Level
from zhengxie.performance.models import ExitRuleKind, ExitScope, Per, Split
from zhengxie.performance.tables import EXIT_FIELDS, MEETING_CATEGORIES, RULE_FIELDS

SUB_SEPARATOR = ":"


def kind_choices():
    return [("", "—"), *((k.code, k.label) for k in DUTY_KINDS.values())]


def sub_kind_choices():
    """Every sub-kind as "kind:sub_kind", grouped under its kind's label."""
    groups = [("", _("全部细项"))]
    for kind in DUTY_KINDS.values():
        if kind.sub_kinds:
            groups.append(
                (
                    kind.label,
                    [
                        (f"{kind.code}{SUB_SEPARATOR}{code}", f"{kind.label}·{label}")
                        for code, label in kind.sub_kinds.items()
                    ],
                )
            )
    return groups


def meeting_choices():
    return [("", "—"), *((c, MEETING_SUB_KINDS[c]) for c in MEETING_CATEGORIES)]


class TableHeaderForm(BootstrapFormMixin, forms.Form):
    pass_mark = forms.DecimalField(label=_("合格分"), max_digits=7, decimal_places=2)
    commendation_threshold = forms.DecimalField(
        label=_("优秀委员推荐分"), max_digits=7, decimal_places=2
    )
    commendation_share = forms.IntegerField(
        label=_("优秀委员推荐比例(%)"),
        help_text=_("达到推荐分且排名在前百分之几的委员列为优秀委员候选人。"),
    )
    note = forms.CharField(
        label=_("修改说明"),
        max_length=255,
        error_messages={"required": _("请填写修改说明。")},
    )


class RuleRowForm(BootstrapFormMixin, forms.Form):
    label = forms.CharField(label=_("名称"), max_length=64, required=False)
    kind = forms.ChoiceField(label=_("事项"), choices=kind_choices, required=False)
    sub_kind = forms.ChoiceField(label=_("细项"), choices=sub_kind_choices, required=False)
    level = forms.ChoiceField(
        label=_("级别"), choices=[("", _("不限")), *Level.choices], required=False
    )
    points = forms.CharField(label=_("分值"), max_length=12, required=False)
    per = forms.ChoiceField(label=_("计分单位"), choices=Per.choices, initial=Per.ITEM)
    cap = forms.CharField(label=_("年度上限"), max_length=12, required=False)
    split = forms.ChoiceField(
        label=_("共同履职计分方式"), choices=Split.choices, initial=Split.FULL
    )
    secondary_points = forms.CharField(label=_("次要分值"), max_length=12, required=False)

    def clean(self):
        data = super().clean()
        kind, sub = data.get("kind", ""), data.get("sub_kind", "")
        if sub:
            sub_kind_of, _sep, code = sub.partition(SUB_SEPARATOR)
            if kind and sub_kind_of != kind:
                self.add_error("sub_kind", _("所选细项不属于该事项。"))
            data["sub_kind"] = code
        return data

    def row(self) -> dict:
        """The row as ``table_save`` takes it."""
        return {name: self.cleaned_data.get(name, "") for name in RULE_FIELDS}

    @staticmethod
    def initial_of(rule: dict) -> dict:
        row = {name: "" if rule[name] is None else rule[name] for name in RULE_FIELDS}
        if rule["sub_kind"]:
            row["sub_kind"] = f"{rule['kind']}{SUB_SEPARATOR}{rule['sub_kind']}"
        return row


class ExitRowForm(BootstrapFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("情形"), choices=[("", "—"), *ExitRuleKind.choices], required=False
    )
    meeting_category = forms.ChoiceField(
        label=_("会议类别"), choices=meeting_choices, required=False
    )
    scope = forms.ChoiceField(
        label=_("计算方式"), choices=ExitScope.choices, initial=ExitScope.TERM
    )
    count = forms.CharField(label=_("次数/年数"), max_length=4, required=False)

    def row(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in EXIT_FIELDS}


RuleFormSet = formset_factory(RuleRowForm, extra=3, can_delete=True)
ExitFormSet = formset_factory(ExitRowForm, extra=1, can_delete=True)


def kept_forms(formset):
    """The forms of a valid formset that are rows of the table: not deleted, not blank extras."""
    deleted = {id(f) for f in formset.deleted_forms}
    return [f for f in formset.forms if id(f) not in deleted and (f.has_changed() or f.initial)]


ROW = re.compile(r"^(?:退出规则)?第(\d+)行[::]?")


def attach_row_errors(messages, forms_in_order, formset):
    """Put the service's "第N行:…" messages on the N-th kept row; anything else above the
    formset."""
    loose = []
    for message in messages:
        match = ROW.match(message)
        n = int(match.group(1)) if match else 0
        if 1 <= n <= len(forms_in_order):
            forms_in_order[n - 1].add_error(None, message)
        else:
            loose.append(message)
    formset._non_form_errors = formset.error_class(
        [*formset.non_form_errors(), *loose], error_class="nonform"
    )
