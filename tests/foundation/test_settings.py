import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from rectify_site.env import env_bool, env_int, env_list

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("raw, value", [("1", True), ("true", True), ("0", False), ("False", False), ("", False)])
def test_env_bool_accepts_only_clear_values(monkeypatch, raw, value):
    monkeypatch.setenv("X_FLAG", raw)
    assert env_bool("X_FLAG") is value


@pytest.mark.parametrize("raw", ["yes", "on", "2", "ture"])
def test_env_bool_refuses_nonsense(monkeypatch, raw):
    monkeypatch.setenv("X_FLAG", raw)
    with pytest.raises(ImproperlyConfigured):
        env_bool("X_FLAG")


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a.example, b.example,,")
    assert env_int("X_INT", 3) == 12 and env_int("X_MISSING", 3) == 3
    assert env_list("X_LIST", []) == ["a.example", "b.example"]
    monkeypatch.setenv("X_INT", "twelve")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_INT", 3)


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env={**base, **env},
                          capture_output=True, text=True, timeout=120)


def test_production_mode_passes_check_deploy(tmp_path):
    run = _manage("check", "--deploy", "--fail-level", "WARNING", RECTIFY_PRODUCTION="1",
                  SECRET_KEY="s3cr3t-" + "x7Qp9Lm2Vn8Rt4Wb6Yc1Zd5Hf3Jk0Gs" * 2, ALLOWED_HOSTS="rectify.example.cn",
                  RECTIFY_VAR_DIR=str(tmp_path))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    run = _manage("check", RECTIFY_PRODUCTION="1", ALLOWED_HOSTS="x.cn", RECTIFY_VAR_DIR=str(tmp_path))
    assert run.returncode != 0 and "SECRET_KEY" in run.stderr


def test_development_defaults_use_sqlite_under_var_and_run_tasks_in_process(tmp_path):
    run = _manage("shell", "-c", "from django.conf import settings as s; "
                  "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.CELERY_TASK_ALWAYS_EAGER, "
                  "s.TIME_ZONE, s.LANGUAGE_CODE)", RECTIFY_VAR_DIR=str(tmp_path))
    assert run.returncode == 0, run.stderr
    engine, name, eager, tz, lang = run.stdout.split()[-5:]
    assert engine.endswith("sqlite3") and name.startswith(str(tmp_path))
    assert (eager, tz, lang) == ("True", "Asia/Shanghai", "zh-hans")
