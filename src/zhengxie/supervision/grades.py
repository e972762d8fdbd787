"""The grades of a democratic appraisal (民主评议), derived from a score by the committee's own
thresholds (setting ``appraisal_grade_thresholds``) unless staff enter a grade."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengxie.core.config import JSON, Setting, get_setting, register_setting
from zhengxie.supervision.models import Grade

DEFAULT_THRESHOLDS = {Grade.EXCELLENT.value: 90, Grade.GOOD.value: 80, Grade.FAIR.value: 60}
THRESHOLD_ORDER = (Grade.EXCELLENT, Grade.GOOD, Grade.FAIR)


def _check_thresholds(value):
    if not isinstance(value, dict) or set(value) != set(DEFAULT_THRESHOLDS):
        raise ValidationError(
            _(
                "请填写优秀、良好、一般三个等次的最低分,"
                '格式如 {"excellent": 90, "good": 80, "fair": 60}。'
            )
        )
    numbers = [value[g.value] for g in THRESHOLD_ORDER]
    if not all(isinstance(n, int | float) and not isinstance(n, bool) for n in numbers):
        raise ValidationError(_("最低分须为数字。"))
    if not all(0 <= n <= 100 for n in numbers):
        raise ValidationError(_("最低分须在0到100之间。"))
    if not numbers[0] > numbers[1] > numbers[2]:
        raise ValidationError(_("最低分须按优秀、良好、一般依次降低。"))


THRESHOLDS_SETTING = Setting(
    "appraisal_grade_thresholds",
    JSON,
    DEFAULT_THRESHOLDS,
    gettext_lazy("民主评议等次分数线"),
    "supervision",
    gettext_lazy(
        "JSON 对象:各等次的最低分(含),低于“一般”的为较差。"
        '如 {"excellent": 90, "good": 80, "fair": 60}。'
    ),
    check=_check_thresholds,
)


def register_settings():
    register_setting(THRESHOLDS_SETTING, area_label=gettext_lazy("民主监督"))


def grade_for(score: Decimal, thresholds: dict) -> str:
    for grade in THRESHOLD_ORDER:
        if score >= Decimal(str(thresholds[grade.value])):
            return grade.value
    return Grade.POOR.value


def thresholds_of(committee) -> dict:
    return get_setting(committee, "appraisal_grade_thresholds")
