import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _import_settings(**env):
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "ZHENGXIE_DEMO", "SECRET_KEY"}
    }
    clean.update({"PYTHONPATH": str(ROOT / "src"), "ZHENGXIE_TESTING": "0", **env})
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import zhengxie.settings as s; print(s.TIME_ZONE, s.LANGUAGE_CODE, s.USE_TZ)",
        ],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _import_settings()
    assert result.returncode != 0
    assert "生产模式必须设置 SECRET_KEY" in result.stderr


def test_production_starts_with_a_secret_key():
    result = _import_settings(SECRET_KEY="a-real-secret-key-for-production-0123456789")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Asia/Shanghai", "zh-hans", "True"]


def test_demo_mode_starts_with_the_development_key():
    assert _import_settings(ZHENGXIE_DEMO="1").returncode == 0
