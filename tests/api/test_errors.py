import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from zhengxie.api import api
from zhengxie.core.workflow import InvalidTransition
from zhengxie.organisation.models import Sector


def handle(rf, exc):
    response = api.on_exception(rf.get("/api/v1/anything"), exc)
    return response.status_code, response["Content-Type"], json.loads(response.content)


@pytest.mark.parametrize(
    ("exc", "status", "body"),
    [
        (PermissionDenied(), 403, {"detail": "您没有执行此操作的权限。"}),
        (PermissionDenied("只有提案委员会可以立案。"), 403, {"detail": "只有提案委员会可以立案。"}),
        (Http404("secret table name"), 404, {"detail": "对象不存在。"}),
        (Sector.DoesNotExist("Sector matching query"), 404, {"detail": "对象不存在。"}),
        (
            InvalidTransition("当前状态下不能执行此操作。"),
            409,
            {"detail": "当前状态下不能执行此操作。"},
        ),
        (ValidationError("答复类别无效。"), 400, {"detail": "答复类别无效。"}),
        (ValidationError({"title": ["标题不能为空。"]}), 400, {"detail": "标题不能为空。"}),
    ],
)
def test_errors_answer_json_with_a_chinese_detail(rf, exc, status, body):
    assert handle(rf, exc) == (status, "application/json; charset=utf-8", body)


def test_health_needs_no_token(client, db, settings):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert {k: body[k] for k in ("status", "database", "version")} == {
        "status": "ok",
        "database": connection.vendor,
        "version": settings.VERSION,
    }
    assert set(body["checks"]) == {"database", "redis", "worker"}


def test_every_operation_but_health_and_token_requires_the_bearer_token(client):
    schema = client.get("/api/v1/openapi.json").json()
    open_operations, secured = [], []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            (secured if operation.get("security") else open_operations).append(
                f"{method.upper()} {path}"
            )
    assert open_operations == ["GET /api/v1/health", "POST /api/v1/auth/token"]
    assert len(secured) == 46
    assert schema["components"]["securitySchemes"] == {
        "ActiveRoleAuth": {"type": "http", "scheme": "bearer"}
    }


def test_every_operation_is_summarised_and_tagged_in_chinese(client):
    schema = client.get("/api/v1/openapi.json").json()
    tags = {
        (operation["tags"][0], operation["summary"])
        for operations in schema["paths"].values()
        for operation in operations.values()
    }
    assert {tag for tag, _summary in tags} == {
        "系统",
        "账号",
        "组织机构",
        "提案",
        "社情民意",
        "会议",
        "委员履职",
        "统计与报告",
    }
    assert all(not summary.isascii() for _tag, summary in tags)
