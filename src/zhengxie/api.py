"""The JSON API under /api/v1/ (django-ninja); each app contributes a router."""

from typing import Literal

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from zhengxie.core.api import ActiveRoleAuth
from zhengxie.core.api import router as core_router
from zhengxie.core.health import health_report
from zhengxie.core.workflow import InvalidTransition
from zhengxie.meetings.api import router as meetings_router
from zhengxie.opinions.api import router as opinions_router
from zhengxie.organisation.api import router as organisation_router
from zhengxie.performance.api import router as performance_router
from zhengxie.proposals.api import router as proposals_router
from zhengxie.proposals.api_stats import router as proposals_stats_router
from zhengxie.reports.api import router as reports_router

api = NinjaAPI(
    title="智慧政协 API",
    version="1",
    description="智慧政协平台接口。认证:POST /api/v1/auth/token 获取令牌,"
    "之后在请求头中携带 Authorization: Bearer <token>。",
    urls_namespace="api",
    auth=ActiveRoleAuth(),
)


class ServiceCheckOut(Schema):
    status: Literal["ok", "error", "not_configured"]
    latency_ms: float | None
    detail: str


class WorkerCheckOut(Schema):
    status: Literal["ok", "stale", "unknown", "error"]
    last_seen_seconds_ago: int | None
    detail: str


class HealthChecksOut(Schema):
    database: ServiceCheckOut
    redis: ServiceCheckOut
    worker: WorkerCheckOut


class HealthOut(Schema):
    status: Literal["ok", "error"]
    database: str = Field(description="数据库类型(sqlite 或 postgresql)")
    version: str
    checks: HealthChecksOut


@api.get(
    "/health",
    response={200: HealthOut, 503: HealthOut},
    auth=None,
    tags=["系统"],
    summary="健康检查",
    description="数据库、Redis 和后台任务进程的状态;任何一项需要的部分不正常时返回 503。",
)
def health(request, response: HttpResponse):
    response["Cache-Control"] = "no-store"
    return Status(*health_report())


api.add_router("", core_router)
api.add_router("", organisation_router)
api.add_router("", proposals_stats_router)
api.add_router("", proposals_router)
api.add_router("", opinions_router)
api.add_router("", meetings_router)
api.add_router("", performance_router)
api.add_router("", reports_router)


# --- errors: always JSON with a Chinese ``detail`` ------------------------------------------


def _detail(request, message, status, **extra):
    return api.create_response(request, {"detail": str(message), **extra}, status=status)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _detail(request, _("未登录或令牌无效。"), 401)


@api.exception_handler(HttpError)
def on_http_error(request, exc):
    if exc.message.startswith("Cannot parse request body"):  # ninja's own, in English
        return _detail(request, _("请求体不是有效的 JSON。"), 400)
    return _detail(request, exc.message, exc.status_code)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc):
    return _detail(request, str(exc) or _("您没有执行此操作的权限。"), 403)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _detail(request, _("对象不存在。"), 404)


@api.exception_handler(ObjectDoesNotExist)
def on_does_not_exist(request, exc):
    return _detail(request, _("对象不存在。"), 404)


@api.exception_handler(InvalidTransition)
def on_invalid_transition(request, exc):
    return _detail(request, str(exc) or _("当前状态下不能执行此操作。"), 409)


@api.exception_handler(DjangoValidationError)
def on_django_validation_error(request, exc):
    return _detail(request, "".join(exc.messages) or _("提交的数据有误。"), 400)


# pydantic error types → Chinese messages (anything else keeps a generic message).
FIELD_MESSAGES = {
    "missing": gettext_lazy("此项为必填项。"),
    "int_parsing": gettext_lazy("请输入整数。"),
    "int_type": gettext_lazy("请输入整数。"),
    "float_parsing": gettext_lazy("请输入数字。"),
    "bool_parsing": gettext_lazy("请输入 true 或 false。"),
    "bool_type": gettext_lazy("请输入 true 或 false。"),
    "string_type": gettext_lazy("请输入文本。"),
    "string_too_long": gettext_lazy("内容过长。"),
    "string_too_short": gettext_lazy("内容过短。"),
    "string_pattern_mismatch": gettext_lazy("含有不允许的字符。"),
    "greater_than": gettext_lazy("数值太小。"),
    "greater_than_equal": gettext_lazy("数值太小。"),
    "less_than": gettext_lazy("数值太大。"),
    "less_than_equal": gettext_lazy("数值太大。"),
    "enum": gettext_lazy("不是有效的选项。"),
    "literal_error": gettext_lazy("不是有效的选项。"),
    "date_parsing": gettext_lazy("日期格式应为 YYYY-MM-DD。"),
    "date_from_datetime_parsing": gettext_lazy("日期格式应为 YYYY-MM-DD。"),
    "datetime_parsing": gettext_lazy("日期时间格式有误。"),
    "json_invalid": gettext_lazy("请求体不是有效的 JSON。"),
    "model_attributes_type": gettext_lazy("请求体格式有误。"),
    "dict_type": gettext_lazy("请求体格式有误。"),
    "list_type": gettext_lazy("应为列表。"),
}


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc):
    errors = [
        {
            "loc": [str(part) if not isinstance(part, int) else part for part in e.get("loc", ())],
            "msg": str(FIELD_MESSAGES.get(e.get("type", ""), _("输入有误。"))),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors
    ]
    return _detail(request, _("请求参数有误。"), 422, errors=errors)
