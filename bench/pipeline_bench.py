"""Pipeline: N notices uploaded through the API, parsed by two Celery workers via Redis, on PostgreSQL.

    .venv/bin/python bench/pipeline_bench.py                # 500 notices, parsed and accepted
    .venv/bin/python bench/pipeline_bench.py --notices 50   # a quick smoke run

Starts from ``rectify_perf_pipeline``, a fresh copy of the 2,000-institution
database the read benchmark uses (``--preload 0``: empty), and Redis DB 14,
gunicorn (two workers) for the API and two ``celery worker`` processes
(concurrency 1 each), then POSTs generated notices (``tracking.demo_data``:
the samples' layout, 10–60 issues each, ~12 KB of UTF-8) to ``/api/notices/``
from several client threads.

A notice counts only once accepted (review app), so acceptance is part of
the run: ``--accept auto`` (default) turns on
``NOTICE_AUTO_ACCEPT_HIGH_CONFIDENCE`` in the workers and uploads each notice
for its hospital (as its clerk would; the hospitals are created beforehand),
so a high-confidence parse enters the ledger in the same task;
``--accept api`` has a reviewer thread ``POST /api/notices/<id>/accept/``
each notice as soon as it is parsed; ``--accept none`` stops at the parse.
Reports throughput from the first upload to the last parse and to the last
acceptance, each worker's resident memory as parsing progresses, and the
SQL statements of one parse (and acceptance) of the smallest and largest notice.
"""
import argparse
import datetime as dt
import http.client
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import (  # noqa: E402
    PY, REDIS_URL, REPO, VAR, bench_env, count_rows, ensure_database, ensure_demo_data, free_port, gunicorn, machine,
    manage, percentile, rss_mib, staff_credentials, start, stop,
)
from tracking import demo_data  # noqa: E402

TARGET_PER_SECOND = 25


def notice_files(count: int, seed: int) -> list[tuple[str, bytes, str]]:
    """``count`` distinct notices ``(file name, bytes, hospital)``; inspections with two notices give two."""
    files = []
    plans = demo_data.plan_institutions(random.Random(seed), 10**6, dt.date.today(), set())
    while len(files) < count:
        institution = next(plans)
        for inspection in institution.inspections:
            for k in range(len(inspection.notices)):
                text = demo_data.render_notice(institution, inspection, k)
                files.append((f"{institution.name}通报{k + 1}.txt", text.encode("utf-8"), institution.name))
    return files[:count]


_INSTITUTIONS = """
import json, sys
from tracking.models import Institution
from tracking.naming import normalize_institution_name
names = json.loads(sys.stdin.read())
keys = {normalize_institution_name(n): n for n in names}
have = set(Institution.objects.filter(normalized_name__in=keys).values_list("normalized_name", flat=True))
Institution.objects.bulk_create([Institution(name=n, normalized_name=k) for k, n in keys.items() if k not in have])
ids = dict(Institution.objects.filter(normalized_name__in=keys).values_list("normalized_name", "id"))
print(json.dumps({n: ids[k] for k, n in keys.items()}))
"""


