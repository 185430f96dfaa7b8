"""Load: gunicorn with two workers, 50 concurrent clients for 60 s each on the API list, the overview, a public notice.

    .venv/bin/python bench/load_bench.py                          # 20,000 institutions, 50 clients, 60 s
    .venv/bin/python bench/load_bench.py --duration 10 --institutions 200   # a quick smoke run
    .venv/bin/python bench/load_bench.py --db-prefix rectify_read           # database rectify_read_<N>

Target on each: no errors, p99 ≤ 500 ms.

Needs ``wrk`` (Debian: ``apt-get install -y wrk``), run only against
127.0.0.1.  Uses the read benchmark's database ``<prefix>_<N>``
(generated when absent; one of its notices is published for the public
page), starts ``gunicorn rectify_site.wsgi --workers 2``
(sync workers, DEBUG=0) and drives it with keep-alive connections as a
logged-in staff user (session cookie for the page, token for the API).
wrk is a closed loop: each client sends its next request when the last one
answered, so latency includes the queue in front of the two workers.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    VAR, bench_env, ensure_database, ensure_demo_data, free_port, gunicorn, machine, manage, staff_credentials, stop,
)

P99_TARGET_MS = 500

_PUBLISH = """
import datetime as dt
from django.contrib.auth.models import User
from disclosure.services import notice_publish, notice_set_disclosure_window
from notices.models import Notice
from disclosure.window import local_today
notice = Notice.objects.published().order_by("pk").first()
if notice is None:
    notice = Notice.objects.accepted().order_by("pk").first()
    user = User.objects.get(username="bench-staff")
    notice_set_disclosure_window(notice=notice, start=local_today(), end=local_today() + dt.timedelta(days=30), user=user)
    notice_publish(notice=notice, user=user)
print(notice.pk)
"""


def public_notice(url: str) -> int:
    """A published notice inside its 公开期限 (the benchmark's staff user publishes one when there is none)."""
    return int(manage(["shell", "-c", _PUBLISH], env=bench_env(url)).split()[-1])


def check_ok(url: str, headers: list[str]) -> None:
    """wrk counts a 302 to the login page as success; make sure the page really answers 200."""
    request = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))
    with urllib.request.urlopen(request, timeout=120) as response:
        if response.status != 200 or response.url != url:
            raise SystemExit(f"{url} answered {response.status} at {response.url}, not 200: check the credentials")


def wrk(url: str, headers: list[str], *, connections: int, threads: int, duration: int) -> dict:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "60s"]
    for header in headers:
        cmd += ["-H", header]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    return {"raw": out, **parse_wrk(out)}


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(out: str) -> dict:
    result = {"percentiles": {}}
    for pct, value, unit in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", out, re.M):
        result["percentiles"][int(pct)] = _ms(value, unit)
    requests = re.search(r"(\d+) requests in ([\d.]+)(s|m)", out)
    result["requests"] = int(requests.group(1)) if requests else 0
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    result["per_second"] = float(rate.group(1)) if rate else 0.0
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    result["errors"] = (int(non2xx.group(1)) if non2xx else 0) + (
        sum(int(g) for g in sockets.groups()) if sockets else 0)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--institutions", type=int, default=20000)
    parser.add_argument("--db-prefix", default="rectify_perf", help="the database is <prefix>_<institutions>")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--duration", type=int, default=60, help="seconds per endpoint")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    print(f"machine: {machine()}")
    url = ensure_database(f"{args.db_prefix}_{args.institutions}")
    ensure_demo_data(url, args.institutions)
    session, token = staff_credentials(url)
    published = public_notice(url)
    port = free_port()
    web = gunicorn(url, port=port, workers=2, log=VAR / "logs" / "gunicorn-load.log")
    targets = [
        ("api /api/issues/?status=in_progress", "/api/issues/?status=in_progress", [f"Authorization: Token {token}"]),
        ("overview /progress/", "/progress/", [f"Cookie: sessionid={session}"]),
        (f"public notice /public/{published}/", f"/public/{published}/", []),
    ]
    print(f"load: wrk -t{args.threads} -c{args.connections} -d{args.duration}s against gunicorn --workers 2 "
          f"on 127.0.0.1, {args.institutions} institutions\n")
    print(f"| endpoint | requests | req/s | p50 ms | p90 ms | p99 ms | errors | target (no errors, p99 ≤ {P99_TARGET_MS} ms) |"
          "\n|---|---|---|---|---|---|---|---|")
    try:
        for name, path, headers in targets:
            check_ok(f"http://127.0.0.1:{port}{path}", headers)
            result = wrk(f"http://127.0.0.1:{port}{path}", headers, connections=args.connections,
                         threads=args.threads, duration=args.duration)
            p = result["percentiles"]
            met = result["errors"] == 0 and result["requests"] > 0 and p.get(99, float("inf")) <= P99_TARGET_MS
            print(f"| {name} | {result['requests']} | {result['per_second']:.1f} | {p.get(50, 0):.0f} "
                  f"| {p.get(90, 0):.0f} | {p.get(99, 0):.0f} | {result['errors']} | {'met' if met else 'MISSED'} |",
                  flush=True)
            (VAR / "logs" / f"wrk-{path.strip('/').split('/')[-1] or 'root'}.txt").write_text(result["raw"])
    finally:
        stop(web)
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1/5/15 min)")


if __name__ == "__main__":
    main()
