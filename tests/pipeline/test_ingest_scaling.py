"""Ingest costs what the notice costs: statements fixed whatever its size, memory bounded, matching by index.

A 3,000-issue notice once grew a worker past 20 GB (each statement row carried
its notice's whole text and parse JSON) and matching a second 1,500-issue
notice of the same inspection compared every pair (71 s).
"""
import datetime as dt
import tracemalloc

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from notices.models import Notice
from tests import factories
from tracking.ingest import notice_ingest
from tracking.models import FeedbackIssue, IssueStatement, StatusChange

from .conftest import issue, notice

pytestmark = pytest.mark.django_db

SUBJECTS = ["财务管理", "医保基金使用", "药品耗材采购", "干部选拔任用", "意识形态工作", "医疗质量安全", "公务用车管理",
            "科研项目经费", "招标投标", "党支部建设", "警示教育", "临床用血"]
FAULTS = ["不规范", "不到位", "有差距", "把关不严", "机制不健全", "监督不严格", "推进缓慢", "流于形式"]


def _title(i: int) -> str:
    # Distinct titles sharing most of their words, as a big notice's do.
    return f"{SUBJECTS[i % len(SUBJECTS)]}{FAULTS[i // len(SUBJECTS) % len(FAULTS)]}第{i}项"


def _issues(count: int, *, later: bool = False):
    issues = []
    for i in range(1, count + 1):
        title = _title(i)
        if later and i % 3 == 1:
            title += "的问题"  # the same key after normalising
        elif later and i % 3 == 2:
            title = title.replace("第", "笫", 1)  # a typo: another key, found by similarity within its bucket
        issues.append(issue(i, title, "completed" if later else "in_progress",
                            deadline=dt.date(2025, 6, 30) if i % 2 else None))
    return issues


def _parse_and_accept_queries(fake_parser, upload, clerk, name, parsed) -> int:
    fake_parser.results[name] = parsed
    with CaptureQueriesContext(connection) as captured:
        upload(clerk, name, accept=True)
    return len(captured.captured_queries)


def test_statements_to_parse_and_accept_a_notice_do_not_grow_with_its_issues(
        fake_parser, upload, hospital_a_clerk, hospital_b_clerk):
    # SQLite splits a bulk INSERT at 999 parameters (40 issue rows); PostgreSQL takes any number in one.
    small, large = (50, 500) if connection.vendor == "postgresql" else (5, 40)
    # The first upload and acceptance also make the reviewer and load each clerk's permissions: not the
    # notice's cost.
    for clerk, hospital in ((hospital_a_clerk, "清远市中医院"), (hospital_b_clerk, "长沙市中心医院")):
        _parse_and_accept_queries(fake_parser, upload, clerk, f"warm-up-{clerk.pk}.txt",
                                  notice([issue(1, "预热")], institution=hospital, feedback=dt.date(2020, 1, 1)))
    counts = {}
    for size, clerk, hospital in ((small, hospital_a_clerk, "清远市中医院"), (large, hospital_b_clerk, "长沙市中心医院")):
        first = notice(_issues(size), institution=hospital, published=dt.date(2024, 6, 1))
        later = notice(_issues(size, later=True), institution=hospital, published=dt.date(2025, 4, 7))
        counts[size] = (_parse_and_accept_queries(fake_parser, upload, clerk, f"{size}-first.txt", first),
                        _parse_and_accept_queries(fake_parser, upload, clerk, f"{size}-later.txt", later))
        # Really ingested and matched: one issue per parsed issue, each now completed.
        assert FeedbackIssue.objects.filter(inspection__institution__name=hospital, status="completed").count() == size

    assert counts[large] == counts[small]


def test_two_3000_issue_notices_of_one_inspection_match_one_to_one_in_bounded_memory(hospital_a):
    size = 3000
    first_parse = notice(_issues(size), published=dt.date(2024, 6, 1))
    later_parse = notice(_issues(size, later=True), published=dt.date(2025, 4, 7))
    # Each notice row holds its whole text and parse JSON, as a real one does: reading them per statement
    # row is what once cost gigabytes.
    first, later = (
        factories.notice(institution_=hospital_a, published_on=parsed.published_date, parse_result=parsed.to_dict(),
                         raw_text="\n".join(i.text * 20 for i in parsed.issues))
        for parsed in (first_parse, later_parse))

    tracemalloc.start()
    try:
        for row, parsed in ((first, first_parse), (later, later_parse)):
            with transaction.atomic():
                done = notice_ingest(notice=Notice.objects.defer("raw_text", "parse_result").get(pk=row.pk),
                                     parsed=parsed)
                Notice.objects.filter(pk=row.pk).update(inspection=done.inspection, institution=done.institution)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert peak < 300 * 2**20, f"peak {peak / 2**20:.0f} MiB"
    assert FeedbackIssue.objects.count() == size
    first_issue = dict(IssueStatement.objects.filter(notice=first).values_list("order", "issue_id"))
    later_issue = dict(IssueStatement.objects.filter(notice=later).values_list("order", "issue_id"))
    assert len(first_issue) == len(later_issue) == size
    assert later_issue == first_issue  # every issue of the later notice is the first's issue of the same order
    assert not FeedbackIssue.objects.exclude(status="completed").exists()
    assert StatusChange.objects.filter(new_value="completed", notice=later).count() == size
