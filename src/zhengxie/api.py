"""The JSON API under /api/v1/ (django-ninja); each app contributes a router."""

from django.conf import settings
from django.db import connection
from ninja import NinjaAPI, Schema

api = NinjaAPI(
    title="智慧政协 API",
    version="1",
    description="智慧政协平台接口。认证:POST /api/v1/auth/token 获取令牌,"
    "之后在请求头中携带 Authorization: Bearer <token>。",
    urls_namespace="api",
)


class HealthOut(Schema):
    status: str
    database: str
    version: str


@api.get("/health", response=HealthOut, auth=None, tags=["系统"], summary="健康检查")
def health(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": connection.vendor, "version": settings.VERSION}
