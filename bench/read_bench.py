"""Read path at two database sizes: overview, institution page, /api/issues/?status=…, xlsx export.

    .venv/bin/python bench/read_bench.py                 # 2,000 and 20,000 institutions (~60,000 / ~600,000 issues)
    .venv/bin/python bench/read_bench.py --sizes 20 200  # a quick smoke run
    .venv/bin/python bench/read_bench.py --db-prefix rectify_read   # databases rectify_read_<size>

For each size it creates (once) the PostgreSQL database ``<prefix>_<size>`` (default ``rectify_perf``)
with ``generate_demo_data``, then measures every endpoint in-process with
Django's test Client (``_read_probe.py``): median and p95 over repeated
requests, SQL queries per request, and the same for a bare view returning a
response of the same size (the framework's floor) in the same run.
"""
import argparse
import os
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import PY, REPO, bench_env, ensure_database, ensure_demo_data, machine  # noqa: E402

TARGET_MS = {"overview": 50, "institution page": 50, "api issues status=in_progress": 30,
             "institution xlsx export": 100}
MAX_FLOOR_RATIO = 3


def probe(size: int, requests: int, show_queries: bool, budget: float, prefix: str) -> list[dict]:
    url = ensure_database(f"{prefix}_{size}")
    ensure_demo_data(url, size)
    cmd = [PY, str(REPO / "bench" / "_read_probe.py"), "--requests", str(requests), "--budget", str(budget)]
    out = subprocess.run(cmd + (["--show-queries"] if show_queries else []), cwd=REPO, capture_output=True,
                         text=True, env=bench_env(url, DJANGO_SETTINGS_MODULE="bench.settings"))
    if out.returncode:
        raise SystemExit(f"probe failed:\n{out.stderr[-4000:]}")
    return [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]


def verdict(row: dict) -> str:
    target = TARGET_MS.get(row["endpoint"])
    ratio = row["median_ms"] / row["floor_median_ms"]
    checks = [f"{ratio:.1f}× floor {'ok' if ratio <= MAX_FLOOR_RATIO else 'MISSED'}"]
    if target:
        checks.insert(0, f"median ≤ {target} ms {'ok' if row['median_ms'] <= target else 'MISSED'}")
    return ", ".join(checks)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--db-prefix", default="rectify_perf", help="databases are <prefix>_<size>")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per endpoint")
    parser.add_argument("--show-queries", action="store_true", help="print the three slowest SQL per endpoint")
    parser.add_argument("--budget", type=float, default=60,
                        help="seconds of timed requests per endpoint; a slower page stops early (≥ 10 requests)")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    print("method: in-process Django test Client on PostgreSQL, DEBUG=0, staff user; "
          f"{args.requests} timed requests per endpoint after 5 warm-up requests "
          f"(fewer, at least 10, where they would take over {args.budget:.0f} s)")
    by_endpoint: dict[str, dict[int, dict]] = {}
    for size in args.sizes:
        for row in probe(size, args.requests, args.show_queries, args.budget, args.db_prefix):
            by_endpoint.setdefault(row["endpoint"], {})[size] = row
    print(f"\n| endpoint | institutions | issues of page's hospital | queries | SQL ms | bytes | requests | median ms "
          f"| p95 ms | app CPU median ms | floor median ms | verdict |\n|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, rows in by_endpoint.items():
        for size, row in rows.items():
            if "error" in row:
                print(f"| {name} | {row['institutions']} | | | | | {row['error']} | | | not measured |")
                continue
            print(f"| {name} | {row['institutions']} | {row['institution_issues']} | {row['queries']} | {row['db_ms']:.1f} "
                  f"| {row['bytes']} | {row['timed']} | {row['median_ms']:.1f} | {row['p95_ms']:.1f} "
                  f"| {row['cpu_median_ms']:.1f} | {row['floor_median_ms']:.1f} | {verdict(row)} |")
            for q in row.get("slowest_queries", []):
                print(f"    {q['ms']:.1f} ms  {q['sql']}")
    print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1/5/15 min); "
          "columns: SQL ms = the database time of one captured request; app CPU = this process's CPU per request")
    for name, rows in by_endpoint.items():
        counts = {size: row.get("queries") for size, row in rows.items()}
        same = len(set(counts.values())) == 1 and None not in counts.values()
        print(f"queries {name}: {counts} → {'constant' if same else 'NOT constant'}")


if __name__ == "__main__":
    main()
