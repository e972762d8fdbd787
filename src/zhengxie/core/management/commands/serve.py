"""``zhengxie serve``: the production web server — gunicorn with several sync worker processes.

Why WSGI and sync workers: on a 2-core machine a trivial view with the full middleware served
about 5× more requests per second under gunicorn's sync workers than under uvicorn's ASGI
workers (Django's sync stack pays for the thread hand-off on every request; see
``bench/serve.py`` and docs/deploy.md). Live features that need long-lived connections will get
their own async path behind the same nginx.

The task worker is a separate process: ``zhengxie run_huey``.
"""

import json
import multiprocessing
import os
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

DEFAULT_BIND = "127.0.0.1:8000"
DEFAULT_TIMEOUT = 120  # seconds a request may take (Word reports with charts take a few)
GRACEFUL_TIMEOUT = 30  # seconds running requests get to finish on stop or reload


def default_workers():
    return 2 * multiprocessing.cpu_count() + 1


class JsonAccessLogger(Logger):
    """One JSON object per request on standard output (gunicorn's own format cannot escape
    arbitrary paths safely)."""

    def access(self, resp, req, environ, request_time):
        if not self.cfg.accesslog:
            return
        status = resp.status
        if isinstance(status, str):
            status = int(status.split(None, 1)[0])
        line = {
            "ts": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "type": "access",
            "remote": environ.get("REMOTE_ADDR", ""),
            "forwarded_for": environ.get("HTTP_X_FORWARDED_FOR", ""),
            "method": environ.get("REQUEST_METHOD", ""),
            "path": environ.get("PATH_INFO", ""),
            "query": environ.get("QUERY_STRING", ""),
            "status": status,
            "bytes": getattr(resp, "sent", None),
            "duration_ms": round(request_time.total_seconds() * 1000, 1),
            "request_id": environ.get("HTTP_X_REQUEST_ID", ""),
            "user_agent": environ.get("HTTP_USER_AGENT", ""),
        }
        try:
            self.access_log.info(json.dumps(line, ensure_ascii=False))
        except Exception:  # a log line must never break a response
            self.exception("access log")


class ZhengxieServer(BaseApplication):
    def __init__(self, options):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            if key in self.cfg.settings:  # gunicorn before 25 lacks some (control_socket_*)
                self.cfg.set(key, value)

    def load(self):
        from django.core.wsgi import get_wsgi_application

        return get_wsgi_application()


def server_options(*, bind, workers, timeout):
    return {
        "bind": bind,
        "workers": workers,
        "worker_class": "sync",
        "timeout": timeout,
        "graceful_timeout": GRACEFUL_TIMEOUT,
        # Workers are replaced now and then so a slow leak cannot grow without bound.
        "max_requests": 2000,
        "max_requests_jitter": 200,
        # The worker heartbeat file on tmpfs: a busy disk cannot make gunicorn kill workers.
        "worker_tmp_dir": "/dev/shm" if Path("/dev/shm").is_dir() else None,
        "accesslog": "-",
        "errorlog": "-",
        "logger_class": JsonAccessLogger,
        "proc_name": "zhengxie-web",
        # X-Forwarded-* are trusted from nginx on this machine only.
        "forwarded_allow_ips": "127.0.0.1,::1",
        # Managed by systemd signals; no control socket in the service user's home.
        "control_socket_disable": True,
    }


class Command(BaseCommand):
    help = "运行生产环境网站服务(gunicorn,多个工作进程);后台任务另行运行 zhengxie run_huey。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--bind",
            default=os.environ.get("ZHENGXIE_BIND", DEFAULT_BIND),
            help="监听地址,如 127.0.0.1:8000 或 unix:/run/zhengxie/web.sock"
            f"(默认取环境变量 ZHENGXIE_BIND,否则 {DEFAULT_BIND})",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="工作进程数(默认取环境变量 WEB_CONCURRENCY,否则 CPU 核数×2+1)",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=DEFAULT_TIMEOUT,
            help=f"单个请求的最长处理时间(秒,默认 {DEFAULT_TIMEOUT})",
        )
        parser.add_argument(
            "--print-config",
            action="store_true",
            help="只显示将要使用的设置(JSON),不启动",
        )

    def handle(self, *args, bind, workers, timeout, print_config, **options):
        if workers is None:
            workers = self._workers_from_env()
        if workers < 1:
            raise CommandError(_("工作进程数至少为 1。"))
        opts = server_options(bind=bind, workers=workers, timeout=timeout)
        if print_config:
            shown = {k: v for k, v in opts.items() if k != "logger_class"}
            self.stdout.write(json.dumps(shown, ensure_ascii=False, sort_keys=True))
            return
        self._require_collected_static()
        ZhengxieServer(opts).run()

    def _workers_from_env(self):
        raw = os.environ.get("WEB_CONCURRENCY", "").strip()
        if not raw:
            return default_workers()
        try:
            return int(raw)
        except ValueError:
            raise CommandError(
                _("环境变量 WEB_CONCURRENCY 应为整数,现为“%(value)s”。") % {"value": raw}
            ) from None

    def _require_collected_static(self):
        if not settings.STATIC_MANIFEST:
            return
        if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
            raise CommandError(
                _(
                    "静态文件尚未收集(%(root)s 中没有 staticfiles.json):"
                    "请先运行 zhengxie collectstatic --no-input。"
                )
                % {"root": settings.STATIC_ROOT}
            )
