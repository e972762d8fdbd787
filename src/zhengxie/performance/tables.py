"""Writing point tables: a year's table starts from the previous year's latest version (or the
default table, ``defaults.py``); every save writes a new, immutable version."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from zhengxie.core.audit import audit_record
from zhengxie.core.duty import DUTY_KINDS, is_valid_duty
from zhengxie.core.models import AuditAction, Level
from zhengxie.core.periods import MAX_YEAR, MIN_YEAR
from zhengxie.performance import defaults
from zhengxie.performance.models import (
    ExitRule,
    ExitRuleKind,
    ExitScope,
    Per,
    PointRule,
    PointTable,
    PointTableVersion,
    Split,
)

RULE_FIELDS = (
    "kind",
    "sub_kind",
    "level",
    "label",
    "points",
    "per",
    "cap",
    "split",
    "secondary_points",
)
EXIT_FIELDS = ("kind", "meeting_category", "scope", "count")
MEETING_CATEGORIES = ("plenary", "standing", "chairs", "special_committee", "other")


def default_contents():
    """The default table as the dict ``table_save`` takes."""
    return {
        "pass_mark": defaults.PASS_MARK,
        "commendation_threshold": defaults.COMMENDATION_THRESHOLD,
        "commendation_share": defaults.COMMENDATION_SHARE,
        "rules": [dict(zip(RULE_FIELDS, row, strict=True)) for row in defaults.RULES],
        "exit_rules": [dict(zip(EXIT_FIELDS, row, strict=True)) for row in defaults.EXIT_RULES],
    }


def version_contents(version):
    return {
        "pass_mark": version.pass_mark,
        "commendation_threshold": version.commendation_threshold,
        "commendation_share": version.commendation_share,
        "rules": [
            {name: getattr(r, name) for name in RULE_FIELDS}
            for r in version.rules.order_by("position", "pk")
        ],
        "exit_rules": [
            {name: getattr(r, name) for name in EXIT_FIELDS}
            for r in version.exit_rules.order_by("position", "pk")
        ],
    }


def _decimal(value, *, required=True):
    if value in (None, ""):
        if required:
            raise ValueError
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValueError from None
    if not number.is_finite() or abs(number) >= Decimal("100000"):
        raise ValueError
    return number.quantize(Decimal("0.01"))


def clean_rules(rows) -> list[dict]:
    """Checked rule rows, or ValidationError naming each bad row (第N行) in Chinese."""
    errors, cleaned, seen = [], [], set()
    for n, row in enumerate(rows, start=1):
        problems = []
        kind, sub_kind = (row.get("kind") or "").strip(), (row.get("sub_kind") or "").strip()
        level = (row.get("level") or "").strip()
        if kind not in DUTY_KINDS:
            problems.append(_("履职事项无效"))
        elif sub_kind and not is_valid_duty(kind, sub_kind):
            problems.append(_("细项“%(s)s”不属于该事项") % {"s": sub_kind})
        if level and level not in Level.values:
            problems.append(_("级别无效"))
        label = (row.get("label") or "").strip()
        if not label:
            problems.append(_("请填写名称"))
        try:
            points = _decimal(row.get("points"))
        except ValueError:
            points = None
            problems.append(_("分值须为数字"))
        try:
            cap = _decimal(row.get("cap"), required=False)
            if cap is not None and cap <= 0:
                problems.append(_("年度上限须大于 0"))
        except ValueError:
            cap = None
            problems.append(_("年度上限须为数字"))
        try:
            secondary = _decimal(row.get("secondary_points"), required=False)
        except ValueError:
            secondary = None
            problems.append(_("次要分值须为数字"))
        per, split = row.get("per") or Per.ITEM, row.get("split") or Split.FULL
        if per not in Per.values:
            problems.append(_("计分单位无效"))
        if split not in Split.values:
            problems.append(_("共同履职计分方式无效"))
        if split in (Split.ROLE, Split.ORDER) and secondary is None:
            problems.append(_("按牵头或排序计分时须填写次要分值"))
        key = (kind, sub_kind, level)
        if key in seen:
            problems.append(_("与前面的规则重复"))
        seen.add(key)
        if problems:
            errors.append(_("第%(n)s行:%(p)s。") % {"n": n, "p": ";".join(problems)})
            continue
        cleaned.append(
            {
                "kind": kind,
                "sub_kind": sub_kind,
                "level": level,
                "label": label[:64],
                "points": points,
                "per": per,
                "cap": cap,
                "split": split,
                "secondary_points": secondary,
            }
        )
    if not cleaned and not errors:
        errors.append(_("积分表至少要有一条规则。"))
    if errors:
        raise ValidationError({"rules": errors})
    return cleaned


def clean_exit_rules(rows) -> list[dict]:
    errors, cleaned = [], []
    for n, row in enumerate(rows, start=1):
        kind, scope = row.get("kind"), row.get("scope") or ExitScope.TERM
        category = (row.get("meeting_category") or "").strip()
        try:
            count = int(row.get("count"))
        except (TypeError, ValueError):
            count = 0
        problems = []
        if kind not in ExitRuleKind.values:
            problems.append(_("情形无效"))
        if scope not in ExitScope.values:
            problems.append(_("计算方式无效"))
        if kind == ExitRuleKind.ABSENCES and category not in MEETING_CATEGORIES:
            problems.append(_("请选择会议类别"))
        if not 1 <= count <= 10:
            problems.append(_("次数须在 1 到 10 之间"))
        if problems:
            errors.append(_("退出规则第%(n)s行:%(p)s。") % {"n": n, "p": ";".join(problems)})
            continue
        cleaned.append(
            {
                "kind": kind,
                "meeting_category": category if kind == ExitRuleKind.ABSENCES else "",
                "scope": scope,
                "count": count,
            }
        )
    if errors:
        raise ValidationError({"exit_rules": errors})
    return cleaned


def _check_year(year):
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": _("年度无效。")})


def table_ensure(*, committee, year, actor=None) -> PointTable:
    """The committee's table for ``year``, created with a first version copied from the latest
    earlier year's table, or from the default table."""
    _check_year(year)
    table = PointTable.objects.filter(committee=committee, year=year).first()
    if table is not None and table.versions.exists():
        return table
    earlier = (
        PointTableVersion.objects.filter(table__committee=committee, table__year__lt=year)
        .order_by("-table__year", "-number")
        .first()
    )
    contents = version_contents(earlier) if earlier else default_contents()
    note = _("沿用%(y)s年度积分表") % {"y": earlier.table.year} if earlier else _("默认积分表")
    try:
        with transaction.atomic():
            table, _created = PointTable.objects.get_or_create(committee=committee, year=year)
            table = PointTable.objects.select_for_update().get(pk=table.pk)
            if not table.versions.exists():
                _write_version(table, contents, actor=actor, note=note)
    except IntegrityError:  # another request created it first
        table = PointTable.objects.get(committee=committee, year=year)
    return table


