"""Pipeline: N notices uploaded through the API, parsed by two Celery workers via Redis, on PostgreSQL.

    .venv/bin/python bench/pipeline_bench.py                # 500 notices
    .venv/bin/python bench/pipeline_bench.py --notices 50   # a quick smoke run

Starts from ``rectify_perf_pipeline``, a fresh copy of the 2,000-institution
database the read benchmark uses (``--preload 0``: empty), and Redis DB 14,
gunicorn (two workers) for the API and two ``celery worker`` processes
(concurrency 1 each), then POSTs generated notices (``tracking.demo_data``:
the samples' layout, 10–60 issues each, ~12 KB of UTF-8) to ``/api/notices/``
from several client threads.  Reports throughput from the first upload to
the last ``parsed_at``, and each worker's resident memory as parsing
progresses.
"""
import argparse
import datetime as dt
import http.client
import json
import random
import re
import shutil
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    PY, REDIS_URL, VAR, bench_env, count_rows, ensure_database, ensure_demo_data, free_port, gunicorn, machine,
    manage, percentile, rss_mib, staff_credentials, start, stop,
)
from tracking import demo_data  # noqa: E402

TARGET_PER_SECOND = 25


def notice_files(count: int, seed: int) -> list[tuple[str, bytes]]:
    """``count`` distinct notices; inspections with two notices give two, as in life."""
    files = []
    plans = demo_data.plan_institutions(random.Random(seed), 10**6, dt.date.today(), set())
    while len(files) < count:
        institution = next(plans)
        for inspection in institution.inspections:
            for k in range(len(inspection.notices)):
                text = demo_data.render_notice(institution, inspection, k)
                files.append((f"{institution.name}通报{k + 1}.txt", text.encode("utf-8")))
    return files[:count]


def upload(port: int, token: str, name: str, data: bytes) -> int:
    boundary = uuid.uuid4().hex
    # The file name as browsers send it: raw UTF-8 inside the quotes.
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: text/plain\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    conn = _connection(port)
    conn.request("POST", "/api/notices/", body=body, headers={
        "Authorization": f"Token {token}", "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Accept": "application/json"})
    response = conn.getresponse()
    response.read()
    return response.status


_local = threading.local()


def _connection(port: int) -> http.client.HTTPConnection:
    # One keep-alive connection per client thread, as a real uploader's browser would hold.
    if getattr(_local, "conn", None) is None:
        _local.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    return _local.conn


def last_id(url: str) -> int:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("select coalesce(max(id), 0) from notices_notice").fetchone()[0]


def progress(url: str, after: int) -> int:
    """Notices of this run whose parse has finished (parsed or failed)."""
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute("select count(*) from notices_notice where id > %s and state in ('parsed', 'failed')",
                            [after]).fetchone()[0]


def outcome(url: str, after: int, issues_before: int) -> dict:
    import psycopg

    with psycopg.connect(url) as conn:
        last = conn.execute("select extract(epoch from max(state_changed_at)) from notices_notice "
                            "where id > %s and state in ('parsed', 'failed')", [after]).fetchone()[0]
        durations = [r[0] for r in conn.execute(
            "select parse_duration_ms from notices_notice where id > %s and parse_duration_ms is not null", [after])]
        errors = dict(conn.execute("select error_code, count(*) from notices_notice where id > %s and "
                                   "state = 'failed' group by 1", [after]).fetchall())
        issues = conn.execute("select count(*) from tracking_feedbackissue").fetchone()[0] - issues_before
    return {"last_parsed": float(last or 0), "durations": durations, "errors": errors, "issues": issues}


_QUERIES_PER_PARSE = """
from django.db import connection
from django.test.utils import CaptureQueriesContext
from notices import services
from notices.models import Notice
from tracking.models import FeedbackIssue
ours = Notice.objects.filter(id__gt=%(after)d, state="parsed", inspection__isnull=False)
sized = sorted(ours, key=lambda n: FeedbackIssue.objects.filter(statements__notice=n).count())
for notice in (sized[0], sized[-1]):
    issues = FeedbackIssue.objects.filter(statements__notice=notice).count()
    Notice.objects.filter(pk=notice.pk).update(state="queued")
    with CaptureQueriesContext(connection) as captured:
        services.notice_apply_parse(notice_id=notice.pk)
    print(issues, len(captured.captured_queries))
"""


