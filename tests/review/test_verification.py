import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tracking import services
from tracking.models import FeedbackIssue, StatusChange, Verification

pytestmark = pytest.mark.django_db


def _verification_rows(issue):
    return list(StatusChange.objects.filter(issue=issue, kind="verification").values_list(
        "old_value", "new_value", "changed_by__username", "reason"))


def test_verify_records_who_when_and_why_in_one_history_row(staff, progress):
    issue = progress["a"]["done_insurance"]
    services.issue_verify(issue=issue, user=staff, note="  经现场核查，制度已印发。 ")
    issue.refresh_from_db()
    assert issue.verification == Verification.VERIFIED and issue.verified_by == staff and issue.verified_at
    assert issue.verification_note == "经现场核查，制度已印发。"
    assert _verification_rows(issue) == [("unverified", "verified", "staff", "经现场核查，制度已印发。")]


def test_a_second_verify_changes_nothing_and_says_so(staff, progress):
    issue = progress["a"]["done_insurance"]
    services.issue_verify(issue=issue, user=staff, note="第一次")
    with pytest.raises(services.IssueChanged):
        services.issue_verify(issue=FeedbackIssue.objects.get(pk=issue.pk), user=staff, note="第二次")
    assert len(_verification_rows(issue)) == 1


def test_acting_on_a_stale_copy_touches_no_row(staff, progress):
    issue = progress["a"]["overdue_insurance"]
    stale = FeedbackIssue.objects.get(pk=issue.pk)
    services.issue_reopen(issue=issue, user=staff, note="材料不全")
    # The stale copy still says "unverified"; the conditional update must find no such row.
    with pytest.raises(services.IssueChanged):
        services.issue_verify(issue=stale, user=staff, note="看错页面", confirm_unclaimed=True)
    issue.refresh_from_db()
    assert issue.verification == Verification.REOPENED
    assert _verification_rows(issue) == [("unverified", "reopened", "staff", "材料不全")]


def test_reopen_after_verify_then_verify_again_keeps_the_full_trail(staff, progress):
    issue = progress["a"]["done_insurance"]
    services.issue_verify(issue=issue, user=staff, note="一")
    services.issue_reopen(issue=issue, user=staff, note="二")
    services.issue_verify(issue=issue, user=staff, note="三")
    assert [(o, n) for o, n, *_ in _verification_rows(issue)] == [
        ("unverified", "verified"), ("verified", "reopened"), ("reopened", "verified")]


@pytest.mark.parametrize("note", ["", "   ", None])
def test_a_note_is_required(staff, progress, note):
    with pytest.raises(ValidationError):
        services.issue_verify(issue=progress["a"]["done_insurance"], user=staff, note=note)
    assert not StatusChange.objects.filter(kind="verification").exists()


def test_only_staff_may_verify_even_when_calling_the_service(hospital_a_clerk, progress):
    with pytest.raises(PermissionDenied):
        services.issue_verify(issue=progress["a"]["done_insurance"], user=hospital_a_clerk, note="自己销号")


def test_reopened_issue_counts_as_open_even_when_the_notice_claims_completed(staff, progress):
    issue = progress["a"]["done_insurance"]
    assert not FeedbackIssue.objects.open().filter(pk=issue.pk).exists()
    services.issue_reopen(issue=issue, user=staff, note="抽查发现仍有违规收费")
    assert FeedbackIssue.objects.open().filter(pk=issue.pk).exists()


def test_staff_verify_through_the_page_and_see_the_history_row(login, staff, progress, hospital_a):
    issue = progress["a"]["done_insurance"]
    client = login(staff)
    back = reverse("tracking:institution", args=[hospital_a.pk])
    response = client.post(reverse("tracking:issue-verify", args=[issue.pk]),
                           {"note": "台账与原件一致", "expected": "unverified", "next": back})
    assert response.status_code == 302 and response["Location"] == f"{back}#issue-{issue.pk}"
    html = client.get(reverse("tracking:issue", args=[issue.pk])).content.decode()
    assert "核查：已核查销号" in html and "台账与原件一致" in html and "未核查 → 已核查销号" in html


def test_double_submitted_form_leaves_one_history_row(login, staff, progress):
    issue = progress["a"]["done_insurance"]
    client = login(staff)
    url = reverse("tracking:issue-verify", args=[issue.pk])
    for _ in range(2):
        client.post(url, {"note": "核查属实", "expected": "unverified"})
    assert len(_verification_rows(issue)) == 1
    messages = [str(m) for m in client.get(reverse("tracking:issue", args=[issue.pk])).context["messages"]]
    assert any("他人更改" in m or "无需重复" in m for m in messages)


def test_page_refuses_empty_note_and_clerks(login, staff, hospital_a_clerk, progress):
    issue = progress["a"]["done_insurance"]
    url = reverse("tracking:issue-verify", args=[issue.pk])
    login(staff).post(url, {"note": "", "expected": "unverified"})
    assert login(hospital_a_clerk).post(url, {"note": "x", "expected": "unverified"}).status_code == 403
    assert not _verification_rows(issue)


def test_issue_page_shows_claimed_and_verified_status_apart(login, staff, progress):
    issue = progress["a"]["done_insurance"]
    html = login(staff).get(reverse("tracking:issue", args=[issue.pk])).content.decode()
    assert "通报称：已完成整改" in html and "核查：未核查" in html and 'id="verify-form"' in html


def test_clerk_sees_the_issue_but_no_verification_forms(login, hospital_a_clerk, progress):
    issue = progress["a"]["done_insurance"]
    html = login(hospital_a_clerk).get(reverse("tracking:issue", args=[issue.pk])).content.decode()
    assert "通报称：已完成整改" in html and 'id="verify-form"' not in html
