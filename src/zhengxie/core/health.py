"""What `GET /api/v1/health` reports: the database, Redis and the task worker, each with a
status, so a monitor can tell which part is down.

The worker proves it is alive by a heartbeat it writes into Huey's own storage (Redis or the
SQLite queue file, which the web processes read as well) when it starts and every minute."""

import logging
import time

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.utils.translation import gettext as _
from huey.contrib.djhuey import HUEY

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "zhengxie:worker-heartbeat"
# The heartbeat task runs every minute; three missed beats mean the worker is gone.
HEARTBEAT_MAX_AGE_SECONDS = 180

OK = "ok"
ERROR = "error"
NOT_CONFIGURED = "not_configured"
STALE = "stale"
UNKNOWN = "unknown"


def _ms(started):
    return round((time.perf_counter() - started) * 1000, 2)


def check_database():
    started = time.perf_counter()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.exception("health: database unreachable")
        return {"status": ERROR, "latency_ms": None, "detail": _("数据库无法连接。")}
    return {"status": OK, "latency_ms": _ms(started), "detail": ""}


def check_redis():
    if not settings.REDIS_URL:
        return {"status": NOT_CONFIGURED, "latency_ms": None, "detail": ""}
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    started = time.perf_counter()
    try:
        client.ping()
    except redis.RedisError:
        log.exception("health: redis unreachable")
        return {"status": ERROR, "latency_ms": None, "detail": _("Redis 无法连接。")}
    finally:
        client.close()
    return {"status": OK, "latency_ms": _ms(started), "detail": ""}


def record_heartbeat(now=None):
    HUEY.put(HEARTBEAT_KEY, time.time() if now is None else now)


def last_heartbeat():
    return HUEY.get(HEARTBEAT_KEY, peek=True)


def worker_expected():
    """In development and tests tasks run inline (Huey's immediate mode): no worker to wait for."""
    return not HUEY.immediate and not settings.DEBUG


def check_worker(now=None):
    try:
        beat = last_heartbeat()
    except Exception:  # the queue's storage (Redis or the SQLite file) is unreachable
        log.exception("health: task queue storage unreachable")
        return {
            "status": ERROR,
            "last_seen_seconds_ago": None,
            "detail": _("任务队列无法读取。"),
        }
    if beat is None:
        return {
            "status": UNKNOWN,
            "last_seen_seconds_ago": None,
            "detail": _("尚未收到后台任务进程的心跳。"),
        }
    age = max(0, round((time.time() if now is None else now) - beat))
    if age > HEARTBEAT_MAX_AGE_SECONDS:
        return {
            "status": STALE,
            "last_seen_seconds_ago": age,
            "detail": _("后台任务进程已超过 3 分钟没有心跳。"),
        }
    return {"status": OK, "last_seen_seconds_ago": age, "detail": ""}


def _failing(name, check):
    if check["status"] in (ERROR, STALE):
        return True
    return name == "worker" and check["status"] == UNKNOWN and worker_expected()


def health_report():
    """(HTTP status, body): 503 when any part that is needed fails."""
    checks = {"database": check_database(), "redis": check_redis(), "worker": check_worker()}
    failing = any(_failing(name, check) for name, check in checks.items())
    body = {
        "status": ERROR if failing else OK,
        "database": connection.vendor,
        "version": settings.VERSION,
        "checks": checks,
    }
    return (503 if failing else 200), body
