"""Linking an accepted notice to institutions, inspections and issues, and the status history across notices.

A parse alone writes nothing into the ledger (tests/review_loop prove that); these
tests accept each upload as staff would and check what acceptance writes.
"""
import datetime as dt

import pytest

from notices.services import notice_withdraw
from tracking.models import FeedbackIssue, Inspection, Institution, IssueStatement, StatusChange

from .conftest import issue, notice

pytestmark = pytest.mark.django_db

FIRST = [issue(1, "理论学习不深入"), issue(2, "落实中医药发展政策有差距", "in_progress"),
         issue(3, "财务管理不规范", "in_progress")]
LATER = [issue(1, "理论学习不深入的问题", "completed"), issue(2, "落实中医药发展政策有差距", "completed"),
         issue(3, "财务管理不规范问题", "in_progress")]


def test_two_notices_of_one_inspection_give_one_inspection_with_per_issue_status_history(
        fake_parser, upload, hospital_a_clerk, hospital_a):
    fake_parser.results["first.txt"] = notice(FIRST, institution="市中医院", published=dt.date(2024, 6, 1))
    fake_parser.results["later.txt"] = notice(LATER, published=dt.date(2025, 4, 7), group="市委第五巡察组")

    first = upload(hospital_a_clerk, "first.txt", accept=True)
    later = upload(hospital_a_clerk, "later.txt", accept=True)

    assert Inspection.objects.count() == 1
    assert first.inspection_id == later.inspection_id
    assert FeedbackIssue.objects.count() == 3
    learning = FeedbackIssue.objects.get(number="1")
    assert learning.status == "completed"
    assert learning.last_notice_id == later.pk
    said = list(IssueStatement.objects.filter(issue=learning).order_by("notice__published_on")
                .values_list("notice_id", "status"))
    assert said == [(first.pk, "not_stated"), (later.pk, "completed")]
    changes = list(StatusChange.objects.filter(issue=learning).values_list("old_value", "new_value", "notice_id"))
    assert changes == [("", "not_stated", first.pk), ("not_stated", "completed", later.pk)]
    finance = FeedbackIssue.objects.get(number="3")
    assert StatusChange.objects.filter(issue=finance).count() == 1  # in progress both times: no change row


def test_status_follows_the_latest_published_notice_whatever_order_they_are_parsed_in(
        fake_parser, upload, hospital_a_clerk):
    fake_parser.results["later.txt"] = notice(LATER, published=dt.date(2025, 4, 7))
    fake_parser.results["first.txt"] = notice(FIRST, published=dt.date(2024, 6, 1))

    upload(hospital_a_clerk, "later.txt", accept=True)
    upload(hospital_a_clerk, "first.txt", accept=True)

    assert dict(FeedbackIssue.objects.values_list("number", "status")) == {
        "1": "completed", "2": "completed", "3": "in_progress"}


def test_withdrawing_the_later_notice_gives_the_issue_back_its_earlier_status(
        fake_parser, upload, hospital_a_clerk):
    fake_parser.results["first.txt"] = notice(FIRST, published=dt.date(2024, 6, 1))
    fake_parser.results["later.txt"] = notice(LATER, published=dt.date(2025, 4, 7))
    upload(hospital_a_clerk, "first.txt", accept=True)
    later = upload(hospital_a_clerk, "later.txt", accept=True)

    notice_withdraw(notice=later, withdrawn_by=hospital_a_clerk, reason="传错了")

    policy = FeedbackIssue.objects.get(number="2")
    assert policy.status == "in_progress"
    assert StatusChange.objects.filter(issue=policy).last().new_value == "in_progress"


def test_short_form_in_the_notice_links_to_the_clerks_hospital_without_warning(
        fake_parser, upload, hospital_a_clerk, hospital_a):
    fake_parser.results["n.txt"] = notice(FIRST, institution="中共市中医院委员会")
    result = upload(hospital_a_clerk, "n.txt", accept=True)
    assert result.institution_id == hospital_a.pk
    assert not [w for w in result.warnings if w["code"] == "institution_mismatch"]
    assert Institution.objects.count() == 1


def test_another_hospitals_name_in_a_clerks_upload_is_warned_and_not_accepted(
        fake_parser, upload, hospital_a_clerk, hospital_a, hospital_b):
    fake_parser.results["n.txt"] = notice(FIRST, institution="长沙市中心医院")
    result = upload(hospital_a_clerk, "n.txt")
    assert (result.institution_id, result.review_state, result.inspection_id) == (hospital_a.pk, "mismatch", None)
    mismatch = [w["message"] for w in result.warnings if w["code"] == "institution_mismatch"]
    assert mismatch and "长沙市中心医院" in mismatch[0] and "清远市中医院" in mismatch[0]
    assert not Inspection.objects.exists() and not FeedbackIssue.objects.exists()


