"""The production profile: `check --deploy` is clean with the example environment file, that file
and docs/deploy.md name every variable the settings read, and `zhengxie serve` starts gunicorn,
answers, logs JSON lines and stops gracefully."""

import http.client
import io
import json
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zhengxie.core.logs import JsonLinesFormatter, QuietHeartbeat
from zhengxie.core.management.commands.serve import default_workers

ROOT = Path(__file__).resolve().parents[1]
ENV_EXAMPLE = ROOT / "deploy" / "zhengxie.env.example"
GUIDE = ROOT / "docs" / "deploy.md"
HOST = "zx.example.gov.cn"

# Deploy-check warnings accepted on purpose (the check stays strict for everything else):
ACCEPTED_WARNINGS = {
    # HSTS includeSubDomains: a county's domain (e.g. under the county government's) has other
    # sites the platform neither runs nor can vouch for; forcing HTTPS on them could cut them off.
    "security.W005",
    # HSTS preload: putting a government domain on the browsers' preload list is the domain
    # owner's decision, made once for every site under it, not one application's setting.
    "security.W021",
}


def example_values():
    return dict(
        re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", ENV_EXAMPLE.read_text(encoding="utf-8"), re.M)
    )


# The test run's own switches; the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE would fail the
# deploy check (async.E001).
NOT_INHERITED = {
    "DEBUG",
    "ZHENGXIE_DEMO",
    "HUEY_IMMEDIATE",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def production_env(tmp_path, **extra):
    """The environment of a production process: the example file as an administrator fills it in."""
    env = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    env.update(example_values())
    env.update(
        {
            "PYTHONPATH": str(ROOT / "src"),
            "ZHENGXIE_TESTING": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": secrets.token_urlsafe(50),
            "FIELD_DIGEST_KEY": secrets.token_urlsafe(50),
            "ZHENGXIE_VAR": str(tmp_path / "var"),
            **extra,
        }
    )
    return env


def zhengxie(*args, env, **kwargs):
    return [sys.executable, "-m", "zhengxie.cli", *args], {"env": env, "cwd": ROOT, **kwargs}


def run_zhengxie(*args, env, timeout=120):
    argv, kwargs = zhengxie(*args, env=env)
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=timeout, check=False, **kwargs
    )


# --- check --deploy ---------------------------------------------------------------------------


def test_check_deploy_is_clean_with_the_example_environment(tmp_path):
    result = run_zhengxie("check", "--deploy", env=production_env(tmp_path))
    output = result.stdout + result.stderr
    issues = set(re.findall(r"\((\w+\.[EWC]\d{3})\)", output))
    assert "System check identified" in output or result.returncode == 0, output
    assert issues <= ACCEPTED_WARNINGS, output
    assert not [i for i in issues if ".E" in i or ".C" in i], output


