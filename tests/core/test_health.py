"""GET /api/v1/health: database, Redis and task worker, each with its state; 503 when a needed
part fails."""

import datetime
import time
from unittest import mock

import pytest
import redis
from django.db import OperationalError, connection
from huey.contrib.djhuey import HUEY

from zhengxie.core import health
from zhengxie.core.tasks import heartbeat_on_startup, worker_heartbeat

URL = "/api/v1/health"


@pytest.fixture(autouse=True)
def _no_heartbeat(db, settings):
    settings.REDIS_URL = ""  # each test says whether Redis is configured
    HUEY.delete(health.HEARTBEAT_KEY)
    yield
    HUEY.delete(health.HEARTBEAT_KEY)


@pytest.fixture
def fake_redis(settings, monkeypatch):
    """A configured Redis whose PING answers as the test says (no server needed)."""
    settings.REDIS_URL = "redis://127.0.0.1:6399/0"
    answers = {}

    def ping(self, **kwargs):
        if "error" in answers:
            raise answers["error"]
        return True

    monkeypatch.setattr(redis.Redis, "ping", ping)
    return answers


def test_healthy_without_redis_or_worker_as_in_development(client, settings):
    response = client.get(URL)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    latency = body["checks"]["database"].pop("latency_ms")
    assert isinstance(latency, float) and 0 <= latency < 5000
    assert body == {
        "status": "ok",
        "database": connection.vendor,
        "version": settings.VERSION,
        "checks": {
            "database": {"status": "ok", "detail": ""},
            "redis": {"status": "not_configured", "latency_ms": None, "detail": ""},
            "worker": {
                "status": "unknown",
                "last_seen_seconds_ago": None,
                "detail": "尚未收到后台任务进程的心跳。",
            },
        },
    }


def test_database_down_answers_503(client):
    refused = OperationalError("connection refused")
    with mock.patch.object(health.connection, "cursor", side_effect=refused):
        response = client.get(URL)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"] == {
        "status": "error",
        "latency_ms": None,
        "detail": "数据库无法连接。",
    }
    assert "connection refused" not in response.content.decode()  # no internals to the public


def test_redis_configured_and_answering(client, fake_redis):
    response = client.get(URL)
    assert response.status_code == 200
    check = response.json()["checks"]["redis"]
    assert check["status"] == "ok"
    assert check["latency_ms"] >= 0


def test_redis_down_answers_503(client, fake_redis):
    fake_redis["error"] = redis.ConnectionError("Error 111 connecting")
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["checks"]["redis"] == {
        "status": "error",
        "latency_ms": None,
        "detail": "Redis 无法连接。",
    }


def test_worker_heartbeat_task_makes_the_worker_ok(client):
    worker_heartbeat()  # Huey's immediate mode in tests: runs inline, as the worker would
    response = client.get(URL)
    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == {
        "status": "ok",
        "last_seen_seconds_ago": 0,
        "detail": "",
    }


def test_worker_records_a_heartbeat_as_soon_as_it_starts():
    heartbeat_on_startup()
    assert time.time() - health.last_heartbeat() < 5


def test_heartbeat_is_a_periodic_task_every_minute():
    due = worker_heartbeat.task_class().validate_datetime
    assert all(due(datetime.datetime(2026, 3, 1, hour, minute)) for hour, minute in MINUTES)


MINUTES = [(0, 0), (8, 1), (13, 17), (23, 59)]


def test_heartbeat_older_than_three_minutes_is_stale_and_answers_503(client):
    health.record_heartbeat(now=time.time() - 200)
    response = client.get(URL)
    assert response.status_code == 503
    worker = response.json()["checks"]["worker"]
    assert worker["status"] == "stale"
    assert 199 <= worker["last_seen_seconds_ago"] <= 205
    assert worker["detail"] == "后台任务进程已超过 3 分钟没有心跳。"


def test_heartbeat_within_three_minutes_is_ok():
    now = time.time()
    health.record_heartbeat(now=now - 179)
    assert health.check_worker(now=now)["status"] == "ok"
    assert health.check_worker(now=now + 2)["status"] == "stale"


def test_no_heartbeat_fails_in_production_where_a_worker_must_run(client, monkeypatch):
    monkeypatch.setattr(health, "worker_expected", lambda: True)
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["status"] == "unknown"


def test_worker_is_expected_unless_tasks_run_inline_or_debugging(settings):
    assert HUEY.immediate  # the test settings
    assert health.worker_expected() is False


def test_unreadable_task_queue_answers_503(client, monkeypatch):
    def unreadable():
        raise OSError("disk I/O error")

    monkeypatch.setattr(health, "last_heartbeat", unreadable)
    response = client.get(URL)
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {
        "status": "error",
        "last_seen_seconds_ago": None,
        "detail": "任务队列无法读取。",
    }


def test_schema_documents_both_answers_and_every_check(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/health"]["get"]
    assert set(operation["responses"]) == {"200", "503"}
    components = schema["components"]["schemas"]
    assert set(components["HealthChecksOut"]["properties"]) == {"database", "redis", "worker"}
    assert components["WorkerCheckOut"]["properties"]["status"]["enum"] == [
        "ok",
        "stale",
        "unknown",
        "error",
    ]
