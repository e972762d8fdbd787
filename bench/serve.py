"""Requests per second of a trivial view behind the platform's full middleware: gunicorn with
sync workers (WSGI) against uvicorn workers (ASGI, measured only if uvicorn is installed).

    .venv/bin/python bench/serve.py                 # 2 workers each, 10 s per server
    .venv/bin/python bench/serve.py --seconds 20 --workers 4 --concurrency 32

Prints one JSON line. The load comes from this process (asyncio, a new connection per request,
as nginx opens them to an upstream without keepalive) and only ever goes to 127.0.0.1; every run
is bounded by --seconds. On a 2-core machine client and server share the cores, so compare the
servers with each other, not with other machines.

Imported (not run) this file is the servers' settings and URLconf: the platform's settings
with a URLconf of one view, ``/ping``.
"""

if __name__ != "__main__":
    from django.http import HttpResponse
    from django.urls import path

    from zhengxie.settings import *  # noqa: F403

    ROOT_URLCONF = __name__

    def ping(request):
        return HttpResponse("pong", content_type="text/plain")

    def __getattr__(name):
        # The platform's routes too (the middleware links to sign-in, rate-limit pages), read
        # when the first request resolves a URL, after the apps are loaded.
        if name == "urlpatterns":
            from zhengxie.urls import urlpatterns

            return [path("ping", ping), *urlpatterns]
        raise AttributeError(name)

else:
    import argparse
    import asyncio
    import importlib.util
    import json
    import os
    import secrets
    import socket
    import subprocess
    import sys
    import tempfile
    import time
    from pathlib import Path

    ROOT = Path(__file__).resolve().parents[1]
    BIN = Path(sys.executable).parent

    def free_port():
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def server_env(var_dir):
        env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"DEBUG", "ZHENGXIE_DEMO", "DATABASE_URL", "REDIS_URL"}
        }
        env.update(
            {
                "PYTHONPATH": os.pathsep.join([str(ROOT / "bench"), str(ROOT / "src")]),
                "DJANGO_SETTINGS_MODULE": "serve",
                "SECRET_KEY": secrets.token_urlsafe(50),
                "ZHENGXIE_TESTING": "0",
                "ZHENGXIE_VAR": str(var_dir),
                "STATIC_MANIFEST": "0",
                "ALLOWED_HOSTS": "127.0.0.1",
                "LOG_LEVEL": "WARNING",
                "SECURE_SSL_REDIRECT": "0",
                "RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000000",
            }
        )
        return env

    def gunicorn_sync(port, workers):
        return [
            str(BIN / "gunicorn"),
            "django.core.wsgi:get_wsgi_application()",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ]

    def uvicorn_asgi(port, workers):
        return [
            str(BIN / "uvicorn"),
            "--factory",
            "django.core.asgi:get_asgi_application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ]

    def servers():
        yield "gunicorn_sync", gunicorn_sync
        if importlib.util.find_spec("uvicorn"):
            yield "uvicorn_asgi", uvicorn_asgi

    REQUEST = b"GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"

    async def one_request(port):
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(REQUEST)
        await writer.drain()
        data = await reader.read()
        writer.close()
        return data.startswith(b"HTTP/1.1 200")

    async def load(port, seconds, concurrency):
        ok = failed = 0
        deadline = time.monotonic() + seconds

        async def client():
            nonlocal ok, failed
            while time.monotonic() < deadline:
                try:
                    if await one_request(port):
                        ok += 1
                    else:
                        failed += 1
                except OSError:
                    failed += 1

        started = time.monotonic()
        await asyncio.gather(*(client() for _ in range(concurrency)))
        return ok, failed, time.monotonic() - started

    def wait_ready(port, process, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"server exited with {process.returncode}, ")
            try:
                if asyncio.run(one_request(port)):
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit("server did not answer within 30 s")

    def measure(argv, port, env, args, log):
        process = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=log, stderr=log)
        try:
            wait_ready(port, process)
            asyncio.run(load(port, 1, args.concurrency))  # warm every worker
            ok, failed, elapsed = asyncio.run(load(port, args.seconds, args.concurrency))
        finally:
            process.terminate()
            process.wait(timeout=30)
        return {"requests": ok, "failed": failed, "req_per_s": round(ok / elapsed)}

    def main():
        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        parser.add_argument("--seconds", type=float, default=10, help="load per server")
        parser.add_argument("--workers", type=int, default=2, help="server worker processes")
        parser.add_argument("--concurrency", type=int, default=16, help="parallel clients")
        args = parser.parse_args()
        if not 0 < args.seconds <= 120:
            parser.error("--seconds must be within (0, 120]")

        results = {"workers": args.workers, "concurrency": args.concurrency, "cpus": os.cpu_count()}
        with tempfile.TemporaryDirectory(prefix="zx-bench-serve-") as var_dir:
            env = server_env(var_dir)
            for name, build in servers():
                port = free_port()
                with open(Path(var_dir) / f"{name}.log", "w+") as log:
                    try:
                        results[name] = measure(build(port, args.workers), port, env, args, log)
                    finally:
                        if results.get(name, {}).get("failed", 1):
                            log.seek(0)
                            sys.stderr.write(log.read()[-3000:])
        if "uvicorn_asgi" not in results:
            results["uvicorn_asgi"] = "not installed"
        print(json.dumps(results))

    main()
