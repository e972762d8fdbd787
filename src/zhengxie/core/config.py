"""Per-committee configuration: a registry of typed settings with defaults.

Every number a committee's own rules decide (deadlines, limits, categories) is declared here once,
read with ``get_setting(committee, key)`` and changed only through ``set_settings``/``set_setting``,
which validate type and range (Chinese messages), save all or nothing, and audit each change.
"""

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengxie.core.audit import audit_record
from zhengxie.core.models import AuditAction, CommitteeSetting

INT, BOOL, STR, LIST, CHOICE, JSON = "int", "bool", "str", "list", "choice", "json"

# File kinds an attachment may be, as recognised by their content (see core.attachments).
ATTACHMENT_TYPES = {
    "pdf": gettext_lazy("PDF 文档"),
    "jpg": gettext_lazy("JPEG 图片"),
    "png": gettext_lazy("PNG 图片"),
    "docx": gettext_lazy("Word 文档(docx)"),
    "doc": gettext_lazy("Word 97-2003 文档(doc)"),
    "xlsx": gettext_lazy("Excel 表格(xlsx)"),
    "xls": gettext_lazy("Excel 97-2003 表格(xls)"),
    "zip": gettext_lazy("ZIP 压缩包"),
    "mp3": gettext_lazy("MP3 录音"),
    "m4a": gettext_lazy("M4A 录音"),
    "wav": gettext_lazy("WAV 录音"),
}


@dataclass(frozen=True)
class Setting:
    key: str
    type: str
    default: Any
    label: str
    area: str
    help: str = ""
    min: int | None = None
    max: int | None = None
    choices: dict = field(default_factory=dict)  # for CHOICE, and allowed items of a LIST
    check: Callable[[Any], None] | None = None  # extra validation; raises ValidationError


def _check_categories(value):
    if not isinstance(value, dict) or not value:
        raise ValidationError(_('请填写至少一个答复类别,格式如 {"A": "已解决或采纳"}。'))
    for code, label in value.items():
        if not (isinstance(code, str) and code.strip() and len(code) <= 8):
            raise ValidationError(_("类别代码须为1至8个字符。"))
        if not (isinstance(label, str) and label.strip()):
            raise ValidationError(_("类别“%(code)s”的名称不能为空。") % {"code": code})


AREAS = {
    "proposals": gettext_lazy("提案"),
    "opinions": gettext_lazy("社情民意"),
    "attachments": gettext_lazy("附件"),
    "public": gettext_lazy("公众参与"),
}

SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in [
        Setting(
            "proposal_reply_deadline_months",
            INT,
            3,
            gettext_lazy("提案答复期限(月)"),
            "proposals",
            gettext_lazy("自交办之日起计算。"),
            min=1,
            max=12,
        ),
        Setting(
            "return_request_working_days",
            INT,
            5,
            gettext_lazy("申请退回期限(工作日)"),
            "proposals",
            gettext_lazy("承办单位认为不属本单位职责时,须在此期限内申请退回。"),
            min=1,
            max=30,
        ),
        Setting(
            "extension_max_months",
            INT,
            6,
            gettext_lazy("延期办理最长期限(月)"),
            "proposals",
            min=1,
            max=12,
        ),
        Setting(
            "proposal_max_length",
            INT,
            2500,
            gettext_lazy("提案正文字数上限"),
            "proposals",
            min=200,
            max=20000,
        ),
        Setting(
            "reply_categories",
            JSON,
            {"A": "已解决或采纳", "B": "列入计划逐步解决", "C": "因条件限制留作参考"},
            gettext_lazy("答复类别"),
            "proposals",
            gettext_lazy("JSON 对象:类别代码 → 名称。"),
            check=_check_categories,
        ),
        Setting(
            "adopted_reply_categories",
            LIST,
            ["A", "B"],
            gettext_lazy("计为“采纳”的答复类别"),
            "proposals",
            gettext_lazy("每行一个类别代码,须为上面已定义的类别。"),
        ),
        Setting(
            "unrated_reply_flag_days",
            INT,
            30,
            gettext_lazy("答复后未评价提醒(天)"),
            "proposals",
            gettext_lazy("答复超过此天数仍未评价的,提醒工作人员跟进。"),
            min=1,
            max=365,
        ),
        Setting(
            "not_registered_grounds",
            LIST,
            [
                "涉及党和国家秘密的",
                "属于法律、法规禁止的",
                "党员对党的组织和人事问题的意见",
                "民主党派、工商联内部事务",
                "涉及正在进行诉讼、仲裁的案件",
                "属于学术探讨的",
                "涉及提案者个人及亲属私事的",
                "为单位或个人宣传推介产品、作品的",
                "指名道姓揭发、控告他人的",
                "内容空泛、没有具体建议的",
                "不属于本级政协和本地区职权范围的",
            ],
            gettext_lazy("不予立案的理由"),
            "proposals",
            gettext_lazy("每行一条;审查不立案时从中选择。"),
        ),
        Setting(
            "signature_days",
            INT,
            5,
            gettext_lazy("联名确认期限(工作日)"),
            "proposals",
            gettext_lazy("发起联名后,附议委员须在此期限内在线确认,逾期不计入联名。"),
            min=1,
            max=30,
        ),
        Setting(
            "key_proposal_share_percent",
            INT,
            10,
            gettext_lazy("重点提案比例上限(%)"),
            "proposals",
            gettext_lazy("重点提案一般占立案提案的5%至10%,超过时给出提示。"),
            min=1,
            max=100,
        ),
        Setting(
            "bulletin_title",
            STR,
            "政协社情民意",
            gettext_lazy("社情民意刊物名称"),
            "opinions",
        ),
        Setting(
            "opinion_approver_roles",
            LIST,
            ["staff:research_office", "staff:general_office"],
            gettext_lazy("社情民意审核角色"),
            "opinions",
            gettext_lazy(
                "每行一个:staff(机关工作人员)、staff:research_office(研究室)、chair(政协领导)等。"
            ),
        ),
        Setting(
            "opinion_signer_roles",
            LIST,
            ["chair"],
            gettext_lazy("社情民意签发角色"),
            "opinions",
            gettext_lazy("每行一个,写法同上;一般为秘书长或分管副主席(chair)。"),
        ),
        Setting(
            "opinion_max_length",
            INT,
            1500,
            gettext_lazy("社情民意信息字数上限"),
            "opinions",
            min=200,
            max=10000,
        ),
        Setting(
            "attachment_max_size_mb",
            INT,
            20,
            gettext_lazy("单个附件大小上限(MB)"),
            "attachments",
            min=1,
            max=200,
        ),
        Setting(
            "attachment_types",
            LIST,
            ["pdf", "jpg", "png", "docx", "doc", "xlsx", "xls", "mp3", "m4a"],
            gettext_lazy("允许的附件类型"),
            "attachments",
            gettext_lazy("按文件实际内容识别,扩展名不符的文件一律拒收。"),
            choices=ATTACHMENT_TYPES,
        ),
        Setting(
            "blocked_words",
            LIST,
            [],
            gettext_lazy("敏感词"),
            "public",
            gettext_lazy("每行一个;公众提交的内容命中时标记,由审核人员优先处理。"),
        ),
        Setting(
            "codes_per_phone_per_hour",
            INT,
            5,
            gettext_lazy("每个手机号每小时验证码条数上限"),
            "public",
            min=1,
            max=100,
        ),
        Setting(
            "codes_per_ip_per_hour",
            INT,
            20,
            gettext_lazy("每个 IP 每小时验证码条数上限"),
            "public",
            min=1,
            max=10000,
        ),
    ]
}


def register_setting(setting: Setting, *, area_label=None) -> Setting:
    """Add an app's setting (called from its ``AppConfig.ready``); it appears on the settings page
    under its area, created with ``area_label`` if new."""
    if area_label is not None:
        AREAS.setdefault(setting.area, area_label)
    if setting.area not in AREAS:
        raise ValueError(f"unknown settings area {setting.area!r}")
    SETTINGS[setting.key] = setting
    return setting


def _cross_checks(values: dict) -> dict:
    """Rules between settings; returns {key: message}."""
    errors = {}
    adopted, categories = values["adopted_reply_categories"], values["reply_categories"]
    unknown = [c for c in adopted if c not in categories]
    if isinstance(categories, dict) and unknown:
        errors["adopted_reply_categories"] = _("类别“%(codes)s”未在答复类别中定义。") % {
            "codes": "、".join(unknown)
        }
    return errors


