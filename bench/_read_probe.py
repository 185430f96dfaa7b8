"""Measure the read path in-process on the database in DATABASE_URL; one JSON line per endpoint.

Run by ``read_bench.py`` (which prepares the database), not by hand.
Requests go through Django's test ``Client``: the full middleware stack and
views, no socket, so the figures are the application's own cost.  Query
counts come from ``CaptureQueriesContext`` on a separate request, so the
timed requests carry no capture overhead.
"""
import argparse
import gc
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench._common import percentile  # noqa: E402
from tracking.models import Institution  # noqa: E402
from tracking.roles import STAFF_GROUP  # noqa: E402

TYPICAL_ISSUES = 30  # the institution page is measured on a hospital with about this many issues


def typical_institution() -> Institution:
    sizes = Institution.objects.annotate(n=Count("inspections__issues")).values_list("pk", "n").order_by("pk")
    pk, _ = min(sizes, key=lambda row: (abs(row[1] - TYPICAL_ISSUES), row[0]))
    return Institution.objects.annotate(n=Count("inspections__issues")).get(pk=pk)


def endpoints(institution):
    return [
        ("overview", reverse("tracking:overview")),
        ("institution page", reverse("tracking:institution", args=[institution.pk])),
        ("api issues status=in_progress", "/api/issues/?status=in_progress"),
        ("institution xlsx export", reverse("tracking:institution-ledger", args=[institution.pk, "xlsx"])),
    ]


def timed(client, url, n, budget_s: float, cpu: list | None = None) -> list[float]:
    """``n`` timings in ms, or fewer (at least 10) when a slow page would overrun ``budget_s``.

    With ``cpu`` the process's CPU time per request (ms) is appended to it: Django's own work,
    steady on a shared machine where the wall clock also holds the wait for a core.
    """
    gc.collect()
    times = []
    deadline = time.perf_counter() + budget_s
    for _ in range(n):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - started_cpu) * 1000)
        if len(times) >= 10 and time.perf_counter() > deadline:
            break
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--show-queries", action="store_true")
    parser.add_argument("--budget", type=float, default=60, help="seconds per endpoint before stopping early")
    args = parser.parse_args()

    user, _ = User.objects.get_or_create(username="bench-staff", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    client = Client()
    client.force_login(user)
    institution = typical_institution()
    for name, url in endpoints(institution):
        row = {"endpoint": name, "url": url, "institutions": Institution.objects.count(),
               "institution_issues": institution.n}
        first = client.get(url)
        if first.status_code != 200:
            print(json.dumps({**row, "error": f"HTTP {first.status_code}"}), flush=True)
            continue
        for _ in range(args.warmup):
            client.get(url)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        # Copied now: every request start empties the connection's query log, which the capture reads lazily.
        queries = list(captured.captured_queries)
        size = len(response.content)
        cpu: list[float] = []
        times = timed(client, url, args.requests, args.budget, cpu)
        floor = timed(client, f"/_bench/floor/{size}/", args.requests, args.budget)
        slowest = sorted(queries, key=lambda q: -float(q["time"]))[:3]
        print(json.dumps({
            **row, "queries": len(queries), "bytes": size, "timed": len(times),
            "median_ms": percentile(times, 50), "p95_ms": percentile(times, 95), "cpu_median_ms": percentile(cpu, 50),
            "db_ms": sum(float(q["time"]) for q in queries) * 1000,
            "floor_median_ms": percentile(floor, 50), "floor_p95_ms": percentile(floor, 95),
            "slowest_queries": [{"ms": float(q["time"]) * 1000, "sql": q["sql"][:600]} for q in slowest]
            if args.show_queries else [],
        }, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