def test_production_settings(tmp_path):
    script = (
        "import json, zhengxie.settings as s; print(json.dumps({"
        "'pool': s.DATABASES['default'].get('OPTIONS', {}).get('pool'),"
        "'conn_max_age': s.DATABASES['default'].get('CONN_MAX_AGE', 0),"
        "'sessions': getattr(s, 'SESSION_ENGINE', ''),"
        "'cache': s.CACHES['default']['BACKEND'],"
        "'static': s.STORAGES['staticfiles']['BACKEND'],"
        "'finders': s.WHITENOISE_USE_FINDERS,"
        "'log_format': s.LOG_FORMAT}))"
    )

    def settings_of(**extra):
        env = production_env(tmp_path, **extra)
        result = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    assert settings_of() == {
        "pool": {"min_size": 1, "max_size": 4, "timeout": 10},
        "conn_max_age": 0,
        "sessions": "django.contrib.sessions.backends.cached_db",
        "cache": "django.core.cache.backends.redis.RedisCache",
        "static": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "finders": False,
        "log_format": "json",
    }
    without_pool = settings_of(DATABASE_POOL="0", DATABASE_POOL_MAX_SIZE="8")
    assert (without_pool["pool"], without_pool["conn_max_age"]) == (None, 60)
    assert settings_of(DATABASE_POOL_MAX_SIZE="8")["pool"]["max_size"] == 8
    # The embedded profile: SQLite, no Redis, a demo without collectstatic.
    embedded = settings_of(
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", REDIS_URL="", ZHENGXIE_DEMO="1"
    )
    assert embedded["pool"] is None
    assert embedded["sessions"] == ""  # Django's default: sessions in the database
    assert embedded["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert embedded["static"] == "whitenoise.storage.CompressedStaticFilesStorage"
    assert (embedded["finders"], embedded["log_format"]) == (True, "plain")


def test_database_connections_come_from_the_pool_on_postgresql(db, settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the pool is PostgreSQL's")
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] == 0
    assert connection.pool is not None
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


# --- the example environment file and the guide stay true ------------------------------------

ENV_READ = re.compile(
    r"""(?:[Ee]nv(?:\(\))?\.\w+|os\.environ\.get)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
)


def variables_read():
    sources = [
        ROOT / "src" / "zhengxie" / "settings.py",
        ROOT / "src" / "zhengxie" / "core" / "management" / "commands" / "serve.py",
    ]
    return {name for path in sources for name in ENV_READ.findall(path.read_text("utf-8"))}


def test_example_env_file_names_every_variable_the_settings_read():
    read = variables_read()
    assert {"DATABASE_URL", "DATABASE_POOL", "ZHENGXIE_BIND", "WEB_CONCURRENCY"} <= read
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", ENV_EXAMPLE.read_text("utf-8"), re.M))
    assert sorted(read - named) == [], "missing from deploy/zhengxie.env.example"
    assert sorted(named - read) == [], "named in the example but read nowhere"


def test_deployment_guide_explains_every_variable():
    guide = GUIDE.read_text("utf-8")
    assert sorted(n for n in variables_read() if f"`{n}`" not in guide) == []


def test_guide_ships_the_files_it_describes():
    guide = GUIDE.read_text("utf-8")
    for name in (
        "zhengxie-web.service",
        "zhengxie-worker.service",
        "nginx-zhengxie.conf",
        "zhengxie.env.example",
    ):
        assert (ROOT / "deploy" / name).exists()
        assert f"deploy/{name}" in guide
    nginx = (ROOT / "deploy" / "nginx-zhengxie.conf").read_text("utf-8")
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert example_values()["SECURE_PROXY_SSL_HEADER"] == "HTTP_X_FORWARDED_PROTO"
    bind = example_values()["ZHENGXIE_BIND"]
    assert f"server {bind};" in nginx


# --- zhengxie serve ---------------------------------------------------------------------------


def serve_config(**options):
    out = io.StringIO()
    call_command("serve", print_config=True, stdout=out, **options)
    return json.loads(out.getvalue())


def test_serve_defaults(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    monkeypatch.delenv("ZHENGXIE_BIND", raising=False)
    config = serve_config()
    assert config["workers"] == default_workers() == 2 * os.cpu_count() + 1
    assert config["bind"] == "127.0.0.1:8000"
    assert config["worker_class"] == "sync"
    assert (config["timeout"], config["graceful_timeout"]) == (120, 30)
    assert config["accesslog"] == "-"


def test_serve_reads_workers_and_address_from_the_environment(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("ZHENGXIE_BIND", "unix:/run/zhengxie/web.sock")
    config = serve_config()
    assert (config["workers"], config["bind"]) == (3, "unix:/run/zhengxie/web.sock")
    options = {"workers": 2, "bind": "127.0.0.1:9000", "timeout": 60}
    assert serve_config(**options) == {**config, **options}  # options win over the environment


def test_serve_rejects_a_bad_worker_count(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "many")
    with pytest.raises(CommandError, match="WEB_CONCURRENCY 应为整数"):
        serve_config()
    with pytest.raises(CommandError, match="工作进程数至少为 1"):
        serve_config(workers=0)


def test_serve_refuses_to_start_before_collectstatic(settings, tmp_path):
    settings.STATIC_MANIFEST = True
    settings.STATIC_ROOT = tmp_path / "static"
    with pytest.raises(CommandError, match="静态文件尚未收集.*collectstatic"):
        call_command("serve", bind="127.0.0.1:1", workers=1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(port, path, timeout=60):
    """GET with the site's host name; waits for the server to accept connections."""
    deadline = time.monotonic() + timeout
    while True:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", path, headers={"Host": HOST, "X-Request-ID": "req-1"})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
        finally:
            conn.close()


@pytest.fixture
def running_server(tmp_path):
    """start(**env) -> port of a `zhengxie serve` with one worker; stopped with SIGTERM."""
    started = []

    def start(**extra):
        port = free_port()
        embedded = {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "REDIS_URL": "",
            "STATIC_MANIFEST": "0",
        }
        env = production_env(tmp_path, **{**embedded, **extra})
        argv, kwargs = zhengxie("serve", "--bind", f"127.0.0.1:{port}", "--workers", "1", env=env)
        process = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs
        )
        started.append(process)
        return port, process

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.communicate()


def stop(process):
    process.send_signal(signal.SIGTERM)
    stdout, stderr = process.communicate(timeout=60)
    return process.returncode, stdout, stderr


def test_serve_answers_logs_json_lines_and_stops_gracefully(running_server):
    port, process = running_server()
    status, headers, body = request(port, "/api/v1/health")
    health = json.loads(body)
    # No worker runs here and production expects one: the monitor must see it.
    assert (status, health["status"]) == (503, "error")
    assert health["checks"]["database"]["status"] == "ok"
    assert health["checks"]["worker"]["status"] == "unknown"
    assert headers["Cache-Control"] == "no-store"
    # Plain HTTP elsewhere is sent to HTTPS (the health check is exempt for local monitors).
    status, headers, _body = request(port, '/odd"path\\x')
    assert status == 301
    assert headers["Location"].startswith(f"https://{HOST}/")

    returncode, stdout, stderr = stop(process)
    assert returncode == 0, stderr
    access = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    assert [(a["method"], a["path"], a["status"]) for a in access] == [
        ("GET", "/api/v1/health", 503),
        ("GET", '/odd"path\\x', 301),
    ]
    assert access[0]["request_id"] == "req-1"
    assert access[0]["duration_ms"] >= 0
    assert "Shutting down: Master" in stderr


@pytest.mark.slow
def test_collected_static_files_are_served_compressed_and_cached_for_a_year(
    tmp_path, running_server
):
    env = production_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = run_zhengxie("collectstatic", "--no-input", "-v", "0", env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "var" / "static" / "staticfiles.json").read_text())
    hashed = manifest["paths"]["vendor/bootstrap/css/bootstrap.min.css"]
    assert re.fullmatch(r"vendor/bootstrap/css/bootstrap\.min\.[0-9a-f]{12}\.css", hashed)

    port, process = running_server(STATIC_MANIFEST="1", SECURE_SSL_REDIRECT="0")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    request(port, "/api/v1/health")  # wait until it answers
    conn.request("GET", f"/static/{hashed}", headers={"Host": HOST, "Accept-Encoding": "gzip"})
    response = conn.getresponse()
    response.read()
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert "immutable" in response.getheader("Cache-Control")
    assert "max-age=315360000" in response.getheader("Cache-Control")
    conn.close()
    status, _headers, body = request(port, "/login/")
    assert status == 200
    assert f"/static/{hashed}".encode() in body
    assert stop(process)[0] == 0


