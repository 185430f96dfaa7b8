"""What every benchmark shares: the machine it ran on, percentiles, its own databases and processes.

Each benchmark is one command on a machine set up as CI is (PostgreSQL and
Redis on 127.0.0.1): it creates its own databases (``rectify_perf_*``),
migrates them, generates data when absent, starts the servers it needs as
child processes in their own process groups, and stops them on the way out.
"""
from __future__ import annotations

import contextlib
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = sys.executable
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
VAR = REPO / "var" / "perf"


# --- figures -------------------------------------------------------------------
def percentile(values, p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    s = sorted(values)
    if not s:
        return float("nan")
    k = (len(s) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def machine() -> str:
    """One line naming the hardware and software the figures came from."""
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    mem_kb = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                   if line.startswith("MemTotal")), 0)
    import django

    parts = [f"{cpu}, {os.cpu_count()} logical CPUs, {mem_kb / 1024 / 1024:.0f} GiB RAM",
             f"{platform.system()} {platform.release()}", f"Python {platform.python_version()}",
             f"Django {django.get_version()}", _pg_version(), _redis_version()]
    load = os.getloadavg()[0]
    return "; ".join(p for p in parts if p) + f"; load average at start {load:.2f}"


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def _pg_version() -> str:
    with contextlib.suppress(Exception):
        import psycopg

        with psycopg.connect(f"{PG_URL}/postgres", connect_timeout=3) as conn:
            return "PostgreSQL " + conn.execute("show server_version").fetchone()[0].split()[0]
    return ""


def _redis_version() -> str:
    with contextlib.suppress(Exception):
        import redis

        return "Redis " + redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).info("server")["redis_version"]
    return ""


# --- databases and data ----------------------------------------------------------
def database_url(name: str) -> str:
    return f"{PG_URL}/{name}"


def ensure_database(name: str, *, fresh: bool = False, template: str | None = None) -> str:
    """Create ``name`` if missing (drop it first when ``fresh``; copy ``template`` if given), migrate it."""
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        if fresh:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            # A file-level copy: seconds for a database that took the generator half a minute.
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    url = database_url(name)
    manage(["migrate", "--noinput", "-v0"], env=bench_env(url))
    return url


def count_rows(url: str, table: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(f"select count(*) from {table}").fetchone()[0]


def ensure_demo_data(url: str, institutions: int) -> None:
    """Top the database up to ``institutions`` generated institutions (a no-op when already there)."""
    have = count_rows(url, "tracking_institution")
    if have > institutions:
        raise SystemExit(f"{url} already holds {have} institutions, more than the {institutions} asked for")
    if have < institutions:
        print(f"generating {institutions - have} institutions into {url} …", flush=True)
        manage(["generate_demo_data", "--institutions", str(institutions - have), "--seed", str(have + 1)],
               env=bench_env(url), echo=True)
        manage(["shell", "-c", "from django.db import connection; connection.cursor().execute('VACUUM ANALYZE')"],
               env=bench_env(url))
    else:
        import psycopg

        # Fresh statistics either way: rows changed since the data was made (a migration, an earlier run)
        # leave the planner guessing where autovacuum is off (as on CI machines), and a plan from stale
        # statistics (the public page once took 28 ms to find one notice by id) is not what production sees.
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("ANALYZE")


def bench_env(url: str, **extra) -> dict:
    """The environment of every child: this benchmark's database, Redis DB 14, media under var/perf."""
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS_URL, "MEDIA_ROOT": str(VAR / "media"),
           "DEBUG": "0", "LOG_LEVEL": "WARNING", "PYTHONPATH": str(REPO)}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def manage(args: list[str], *, env: dict, echo: bool = False) -> str:
    out = subprocess.run([PY, "manage.py", *args], cwd=REPO, env=env, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{out.stdout}\n{out.stderr}")
    if echo and out.stdout.strip():
        print(out.stdout.strip(), flush=True)
    return out.stdout


# --- processes -----------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd: list[str], *, env: dict, log: Path, ready=None, timeout: float = 60) -> subprocess.Popen:
    """Start ``cmd`` in its own process group; wait until ``ready()`` is true."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + timeout
    while ready is not None and not ready():
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc)
            raise SystemExit(f"{cmd[0:4]} did not start; log {log}:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)
    return proc


def stop(proc: subprocess.Popen, timeout: float = 30) -> None:
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status < 500
    except urllib.error.HTTPError as exc:
        # /healthz answers 503 while a dependency (e.g. the worker's heartbeat) is down: the web process is up.
        return exc.code == 503
    except Exception:
        return False


def gunicorn(url: str, *, port: int, workers: int = 2, log: Path, **env_extra):
    env = bench_env(url, **env_extra)
    cmd = [PY, "-m", "gunicorn", "rectify_site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
           "--access-logfile", "-" if os.environ.get("BENCH_ACCESS_LOG") else "/dev/null"]
    return start(cmd, env=env, log=log, ready=lambda: http_ok(f"http://127.0.0.1:{port}/healthz"))


def rss_mib(pid: int) -> float:
    """Resident memory of ``pid`` and all its descendants, in MiB."""
    total = 0
    for p in [pid, *_descendants(pid)]:
        for line in _read(f"/proc/{p}/status").splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def _descendants(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        kids += [int(k) for k in _read(str(task / "children")).split()]
    return kids + [d for k in kids for d in _descendants(k)]


_CREDENTIALS = """
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from rest_framework.authtoken.models import Token
from tracking.roles import STAFF_GROUP
user, _ = User.objects.get_or_create(username="bench-staff", defaults={"is_staff": True})
user.groups.add(Group.objects.get(name=STAFF_GROUP))
session = SessionStore()
session.update({SESSION_KEY: str(user.pk), HASH_SESSION_KEY: user.get_session_auth_hash(),
                BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend"})
session.create()
print(session.session_key, Token.objects.get_or_create(user=user)[0].key)
"""


def staff_credentials(url: str) -> tuple[str, str]:
    """(session cookie value, API token) of a 巡察办 staff user in this database."""
    session, token = manage(["shell", "-c", _CREDENTIALS], env=bench_env(url)).split()[-2:]
    return session, token