def _write_version(table, contents, *, actor, note):
    last = table.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = PointTableVersion.objects.create(
        committee=table.committee,
        table=table,
        number=last + 1,
        pass_mark=contents["pass_mark"],
        commendation_threshold=contents["commendation_threshold"],
        commendation_share=contents["commendation_share"],
        note=note[:255],
        created_by=actor,
    )
    PointRule.objects.bulk_create(
        [
            PointRule(committee=table.committee, version=version, position=n, **row)
            for n, row in enumerate(contents["rules"], start=1)
        ]
    )
    ExitRule.objects.bulk_create(
        [
            ExitRule(committee=table.committee, version=version, position=n, **row)
            for n, row in enumerate(contents["exit_rules"], start=1)
        ]
    )
    return version


@transaction.atomic
def table_save(*, actor, table: PointTable, contents: dict, note: str = "") -> PointTableVersion:
    """Save an edited table as its next version (the earlier ones stay). ``contents`` has
    pass_mark, commendation_threshold, commendation_share, rules and exit_rules."""
    if not actor.has_perm("performance.edit_rules"):
        raise PermissionDenied(_("只有系统管理员可以修改积分规则。"))
    errors = {}
    cleaned = {}
    for key in ("pass_mark", "commendation_threshold"):
        try:
            cleaned[key] = _decimal(contents.get(key))
            if cleaned[key] < 0:
                raise ValueError
        except ValueError:
            errors[key] = _("请填写不小于 0 的分数。")
    try:
        share = int(contents.get("commendation_share"))
        if not 1 <= share <= 100:
            raise ValueError
        cleaned["commendation_share"] = share
    except (TypeError, ValueError):
        errors["commendation_share"] = _("推荐比例须在 1 到 100 之间。")
    for key, clean in (("rules", clean_rules), ("exit_rules", clean_exit_rules)):
        try:
            cleaned[key] = clean(contents.get(key) or [])
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    table = PointTable.objects.select_for_update().get(pk=table.pk)
    version = _write_version(table, cleaned, actor=actor, note=note.strip() or _("修改积分规则"))
    audit_record(
        actor=actor,
        action=AuditAction.UPDATE,
        obj=table,
        after={"version": version.number, "rules": len(cleaned["rules"])},
        note=version.note,
    )
    return version
