"""Production mode as a browser meets it: HTTPS-only cookies, HSTS, CSP, and secrets only from the environment.

Settings are read once per process, so production mode runs in a child
process (``manage.py shell``); ``check --deploy`` itself is in
tests/foundation/test_settings.py.
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SECRET = "prod-" + "Vb7Kq2Xw9Lm4Np8Rt3Zy6Hd1Jf5Gs0Cu" * 2
_PROBE = r"""
import json
from django.conf import settings as s
from django.test import Client
from django.test.utils import override_settings
# The manifest of collectstatic is a deployment step, not what is probed here.
with override_settings(STORAGES={**s.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}):
    plain = Client().get("/accounts/login/")
    secure = Client().get("/accounts/login/", secure=True)
print("RESULT" + json.dumps({
    "plain_status": plain.status_code, "plain_location": plain.get("Location", ""),
    "status": secure.status_code, "headers": dict(secure.headers),
    "cookies": {k: {"secure": bool(v["secure"]), "httponly": bool(v["httponly"]), "samesite": v["samesite"]}
                for k, v in secure.cookies.items()},
    "settings": {k: getattr(s, k) for k in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY",
                 "CSRF_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "SESSION_COOKIE_AGE",
                 "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "DEBUG", "SECRET_KEY")},
}))
"""


def _manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"}}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env={**base, **env},
                          capture_output=True, text=True, timeout=180)


def _production(tmp_path, **env):
    return {"RECTIFY_PRODUCTION": "1", "SECRET_KEY": SECRET, "ALLOWED_HOSTS": "testserver",
            "RECTIFY_VAR_DIR": str(tmp_path), **env}


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    run = _manage("shell", "-c", _PROBE, **_production(tmp_path_factory.mktemp("prod")))
    assert run.returncode == 0, run.stderr[-3000:]
    line = next(li for li in run.stdout.splitlines() if li.startswith("RESULT"))
    return json.loads(line[len("RESULT"):])


def test_production_redirects_plain_http_to_https(production):
    assert production["plain_status"] == 301
    assert production["plain_location"].startswith("https://")


def test_production_pages_carry_hsts_csp_nosniff_and_referrer_policy(production):
    headers = production["headers"]
    assert production["status"] == 200
    assert int(re.search(r"max-age=(\d+)", headers["Strict-Transport-Security"]).group(1)) >= 31536000
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "object-src 'none'" in csp and "frame-ancestors 'none'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_production_cookies_are_https_only_and_not_readable_by_scripts(production):
    settings = production["settings"]
    assert settings["SESSION_COOKIE_SECURE"] and settings["CSRF_COOKIE_SECURE"]
    assert settings["SESSION_COOKIE_HTTPONLY"] and settings["CSRF_COOKIE_HTTPONLY"]
    assert settings["SESSION_COOKIE_SAMESITE"] == settings["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert settings["SESSION_COOKIE_AGE"] <= 12 * 3600  # a shared hospital PC does not stay logged in for weeks
    csrf = production["cookies"]["csrftoken"]
    assert csrf["secure"] and csrf["httponly"]


def test_production_takes_its_secret_key_from_the_environment(production):
    assert production["settings"]["SECRET_KEY"] == SECRET
    assert production["settings"]["DEBUG"] is False


@pytest.mark.parametrize("env", [
    {"SECRET_KEY": "dev-only-insecure-key-never-use-in-production-0123456789abcdef"},
    {"SECRET_KEY": "too-short"},
    {"DEBUG": "1"},
    {"DEBUG": "yes"},
], ids=["development key", "short key", "debug on", "debug nonsense"])
def test_production_refuses_to_start_with_unsafe_settings(env, tmp_path):
    run = _manage("check", **_production(tmp_path, **env))
    assert run.returncode != 0
    assert "ImproperlyConfigured" in run.stderr


def test_no_credentials_are_written_in_the_code():
    tracked = subprocess.run(["git", "ls-files", "*.py", "*.toml", "*.cfg", "*.ini", "*.yml", "*.yaml", "*.env",
                              "Makefile", ".ci/*"], cwd=REPO, capture_output=True, text=True, check=True)
    credential = re.compile(r"(postgres|redis)(ql)?://[^\s/@:'\"]+:[^\s/@'\"]+@|-----BEGIN [A-Z ]*PRIVATE KEY")
    offenders = [name for name in tracked.stdout.split()
                 if (REPO / name).is_file() and credential.search((REPO / name).read_text(errors="replace"))]
    assert offenders == []


def test_templates_have_no_inline_scripts_or_event_handlers():
    # The CSP forbids them; one in a template would silently not run in the browser.
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
    handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
    style_attribute = re.compile(r"<[^>]+\sstyle\s*=", re.I)
    found = []
    templates = [*REPO.glob("templates/**/*.html"), *REPO.glob("*/templates/**/*.html")]
    assert len(templates) > 10
    for template in templates:
        text = template.read_text()
        for pattern in (inline_script, handler, style_attribute):
            found += [f"{template.relative_to(REPO)}: {m.group(0)[:60]}" for m in pattern.finditer(text)]
    assert found == []
