"""The synthetic data generator: right counts, realistic mix, reproducible, stored like uploads.

Timing lives in ``bench/``; these only check what was written.
"""
import datetime as dt
import hashlib
import json
import random

import pytest
from django.core.management import call_command
from django.db.models import Count

from notices.models import Notice, ParseState
from notices.parsing import parse_text
from tracking import demo_data
from tracking.models import FeedbackIssue, Inspection, Institution, IssueStatement, StatusChange

TODAY = dt.date(2026, 6, 1)


def generate(n, seed=1):
    call_command("generate_demo_data", institutions=n, seed=seed, today=TODAY, stdout=open("/dev/null", "w"))


@pytest.fixture
def generated(db):
    generate(40)


def test_it_creates_exactly_the_requested_institutions_each_with_an_inspection_and_issues(generated):
    assert Institution.objects.count() == 40
    assert not Institution.objects.filter(inspections__isnull=True).exists()
    per_inspection = Inspection.objects.annotate(n=Count("issues")).values_list("n", flat=True)
    assert min(per_inspection) >= 10 and max(per_inspection) <= 60


def test_claimed_statuses_are_mixed_and_some_open_issues_are_overdue(generated):
    statuses = set(FeedbackIssue.objects.values_list("status", flat=True))
    assert statuses == {"completed", "in_progress", "long_term", "not_stated"}
    assert FeedbackIssue.objects.overdue(today=TODAY).exists()
    assert FeedbackIssue.objects.due_soon(days=120, today=TODAY).exists()
    assert set(FeedbackIssue.objects.values_list("verification", flat=True)) >= {"unverified", "verified"}
    assert not FeedbackIssue.objects.exclude(verification="unverified").filter(verified_by__isnull=True).exists()


def test_some_inspections_have_two_notices_with_a_statement_per_notice_and_status_history(generated):
    twice = Inspection.objects.annotate(n=Count("notices")).filter(n=2)
    assert twice.exists()
    inspection = twice.first()
    issue = inspection.issues.first()
    assert IssueStatement.objects.filter(issue=issue).count() == 2
    latest = inspection.notices.order_by("-published_on").first()
    assert issue.last_notice == latest
    claimed = StatusChange.objects.filter(issue__inspection=inspection, kind="claimed")
    assert claimed.filter(old_value="").count() == inspection.issues.count()
    assert StatusChange.objects.filter(kind="claimed").exclude(old_value="").exists()


def test_each_notice_is_parsed_and_its_stored_file_matches_its_sha256(generated):
    notice = Notice.objects.order_by("?").first()
    assert notice.state == ParseState.PARSED
    with notice.file.open("rb") as f:
        data = f.read()
    assert hashlib.sha256(data).hexdigest() == notice.sha256
    assert data.decode("utf-8") == notice.raw_text


def test_a_generated_parse_result_has_the_real_parsers_shape_and_weight():
    institution = next(demo_data.plan_institutions(random.Random(4), 1, TODAY, set()))
    inspection = institution.inspections[-1]
    text = demo_data.render_notice(institution, inspection, 0)
    generated, real = demo_data.parse_result(institution, inspection, 0), parse_text(text).to_dict()
    assert generated.keys() == real.keys()
    assert generated["issues"][0].keys() == real["issues"][0].keys()
    assert [(i["number"], i["title"], i["status"]) for i in generated["issues"]] == [
        (i["number"], i["title"], i["status"]) for i in real["issues"]
    ]
    weight = len(json.dumps(generated, ensure_ascii=False)) / len(json.dumps(real, ensure_ascii=False))
    assert 0.5 < weight < 2


def test_a_second_run_adds_new_institutions_instead_of_clashing_with_the_first(db):
    generate(15, seed=3)
    generate(15, seed=3)
    assert Institution.objects.count() == 30


def test_the_same_seed_plans_the_same_province():
    def plan(seed):
        return list(demo_data.plan_institutions(random.Random(seed), 25, TODAY, set()))

    assert plan(9) == plan(9)
    assert plan(9) != plan(10)


def test_the_real_parser_reads_a_generated_notice_back_to_its_plan():
    """The pipeline benchmark uploads these texts; they must parse like real notices."""
    plans = demo_data.plan_institutions(random.Random(5), 8, TODAY, set())
    for institution in plans:
        inspection = institution.inspections[-1]
        parsed = parse_text(demo_data.render_notice(institution, inspection, 0))
        assert parsed.institution == institution.name
        assert [c.title for c in parsed.categories] == list(inspection.categories)
        assert [(i.number, i.title, i.status) for i in parsed.issues] == [
            (i.number, i.title, i.statuses[0]) for i in inspection.issues
        ]


def test_generated_notices_are_accepted_and_the_counters_match_their_issues(generated):
    # Only accepted notices have ledger rows (issue #12), and the overview reads the counters.
    assert Notice.objects.count() and not Notice.objects.exclude(review_state="accepted").exists()
    for inspection in Inspection.objects.annotate(n=Count("issues")).order_by("pk")[:50]:
        assert inspection.n_issues == inspection.n
    assert not Institution.objects.filter(latest_inspection__isnull=True, inspections__isnull=False).exists()