def queries_per_parse(url: str, after: int, media) -> list[tuple[int, int]]:
    """(issues, SQL queries) of re-parsing this run's smallest and largest notice in process."""
    out = manage(["shell", "-c", _QUERIES_PER_PARSE % {"after": after}],
                 env=bench_env(url, MEDIA_ROOT=media, CELERY_EAGER=1))
    return [tuple(map(int, line.split())) for line in out.splitlines() if re.fullmatch(r"\d+ \d+", line.strip())]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8, help="concurrent upload threads")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--preload", type=int, default=2000,
                        help="institutions already in the database (0: start empty); the cost of a notice "
                             "must not grow with them")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    files = notice_files(args.notices, args.seed)
    print(f"notices: {len(files)} generated, {sum(len(d) for _, d in files) / len(files) / 1024:.1f} KiB each "
          f"on average; {args.clients} upload clients; 2 gunicorn workers; 2 celery workers × concurrency 1; "
          f"{args.preload} institutions in the database beforehand")

    template = None
    if args.preload:
        template = f"rectify_perf_{args.preload}"
        ensure_demo_data(ensure_database(template), args.preload)
    url = ensure_database("rectify_perf_pipeline", fresh=True, template=template)
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # DB 14 is the benchmarks' own
    media = VAR / "pipeline-media"
    shutil.rmtree(media, ignore_errors=True)
    _, token = staff_credentials(url)
    before, issues_before = last_id(url), count_rows(url, "tracking_feedbackissue")
    logs = VAR / "logs"
    env = bench_env(url, MEDIA_ROOT=media, CELERY_EAGER=0, LOG_LEVEL="INFO")
    workers, web = [], None
    try:
        for i in (1, 2):
            log = logs / f"celery-{i}.log"
            workers.append(start(
                [PY, "-m", "celery", "-A", "rectify_site", "worker", "--pool=prefork", "--concurrency=1",
                 "-Q", "rectify", "-n", f"bench{i}@%h", "--loglevel=INFO", "--without-gossip", "--without-mingle"],
                env=env, log=log, ready=lambda log=log: log.exists() and b" ready." in log.read_bytes()))
        port = free_port()
        web = gunicorn(url, port=port, workers=2, log=logs / "gunicorn-pipeline.log", MEDIA_ROOT=media)
        base_rss = [rss_mib(w.pid) for w in workers]
        memory: list[tuple[int, list[float]]] = []
        started = time.time()
        with ThreadPoolExecutor(args.clients) as pool:
            statuses = list(pool.map(lambda f: upload(port, token, *f), files))
        uploaded = time.time()
        finished = 0
        while finished < len(files) and time.time() - started < args.timeout:
            finished = progress(url, before)
            memory.append((finished, [rss_mib(w.pid) for w in workers]))
            time.sleep(0.25)
        result = outcome(url, before, issues_before)
    finally:
        for proc in [web, *workers]:
            if proc is not None:
                stop(proc)

    accepted = sum(1 for s in statuses if s == 202)
    elapsed = result["last_parsed"] - started
    rate = len(files) / elapsed if elapsed > 0 else 0
    print(f"\nuploads: {accepted}/{len(files)} answered 202 "
          f"(others: {sorted({s for s in statuses if s != 202})}) in {uploaded - started:.1f} s")
    print(f"parsed: {finished}/{len(files)} finished, {sum(result['errors'].values())} failed {result['errors']}; "
          f"{result['issues']} issues written")
    print(f"end to end (first upload → last parsed_at): {elapsed:.1f} s → {rate:.1f} notices/s "
          f"(target ≥ {TARGET_PER_SECOND}: {'ok' if rate >= TARGET_PER_SECOND else 'MISSED'})")
    d = result["durations"]
    print(f"parse task time per notice: median {percentile(d, 50):.0f} ms, p95 {percentile(d, 95):.0f} ms")
    for i, base in enumerate(base_rss):
        series = [rss[i] for _, rss in memory]
        tenth = next((rss[i] for done, rss in memory if done >= len(files) // 10), series[0])
        print(f"worker {i + 1} RSS (MiB, process + pool child): idle {base:.0f}, at 10% parsed {tenth:.0f}, "
              f"peak {max(series):.0f}, at end {series[-1]:.0f}")
    sizes = queries_per_parse(url, before, media)
    print("SQL queries of one parse (re-run in process): " + "; ".join(f"{q} for a notice of {n} issues"
                                                                      for n, q in sizes))
    print(json.dumps({"notices": len(files), "seconds": round(elapsed, 2), "per_second": round(rate, 2)}))


if __name__ == "__main__":
    main()