def test_staff_upload_without_institution_is_linked_by_name_or_creates_one(
        fake_parser, upload, staff, hospital_a):
    fake_parser.results["a.txt"] = notice(FIRST, institution="市中医院")
    fake_parser.results["new.txt"] = notice(FIRST, institution="中共辽阳市 中心医院 委员会",
                                            aliases=["中心医院"], feedback=dt.date(2020, 11, 13))
    assert upload(staff, "a.txt", accept=True).institution_id == hospital_a.pk
    created = upload(staff, "new.txt", accept=True)
    assert created.institution.name == "中共辽阳市 中心医院 委员会"
    assert created.institution.normalized_name == "辽阳市中心医院"
    assert "中心医院" in created.institution.aliases
    assert any(w["code"] == "institution_created" for w in created.warnings)


def test_a_short_name_that_fits_two_hospitals_creates_no_guess(fake_parser, upload, staff, db):
    Institution.objects.create(name="清远市中医院")
    Institution.objects.create(name="韶关市中医院")
    fake_parser.results["n.txt"] = notice(FIRST, institution="市中医院")
    result = upload(staff, "n.txt", accept=True)
    # Not silently attached to either: a new institution is made and flagged for review.
    assert result.institution.normalized_name == "市中医院"
    assert any(w["code"] == "institution_created" for w in result.warnings)


def test_different_feedback_dates_are_different_inspections(fake_parser, upload, hospital_a_clerk):
    fake_parser.results["2024.txt"] = notice(FIRST, feedback=dt.date(2024, 3, 28))
    fake_parser.results["2021.txt"] = notice(FIRST, feedback=dt.date(2021, 5, 1))
    upload(hospital_a_clerk, "2024.txt", accept=True)
    upload(hospital_a_clerk, "2021.txt", accept=True)
    assert Inspection.objects.count() == 2
    assert FeedbackIssue.objects.count() == 6


def test_due_date_comes_from_the_latest_notice_that_states_one(fake_parser, upload, hospital_a_clerk):
    fake_parser.results["first.txt"] = notice([issue(1, "财务管理不规范", "in_progress", deadline=dt.date(2024, 12, 31))],
                                              published=dt.date(2024, 6, 1))
    fake_parser.results["later.txt"] = notice([issue(1, "财务管理不规范", "in_progress", deadline=dt.date(2025, 6, 30))],
                                              published=dt.date(2025, 1, 10))
    upload(hospital_a_clerk, "first.txt", accept=True)
    assert FeedbackIssue.objects.get().due_on == dt.date(2024, 12, 31)
    upload(hospital_a_clerk, "later.txt", accept=True)
    assert FeedbackIssue.objects.get().due_on == dt.date(2025, 6, 30)


def test_unrelated_titles_with_the_same_number_stay_separate_issues(fake_parser, upload, hospital_a_clerk):
    fake_parser.results["first.txt"] = notice([issue(1, "理论学习不深入")], published=dt.date(2024, 6, 1))
    fake_parser.results["later.txt"] = notice([issue(1, "医保基金使用存在违规收费")], published=dt.date(2025, 1, 1))
    upload(hospital_a_clerk, "first.txt", accept=True)
    upload(hospital_a_clerk, "later.txt", accept=True)
    assert FeedbackIssue.objects.count() == 2


def test_re_ingesting_a_long_notice_takes_a_constant_number_of_queries(
        upload, staff, samples, django_assert_max_num_queries):
    from django.db import transaction

    from notices.parsing import parse_bytes
    from tracking.ingest import notice_ingest

    longest = max(samples, key=lambda p: p.stat().st_size)
    parsed_notice = upload(staff, longest.name, longest.read_bytes(), accept=True)
    _, parsed = parse_bytes(longest.read_bytes(), longest.name)
    assert len(parsed.issues) > 10
    with django_assert_max_num_queries(30), transaction.atomic():
        notice_ingest(notice=parsed_notice, parsed=parsed)
    assert IssueStatement.objects.filter(notice=parsed_notice).count() == len(parsed.issues)


def test_a_name_is_found_by_suffix_or_stored_alias_among_many_hospitals():
    from tracking.ingest import _candidates, _find_institution
    from tracking.models import Institution

    Institution.objects.bulk_create([Institution(name=f"第{n}县人民医院", normalized_name=f"第{n}县人民医院")
                                     for n in range(50)])
    target = Institution.objects.create(name="清远市中医院", aliases=["清远中医"])
    other = Institution.objects.create(name="韶关市人民医院")

    assert _find_institution(["市中医院"]) == target  # the short form, a suffix of one name only
    assert _find_institution(["清远中医"]) == target  # a name seen before, kept as an alias
    assert _find_institution(["市人民医院"]) == other  # 第N县人民医院 end in 县人民医院, not 市人民医院
    assert target in _candidates(["市中医院"], ["市中医院"])
    assert len(_candidates(["市中医院"], ["市中医院"])) < 10  # narrowed by the database, not every row
