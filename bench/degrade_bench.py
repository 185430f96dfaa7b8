"""Redis frozen and stopped under a real gunicorn: how long users wait, and what they get.

Starts a private ``redis-server`` (needs the binary) and ``gunicorn --workers 2`` on an SQLite
database under ``var/perf/degrade``, then times the pages that use Redis — ``/healthz``, the
overview and dashboard (charts cached in Redis) and an upload (its parse job is published to
Redis) — three times: Redis up, Redis frozen (SIGSTOP: connections accepted, nothing answered)
and Redis stopped. Target: every answer within 2 s and none a 500 (``/healthz`` is 503 whenever a
dependency is down — here always, as no worker runs, so its heartbeat is missing).

    .venv/bin/python bench/degrade_bench.py
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import PY, REPO, VAR, free_port, http_ok, machine, start, stop  # noqa: E402

TARGET_S = 2.0
SAMPLE = sorted((REPO.parent / "shared" / "notices").glob("*.txt"))[0]


def main() -> int:
    if not shutil.which("redis-server"):
        raise SystemExit("needs redis-server on PATH")
    root = VAR / "degrade"
    shutil.rmtree(root, ignore_errors=True)
    (root / "logs").mkdir(parents=True)
    redis_port, web_port = free_port(), free_port()
    env = {**os.environ, "RECTIFY_VAR_DIR": str(root), "DATABASE_URL": f"sqlite:///{root / 'db.sqlite3'}",
           "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "MEDIA_ROOT": str(root / "media"), "DEBUG": "0",
           "LOG_LEVEL": "ERROR", "ALLOWED_HOSTS": "127.0.0.1", "PYTHONPATH": str(REPO)}
    print(machine(), flush=True)
    redis = subprocess.Popen(["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no"],
                             stdout=subprocess.DEVNULL, start_new_session=True)
    web = None
    try:
        subprocess.run([PY, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True)
        session, token = _staff_session_and_token(env)
        web = start([PY, "-m", "gunicorn", "rectify_site.wsgi", "--bind", f"127.0.0.1:{web_port}",
                     "--workers", "2", "--timeout", "30"], env=env, log=root / "logs" / "gunicorn.log",
                    ready=lambda: http_ok(f"http://127.0.0.1:{web_port}/healthz"))
        probe = _Probe(f"http://127.0.0.1:{web_port}", session, token)
        failures = probe.round("redis up")
        os.kill(redis.pid, signal.SIGSTOP)
        failures += probe.round("redis frozen")
        os.kill(redis.pid, signal.SIGCONT)
        stop(redis)
        failures += probe.round("redis stopped")
    finally:
        if web is not None:
            stop(web)
        if redis.poll() is None:
            os.kill(redis.pid, signal.SIGCONT)
            stop(redis)
    print(f"target: every answer < {TARGET_S:g} s and no 500 — {'met' if not failures else f'{failures} missed'}")
    return 1 if failures else 0


def _staff_session_and_token(env) -> tuple[str, str]:
    script = """
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from rest_framework.authtoken.models import Token
from tracking.roles import STAFF_GROUP, ensure_role_groups
ensure_role_groups()
user = User.objects.create_user("bench_staff", is_staff=True)
user.groups.add(Group.objects.get(name=STAFF_GROUP))
session = SessionStore()
session.update({"_auth_user_id": str(user.pk), "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
                "_auth_user_hash": user.get_session_auth_hash()})
session.create()
print(session.session_key, Token.objects.create(user=user).key)
"""
    out = subprocess.run([PY, "manage.py", "shell", "-c", script], cwd=REPO, env=env, check=True,
                         capture_output=True, text=True)
    session, token = out.stdout.split()[-2:]
    return session, token


class _Probe:
    def __init__(self, base: str, session: str, token: str):
        self.base, self.cookie, self.token = base, {"Cookie": f"sessionid={session}"}, token

    def call(self, path, data=None, headers=None):
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                code = response.status
        except urllib.error.HTTPError as exc:
            code = exc.code
        except OSError as exc:
            code = type(exc).__name__
        return code, time.monotonic() - started

    def upload(self):
        boundary = uuid.uuid4().hex
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="n-{boundary[:8]}.txt"\r\n'
                "Content-Type: text/plain\r\n\r\n").encode()
        body += SAMPLE.read_bytes() + boundary.encode() + f"\r\n--{boundary}--\r\n".encode()  # new bytes each time
        return self.call("/api/notices/", body, {"Authorization": f"Token {self.token}",
                                                 "Content-Type": f"multipart/form-data; boundary={boundary}"})

    def round(self, label: str) -> int:
        rows = [("GET /healthz", self.call("/healthz")),
                ("GET /progress/", self.call("/progress/", headers=self.cookie)),
                ("GET /progress/dashboard/", self.call("/progress/dashboard/", headers=self.cookie)),
                ("POST /api/notices/ (upload)", self.upload())]
        missed = 0
        for name, (code, seconds) in rows:
            bad = code == 500 or not isinstance(code, int) or seconds >= TARGET_S
            missed += bad
            print(f"{label:14s} {name:30s} {code!s:>5}  {seconds * 1000:7.0f} ms{'   MISSED' if bad else ''}",
                  flush=True)
        return missed


if __name__ == "__main__":
    sys.exit(main())