# --- logs -------------------------------------------------------------------------------------


def _record(msg, level=logging.INFO, name="zhengxie.core", exc_info=None, **extra):
    record = logging.LogRecord(name, level, __file__, 1, msg, (), exc_info)
    record.__dict__.update(extra)
    return record


def test_log_records_are_json_lines_with_chinese_kept():
    try:
        raise ValueError("坏了")
    except ValueError:
        exc_info = sys.exc_info()
    line = JsonLinesFormatter().format(
        _record("备份完成\n第二行", level=logging.ERROR, exc_info=exc_info, status_code=500)
    )
    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "ERROR"
    assert data["logger"] == "zhengxie.core"
    assert data["msg"] == "备份完成\n第二行"
    assert data["status"] == 500
    assert "ValueError: 坏了" in data["exc"]
    assert data["ts"].endswith("+00:00")


def test_worker_heartbeat_routine_lines_are_dropped():
    quiet = QuietHeartbeat()
    assert not quiet.filter(_record("Executing zhengxie.core.tasks.worker_heartbeat: 1"))
    assert quiet.filter(_record("Executing zhengxie.core.tasks.email_notifications: 1"))
    assert quiet.filter(
        _record("zhengxie.core.tasks.worker_heartbeat: 1 failed", level=logging.ERROR)
    )
