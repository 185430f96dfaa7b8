"""What the read path's slow queries cost now, and what the proposed fixes would cost, on the same data.

    .venv/bin/python bench/read_what_if.py [--institutions 2000]

Queries: inside one transaction that is rolled back, so the index and the
precomputed theme table it tries exist only for the measurement; each line is
the median of five EXPLAIN ANALYZE execution times.  Whole requests: the
test Client in process, first as the code is, then with each fix patched in
for the rest of the run (the patches live only in this process).
"""
import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import bench_env, ensure_database, ensure_demo_data, machine  # noqa: E402


def execution_ms(cursor, sql: str, params=None) -> float:
    times = []
    for _ in range(5):
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        times.append(cursor.fetchone()[0][0]["Execution Time"])
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--institutions", type=int, default=2000)
    args = parser.parse_args()
    url = ensure_database(f"rectify_perf_{args.institutions}")
    ensure_demo_data(url, args.institutions)
    os.environ.update(bench_env(url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectify_site.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from tracking import selectors, themes
    from tracking.models import FeedbackIssue, Institution

    print(f"machine: {machine()}\n{args.institutions} institutions, {FeedbackIssue.objects.count()} issues\n")
    latest = selectors.latest_inspection_issues(Institution.objects.all())
    api = FeedbackIssue.objects.filter(status="in_progress").select_related(
        "inspection__institution", "category", "verified_by")
    with transaction.atomic(), connection.cursor() as cursor:
        def show(label, queryset):
            sql, params = queryset.query.sql_with_params()
            print(f"{execution_ms(cursor, sql, params):9.1f} ms  {label}")

        print("/api/issues/?status=in_progress, one page of 50:")
        show("now: ordered by institution name (sorts every matching issue)",
             api.order_by("inspection__institution__name", "inspection_id", "order", "pk")[:50])
        show("fix, before its index: ordered by (inspection_id, order, id)", api.order_by("inspection_id", "order", "pk")[:50])
        cursor.execute('CREATE INDEX what_if_issue_status_inspection ON tracking_feedbackissue '
                       '(status, inspection_id, "order", id)')
        cursor.execute("ANALYZE tracking_feedbackissue")
        show("fix: same order with an index on (status, inspection_id, order, id)",
             api.order_by("inspection_id", "order", "pk")[:50])
        middle = api.count() // 100 * 50
        show(f"fix, a middle page (OFFSET {middle}; keyset pagination would cost what page 1 does)",
             api.order_by("inspection_id", "order", "pk")[middle:middle + 50])
        show("pagination COUNT(*) for the same filter", FeedbackIssue.objects.filter(status="in_progress").order_by())

        print("\noverview, province-wide blocks over every latest-inspection issue:")
        for label, run in (("now: theme breakdown (12 themes, keywords as LIKE over title and text)",
                            lambda: selectors.theme_breakdown(latest)),
                           ("now: status breakdown", lambda: selectors.status_breakdown(latest))):
            with CaptureQueriesContext(connection) as captured:
                run()
            print(f"{execution_ms(cursor, captured.captured_queries[-1]['sql']):9.1f} ms  {label}")
        cursor.execute("CREATE TEMP TABLE what_if_issue_theme (issue_id bigint, theme varchar(30)) ON COMMIT DROP")
        rows = [(pk, t.key) for pk, title, text in FeedbackIssue.objects.values_list("pk", "title", "text")
                for t in themes.themes_of(title, text)]
        cursor.executemany("INSERT INTO what_if_issue_theme VALUES (%s, %s)", rows)
        cursor.execute("CREATE INDEX ON what_if_issue_theme (issue_id, theme)")
        cursor.execute("ANALYZE what_if_issue_theme")
        latest_sql, latest_params = latest.values("pk").query.sql_with_params()
        grouped = f"SELECT theme, count(*) FROM what_if_issue_theme WHERE issue_id IN ({latest_sql}) GROUP BY theme"
        print(f"{execution_ms(cursor, grouped, latest_params):9.1f} ms  "
              f"fix: themes stored per issue when it is written ({len(rows)} rows), one GROUP BY")
        transaction.set_rollback(True)
    pages(selectors)


def pages(selectors):
    """Whole requests (in process, median of up to 20) as they are, then with each proposed fix patched in."""
    import time

    from django.contrib.auth.models import Group, User
    from django.db.models import Count, Prefetch
    from django.test import Client
    from django.urls import reverse

    from tracking.api.views import FeedbackIssueViewSet
    from tracking.models import Institution, IssueStatement, StatusChange
    from tracking.roles import STAFF_GROUP

    user, _ = User.objects.get_or_create(username="bench-staff")
    user.groups.add(Group.objects.get(name=STAFF_GROUP))
    client = Client()
    client.force_login(user)

    def median_ms(url):
        for _ in range(2):
            client.get(url)
        times, deadline = [], time.perf_counter() + 30
        while len(times) < 20 and (len(times) < 5 or time.perf_counter() < deadline):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        return statistics.median(times)

    heavy = [f"notice__{f}" for f in ("raw_text", "parse_result", "statistics", "warnings", "contacts")]

    def light_prefetches():
        return ["measures", "sections", "actions",
                Prefetch("statements", queryset=IssueStatement.objects.select_related("notice").defer(*heavy)
                         .order_by("notice__published_on", "notice__uploaded_at", "pk")),
                Prefetch("status_changes", queryset=StatusChange.objects.select_related("changed_by", "notice")
                         .defer(*heavy))]

    sizes = Institution.objects.annotate(n=Count("inspections__issues")).values_list("pk", "n")
    pk = min(sizes, key=lambda row: (abs(row[1] - 30), row[0]))[0]
    institution, api, overview = (reverse("tracking:institution", args=[pk]), "/api/issues/?status=in_progress",
                                  reverse("tracking:overview"))
    print("\nwhole requests, in process (median ms):")
    print(f"{median_ms(institution):9.1f} ms  institution page now")
    selectors.issue_detail_prefetches = light_prefetches
    print(f"{median_ms(institution):9.1f} ms  institution page, fix: defer each joined notice's text and JSON")

    print(f"{median_ms(api):9.1f} ms  /api/issues/?status=in_progress now")
    current = FeedbackIssueViewSet.get_queryset
    FeedbackIssueViewSet.get_queryset = lambda self: current(self).order_by("inspection_id", "order", "pk")
    print(f"{median_ms(api):9.1f} ms  the same, fix: ordered by (inspection_id, order, id)")

    print(f"{median_ms(overview):9.1f} ms  overview now")
    computed = selectors.theme_breakdown(selectors.latest_inspection_issues(Institution.objects.all()))
    selectors.theme_breakdown = lambda issues: computed
    print(f"{median_ms(overview):9.1f} ms  overview, fix: theme breakdown from a cache (the rest as it is)")


if __name__ == "__main__":
    main()