def institution_ids(url: str, names: set[str]) -> dict[str, int]:
    """The hospitals the notices are for, created when the database does not hold them yet (their clerks' own)."""
    out = subprocess.run([PY, "manage.py", "shell", "-c", _INSTITUTIONS], cwd=REPO, env=bench_env(url),
                         input=json.dumps(sorted(names)), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def accept(port: int, token: str, notice_id: int) -> int:
    conn = _connection(port)
    conn.request("POST", f"/api/notices/{notice_id}/accept/", body=b"{}", headers={
        "Authorization": f"Token {token}", "Content-Type": "application/json", "Accept": "application/json"})
    response = conn.getresponse()
    response.read()
    return response.status


def reviewer(port: int, token: str, url: str, after: int, total: int, stop_at: float, clients: int) -> dict:
    """Accept every parsed, pending notice of this run as soon as it is parsed, from ``clients`` threads."""
    import psycopg

    done: dict[int, int] = {}
    with psycopg.connect(url, autocommit=True) as conn, ThreadPoolExecutor(clients) as pool:
        while len(done) < total and time.time() < stop_at:
            rows = conn.execute("select id, review_state, state from notices_notice where id > %s "
                                "and state in ('parsed', 'failed')", [after]).fetchall()
            todo = [pk for pk, review, state in rows if pk not in done and state == "parsed" and review == "pending"]
            for pk, review, state in rows:
                if pk not in done and (state == "failed" or review not in ("pending", "none")):
                    done[pk] = 0  # failed, or a state a reviewer would not accept blindly (copy, mismatch)
            for pk, status in zip(todo, pool.map(lambda pk: accept(port, token, pk), todo)):
                done[pk] = status
            if not todo:
                time.sleep(0.1)
    return done


def upload(port: int, token: str, name: str, data: bytes, institution_id: int | None = None) -> int:
    boundary = uuid.uuid4().hex
    field = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"institution\"\r\n\r\n{institution_id}\r\n"
             if institution_id else "")
    # The file name as browsers send it: raw UTF-8 inside the quotes.
    body = (f"{field}--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
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
        accepted, last_accepted = conn.execute(
            "select count(*), extract(epoch from max(reviewed_at)) from notices_notice where id > %s "
            "and review_state = 'accepted'", [after]).fetchone()
        reviews = dict(conn.execute("select review_state, count(*) from notices_notice where id > %s group by 1",
                                    [after]).fetchall())
    return {"last_parsed": float(last or 0), "durations": durations, "errors": errors, "issues": issues,
            "accepted": accepted, "last_accepted": float(last_accepted or 0), "reviews": reviews}


_QUERIES_PER_PARSE = """
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.db.models import Count
from notices import services
from notices.models import Notice
ours = Notice.objects.filter(id__gt=%(after)d, state="parsed", inspection__isnull=False).annotate(
    n=Count("statements")).order_by("n", "pk")
for notice in (ours.first(), ours.last()):
    Notice.objects.filter(pk=notice.pk).update(state="queued")
    with CaptureQueriesContext(connection) as captured:
        services.notice_apply_parse(notice_id=notice.pk)
    print(notice.n, len(captured.captured_queries))
"""


def queries_per_parse(url: str, after: int, media) -> list[tuple[int, int]]:
    """(issues, SQL queries) of re-parsing this run's smallest and largest notice in process."""
    out = manage(["shell", "-c", _QUERIES_PER_PARSE % {"after": after}],
                 env=bench_env(url, MEDIA_ROOT=media, CELERY_EAGER=1))
    return [tuple(map(int, line.split())) for line in out.splitlines() if re.fullmatch(r"\d+ \d+", line.strip())]


class CpuMeter:
    """CPU seconds spent by process trees (and PostgreSQL's backends for one database) between two samples.

    Each process's utime+stime (+ its waited-for children's) is read from
    /proc; a process first seen after the start counts from zero.  The
    backends come from pg_stat_activity: persistent connections
    (``DB_CONN_MAX_AGE``), so a 0.25 s sampling sees nearly all their work.
    """

    TICK = os.sysconf("SC_CLK_TCK")

    def __init__(self, url: str, groups: dict[str, list[int]]):
        import psycopg

        self.groups, self.first, self.last = groups, {}, {}
        self.conn = psycopg.connect(url, autocommit=True)
        self.own = self.conn.execute("select pg_backend_pid()").fetchone()[0]
        self.sample(initial=True)

    def _pids(self) -> dict[str, list[int]]:
        found = {name: [p for root in roots for p in (root, *_tree(root))] for name, roots in self.groups.items()}
        found["postgres"] = [r[0] for r in self.conn.execute(
            "select pid from pg_stat_activity where datname = current_database() and pid <> %s", [self.own])]
        return found

    def sample(self, initial: bool = False) -> None:
        for name, pids in self._pids().items():
            for pid in pids:
                cpu = _cpu(pid)
                if cpu is None:
                    continue
                self.first.setdefault((name, pid), cpu if initial else 0.0)
                self.last[(name, pid)] = cpu

    def seconds(self) -> dict[str, float]:
        self.conn.close()
        spent: dict[str, float] = {}
        for (name, pid), cpu in self.last.items():
            spent[name] = spent.get(name, 0.0) + cpu - self.first[(name, pid)]
        return spent


def _tree(pid: int) -> list[int]:
    from bench._common import _descendants

    return _descendants(pid)


def _cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return sum(int(f) for f in fields[11:15]) / CpuMeter.TICK  # utime, stime, cutime, cstime


def database_counters(url: str) -> dict:
    """This database's cumulative writes (pg_stat_database) and the server's WAL position."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("select pg_stat_clear_snapshot()")
        row = conn.execute("select tup_inserted, tup_updated, tup_deleted, xact_commit, "
                           "pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0') from pg_stat_database "
                           "where datname = current_database()").fetchone()
    return dict(zip(("inserted", "updated", "deleted", "commits", "wal"), map(float, row)))


def task_durations(logs: Path, workers: int) -> list[float]:
    """Milliseconds of every finished ``parse_notice`` task, as Celery logs it (「Task … succeeded in 0.05s」)."""
    found = []
    for i in range(1, workers + 1):
        log = logs / f"celery-{i}.log"
        for line in log.read_text(errors="replace").splitlines() if log.exists() else ():
            match = re.search(r"parse_notice\[[^]]+\] succeeded in ([\d.]+)s", line)
            if match:
                found.append(float(match.group(1)) * 1000)
    return found


def parse_alone(files) -> tuple[list[float], float]:
    """Extract + parse of each notice in this process, the floor a worker's task is compared with.

    Returns the wall-clock times (ms) and the mean CPU time per notice (ms).
    """
    from notices.parsing import parse_bytes

    times, cpu = [], time.process_time()
    for name, data, _ in files:
        t = time.perf_counter()
        parse_bytes(data, name)
        times.append((time.perf_counter() - t) * 1000)
    return times, (time.process_time() - cpu) / len(files) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notices", type=int, default=500)
    parser.add_argument("--clients", type=int, default=8, help="concurrent upload threads")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("--preload", type=int, default=2000,
                        help="institutions already in the database (0: start empty); the cost of a notice "
                             "must not grow with them")
    parser.add_argument("--accept", choices=["auto", "api", "none"], default="auto",
                        help="auto: high-confidence parses accepted in the worker (NOTICE_AUTO_ACCEPT_HIGH_CONFIDENCE=1);"
                             " api: a reviewer accepts each parsed notice through the API; none: parse only")
    parser.add_argument("--workers", type=int, default=2, help="celery worker processes")
    parser.add_argument("--pool", default="prefork", help="celery worker --pool (prefork, solo)")
    parser.add_argument("--db-prefix", default="rectify_perf",
                        help="database names <prefix>_<preload> and <prefix>_pipeline (keep apart from others' runs)")
    args = parser.parse_args()
    print(f"machine: {machine()}")
    files = notice_files(args.notices, args.seed)
    print(f"notices: {len(files)} generated, {sum(len(d) for _, d, _ in files) / len(files) / 1024:.1f} KiB each "
          f"on average; {args.clients} upload clients; 2 gunicorn workers; {args.workers} celery workers × "
          f"--pool={args.pool} --concurrency=1; {args.preload} institutions in the database beforehand; "
          f"acceptance: {args.accept}")

    template = None
    if args.preload:
        template = f"{args.db_prefix}_{args.preload}"
        ensure_demo_data(ensure_database(template), args.preload)
    url = ensure_database(f"{args.db_prefix}_pipeline", fresh=True, template=template)
    hospitals = institution_ids(url, {h for _, _, h in files}) if args.accept == "auto" else {}
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # DB 14 is the benchmarks' own
    media = VAR / "pipeline-media"
    shutil.rmtree(media, ignore_errors=True)
    _, token = staff_credentials(url)
    before, issues_before = last_id(url), count_rows(url, "tracking_feedbackissue")
    logs = VAR / "logs"
    env = bench_env(url, MEDIA_ROOT=media, CELERY_EAGER=0, LOG_LEVEL="INFO",
                    NOTICE_AUTO_ACCEPT_HIGH_CONFIDENCE=int(args.accept == "auto"))
    workers, web, reviews = [], None, {}
    try:
        for i in range(1, args.workers + 1):
            log = logs / f"celery-{i}.log"
            log.unlink(missing_ok=True)
            workers.append(start(
                [PY, "-m", "celery", "-A", "rectify_site", "worker", f"--pool={args.pool}", "--concurrency=1",
                 "--prefetch-multiplier=1", "-Q", "rectify", "-n", f"bench{i}@%h", "--loglevel=INFO",
                 "--without-gossip", "--without-mingle"],
                env=env, log=log, ready=lambda log=log: log.exists() and b" ready." in log.read_bytes()))
        port = free_port()
        web = gunicorn(url, port=port, workers=2, log=logs / "gunicorn-pipeline.log", MEDIA_ROOT=media)
        base_rss = [rss_mib(w.pid) for w in workers]
        counters_before = database_counters(url)
        meter = CpuMeter(url, {"web (gunicorn)": [web.pid], "workers (celery)": [w.pid for w in workers]})
        memory: list[tuple[int, list[float]]] = []
        started = time.time()
        review_thread = None
        if args.accept == "api":
            review_thread = ThreadPoolExecutor(1).submit(
                reviewer, port, token, url, before, len(files), started + args.timeout, 2)
        with ThreadPoolExecutor(args.clients) as pool:
            statuses = list(pool.map(lambda f: upload(port, token, f[0], f[1], hospitals.get(f[2])), files))
        uploaded = time.time()
        finished = 0
        while finished < len(files) and time.time() - started < args.timeout:
            finished = progress(url, before)
            memory.append((finished, [rss_mib(w.pid) for w in workers]))
            meter.sample()
            time.sleep(0.25)
        if review_thread is not None:
            reviews = review_thread.result()
        meter.sample()
        cpu = meter.seconds()
        result = outcome(url, before, issues_before)
        time.sleep(0.6)  # the statistics collector reports at most every 500 ms
        counters_after = database_counters(url)
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
    print(f"parsed, end to end (first upload → last parse): {elapsed:.1f} s → {rate:.1f} notices/s "
          f"(target ≥ {TARGET_PER_SECOND}: {'ok' if rate >= TARGET_PER_SECOND else 'MISSED'})")
    accepted_rate = 0.0
    if args.accept != "none":
        spent = max(result["last_accepted"], result["last_parsed"]) - started
        accepted_rate = result["accepted"] / spent if spent > 0 else 0
        refused = sorted({s for s in reviews.values() if s not in (0, 200)})
        print(f"accepted ({args.accept}): {result['accepted']}/{len(files)} in the ledger "
              f"(review states {result['reviews']}{f'; API refusals {refused}' if refused else ''}); "
              f"first upload → last acceptance {spent:.1f} s → {accepted_rate:.1f} accepted notices/s "
              f"(target ≥ {TARGET_PER_SECOND}: {'ok' if accepted_rate >= TARGET_PER_SECOND else 'MISSED'})")
    d = result["durations"]
    tasks = task_durations(logs, args.workers)
    alone, alone_cpu = parse_alone(files)
    print(f"parse in process alone (extract + parse, no database), these notices: median {percentile(alone, 50):.1f} ms,"
          f" p95 {percentile(alone, 95):.1f} ms wall; {alone_cpu:.1f} ms CPU per notice")
    print(f"worker, file read → parse written (parse_duration_ms): median {percentile(d, 50):.0f} ms, "
          f"p95 {percentile(d, 95):.0f} ms")
    ratio = percentile(tasks, 50) / percentile(alone, 50) if tasks and alone else float("nan")
    print(f"worker, whole task (Celery's 'succeeded in', {len(tasks)} tasks): median {percentile(tasks, 50):.0f} ms, "
          f"p95 {percentile(tasks, 95):.0f} ms = {ratio:.1f}× the parse alone (wall clock, inflated by the load)")
    for i, base in enumerate(base_rss):
        series = [rss[i] for _, rss in memory]
        tenth = next((rss[i] for done, rss in memory if done >= len(files) // 10), series[0])
        print(f"worker {i + 1} RSS (MiB, process + pool child): idle {base:.0f}, at 10% parsed {tenth:.0f}, "
              f"peak {max(series):.0f}, at end {series[-1]:.0f}")
    writes = {k: counters_after[k] - counters_before[k] for k in counters_before}
    spent = max(result["last_parsed"], result["last_accepted"]) - started
    print(f"PostgreSQL writes during the run ({spent:.1f} s): {writes['inserted']:.0f} rows inserted "
          f"({writes['inserted'] / spent:.0f}/s), {writes['updated']:.0f} updated ({writes['updated'] / spent:.0f}/s), "
          f"{writes['deleted']:.0f} deleted, {writes['commits']:.0f} commits ({writes['commits'] / spent:.0f}/s), "
          f"WAL {writes['wal'] / 2**20:.1f} MiB ({writes['wal'] / 2**20 / spent:.2f} MiB/s); "
          f"per notice: {writes['inserted'] / len(files):.0f} rows, {writes['commits'] / len(files):.1f} commits, "
          f"{writes['wal'] / len(files) / 1024:.0f} KiB WAL")
    print("CPU per notice (ms): " + ", ".join(f"{name} {seconds / len(files) * 1000:.1f}" for name, seconds in cpu.items())
          + f"; together {sum(cpu.values()) / len(files) * 1000:.1f} ms → at most "
          f"{len(files) * (os.cpu_count() or 1) / sum(cpu.values()):.1f} notices/s on {os.cpu_count()} idle cores")
    worker_cpu = cpu.get("workers (celery)", 0) / len(files) * 1000
    print(f"worker CPU per notice {worker_cpu:.1f} ms = {worker_cpu / alone_cpu:.1f}× the parse alone's CPU "
          f"(target ≤ 5×: {'ok' if worker_cpu <= 5 * alone_cpu else 'MISSED'})")
    sizes = queries_per_parse(url, before, media)
    print("SQL queries of one parse (re-run in process): " + "; ".join(f"{q} for a notice of {n} issues"
                                                                      for n, q in sizes))
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(json.dumps({"notices": len(files), "seconds": round(elapsed, 2), "per_second": round(rate, 2),
                      "accepted": result["accepted"], "accepted_per_second": round(accepted_rate, 2),
                      "task_median_ms": round(percentile(d, 50))}))


if __name__ == "__main__":
    main()