def clean_value(setting: Setting, raw):
    """The typed value of ``raw`` (a Python value or the text a form posted), or ValidationError."""
    kind = setting.type
    if kind == INT:
        if isinstance(raw, bool):
            raise ValidationError(_("请输入整数。"))
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            raise ValidationError(_("请输入整数。")) from None
        if setting.min is not None and value < setting.min:
            raise ValidationError(_("不能小于 %(min)s。") % {"min": setting.min})
        if setting.max is not None and value > setting.max:
            raise ValidationError(_("不能大于 %(max)s。") % {"max": setting.max})
    elif kind == BOOL:
        if isinstance(raw, bool):
            value = raw
        elif str(raw).strip().lower() in {"1", "true", "on", "yes"}:
            value = True
        elif str(raw).strip().lower() in {"0", "false", "off", "no", ""}:
            value = False
        else:
            raise ValidationError(_("请选择是或否。"))
    elif kind == STR:
        if not isinstance(raw, str):
            raise ValidationError(_("请输入文字。"))
        value = raw.strip()
        if setting.max is not None and len(value) > setting.max:
            raise ValidationError(_("不能超过 %(max)s 个字。") % {"max": setting.max})
    elif kind == CHOICE:
        value = raw
        if value not in setting.choices:
            raise ValidationError(_("请选择有效的选项。"))
    elif kind == LIST:
        if isinstance(raw, str):
            items = [line.strip() for line in raw.splitlines()]
        elif isinstance(raw, list | tuple):
            items = [str(x).strip() for x in raw]
        else:
            raise ValidationError(_("请每行填写一项。"))
        value = list(dict.fromkeys(x for x in items if x))
        if setting.choices:
            bad = [x for x in value if x not in setting.choices]
            if bad:
                raise ValidationError(_("不支持的选项:%(items)s。") % {"items": "、".join(bad)})
    elif kind == JSON:
        if isinstance(raw, str):
            try:
                value = json.loads(raw)
            except ValueError:
                raise ValidationError(_("格式不正确,请填写有效的 JSON。")) from None
        else:
            value = raw
    else:  # pragma: no cover  (a registry mistake)
        raise ValueError(kind)
    if setting.check is not None:
        setting.check(value)
    return value


def _setting(key) -> Setting:
    try:
        return SETTINGS[key]
    except KeyError:
        raise KeyError(f"unknown setting {key!r}") from None


def _with_defaults(stored: dict) -> dict:
    values = {}
    for key, setting in SETTINGS.items():
        values[key] = setting.default
        if key in stored:
            # A value stored under older rules falls back to the default.
            with contextlib.suppress(ValidationError):
                values[key] = clean_value(setting, stored[key])
    return values


def get_settings(committee) -> dict:
    """Every setting of ``committee`` (stored value, or the default), in one query."""
    return get_settings_for([committee])[committee.pk]


def get_settings_for(committees) -> dict:
    """{committee id: every setting} of several committees, in one query."""
    stored = {c.pk: {} for c in committees}
    rows = CommitteeSetting.objects.filter(committee__in=committees, key__in=SETTINGS)
    for committee_id, key, value in rows.values_list("committee_id", "key", "value"):
        stored[committee_id][key] = value
    return {pk: _with_defaults(values) for pk, values in stored.items()}


def get_setting(committee, key):
    setting = _setting(key)
    row = CommitteeSetting.objects.filter(committee=committee, key=key).first()
    if row is None:
        return setting.default
    try:
        return clean_value(setting, row.value)
    except ValidationError:
        return setting.default


@transaction.atomic
def set_settings(*, committee, values: dict, actor) -> dict:
    """Validate every value in ``values`` and save them all, or raise ValidationError({key: msg})
    and save nothing. Returns the keys that changed."""
    if not actor.has_perm("core.edit_settings"):
        raise PermissionDenied(_("您没有修改委员会配置的权限。"))
    errors, cleaned = {}, {}
    for key, raw in values.items():
        setting = _setting(key)
        try:
            cleaned[key] = clean_value(setting, raw)
        except ValidationError as exc:
            errors[key] = exc.messages
    if errors:
        raise ValidationError(errors)
    current = get_settings(committee)
    errors = _cross_checks({**current, **cleaned})
    if errors:
        raise ValidationError(errors)
    rows = {
        row.key: row
        for row in CommitteeSetting.objects.select_for_update().filter(
            committee=committee, key__in=cleaned
        )
    }
    changed = {}
    for key, value in cleaned.items():
        if value == current[key] and key in rows:
            continue
        row = rows.get(key)
        if row is None:
            if value == SETTINGS[key].default:
                continue
            row = CommitteeSetting.objects.create(
                committee=committee, key=key, value=value, updated_by=actor
            )
        else:
            row.value, row.updated_by = value, actor
            row.save(update_fields=["value", "updated_by", "updated"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=row,
            committee=committee,
            object_label=str(SETTINGS[key].label),
            before={key: current[key]},
            after={key: value},
        )
        changed[key] = value
    return changed


def set_setting(*, committee, key, value, actor):
    """Change one setting; returns its new typed value."""
    set_settings(committee=committee, values={key: value}, actor=actor)
    return get_setting(committee, key)


def settings_by_area():
    """[(area label, [Setting, ...]), ...] in registry order, for the admin page."""
    grouped = {}
    for setting in SETTINGS.values():
        grouped.setdefault(setting.area, []).append(setting)
    return [(AREAS[area], items) for area, items in grouped.items()]
