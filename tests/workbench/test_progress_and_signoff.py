"""The hospital reports progress with evidence and asks for 销号; staff return it, then approve it."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tracking import progress as workflow
from tracking import services
from tracking.models import Evidence, FeedbackIssue, IssueEvent, ProgressReport, StatusChange

from .conftest import evidence_file

pytestmark = pytest.mark.django_db


def _events(issue):
    return list(IssueEvent.objects.filter(issue=issue).order_by("at", "id").values_list("kind", "actor__username",
                                                                                         "note"))


def test_the_whole_loop_leaves_a_history_row_for_every_step(hospital_a_clerk, staff, done_a):
    first = workflow.report_submit(issue=done_a, user=hospital_a_clerk, text="已修订收费制度并培训。",
                                   files=[evidence_file("制度.pdf")], request_signoff=True)
    done_a.refresh_from_db()
    assert first.state == "pending" and done_a.signoff == "pending"
    workflow.report_return(report=first, user=staff, note="缺少培训签到表，请补充。")
    done_a.refresh_from_db()
    assert done_a.signoff == "returned" and done_a.verification == "unverified"
    second = workflow.report_submit(issue=done_a, user=hospital_a_clerk, text="补充了培训签到表。",
                                    files=[evidence_file("签到表.xlsx")], request_signoff=True)
    workflow.report_approve(report=second, user=staff, note="材料齐全，同意销号。")
    done_a.refresh_from_db()
    assert (done_a.signoff, done_a.verification, done_a.verified_by) == ("approved", "verified", staff)
    assert _events(done_a) == [
        ("signoff_requested", "clerk_a", "已修订收费制度并培训。"),
        ("signoff_returned", "staff", "缺少培训签到表，请补充。"),
        ("signoff_requested", "clerk_a", "补充了培训签到表。"),
        ("signoff_approved", "staff", "材料齐全，同意销号。"),
    ]
    # Approving is a verification: the same history row as 核查销号.
    change = StatusChange.objects.get(issue=done_a, kind="verification")
    assert (change.old_value, change.new_value, change.changed_by) == ("unverified", "verified", staff)
    assert change.reason == "批准销号申请。材料齐全，同意销号。"


def test_approving_a_request_the_notice_does_not_claim_completed_needs_the_explicit_confirmation(
        hospital_a_clerk, staff, issue_a):
    report = workflow.report_submit(issue=issue_a, user=hospital_a_clerk, text="已整改。",
                                    files=[evidence_file()], request_signoff=True)
    with pytest.raises(ValidationError) as refused:
        workflow.report_approve(report=report, user=staff, note="同意")
    assert refused.value.code == "confirmation_required"
    report.refresh_from_db()
    assert report.state == "pending"  # nothing half-done
    workflow.report_approve(report=report, user=staff, note="现场核实", confirm_unclaimed=True)
    issue_a.refresh_from_db()
    assert issue_a.verified_against_claim and issue_a.verification_label == "工作人员核实已完成（通报未称完成）"
    assert StatusChange.objects.get(issue=issue_a, kind="verification").reason == (
        "批准销号申请。工作人员核实已完成（通报未称完成）：现场核实")


def test_one_pending_request_per_issue_and_none_after_it_is_verified(hospital_a_clerk, staff, done_a):
    workflow.report_submit(issue=done_a, user=hospital_a_clerk, text="一", files=[evidence_file()],
                           request_signoff=True)
    with pytest.raises(ValidationError, match="已有待核查"):
        workflow.report_submit(issue=done_a, user=hospital_a_clerk, text="二", files=[evidence_file()],
                               request_signoff=True)
    assert Evidence.objects.count() == 1  # the refused request's file is not kept
    services.issue_verify(issue=FeedbackIssue.objects.get(pk=done_a.pk), user=staff, note="核实")
    with pytest.raises(ValidationError, match="已核查销号"):
        workflow.report_submit(issue=FeedbackIssue.objects.get(pk=done_a.pk), user=hospital_a_clerk, text="三",
                               files=[evidence_file()], request_signoff=True)


def test_a_request_decided_twice_changes_once(hospital_a_clerk, staff, done_a):
    report = workflow.report_submit(issue=done_a, user=hospital_a_clerk, text="完成", files=[evidence_file()],
                                    request_signoff=True)
    stale = ProgressReport.objects.get(pk=report.pk)
    workflow.report_return(report=report, user=staff, note="退回")
    with pytest.raises(services.IssueChanged):
        workflow.report_approve(report=stale, user=staff, note="批准")
    assert FeedbackIssue.objects.get(pk=done_a.pk).verification == "unverified"


def test_only_the_hospitals_own_clerk_reports_and_only_staff_decide(hospital_a_clerk, hospital_b_clerk, staff,
                                                                     done_a):
    for user in (hospital_b_clerk, staff):
        with pytest.raises(PermissionDenied):
            workflow.report_submit(issue=done_a, user=user, text="x", files=[evidence_file()])
    report = workflow.report_submit(issue=done_a, user=hospital_a_clerk, text="x", files=[evidence_file()],
                                    request_signoff=True)
    with pytest.raises(PermissionDenied):
        workflow.report_approve(report=report, user=hospital_a_clerk, note="自己批准")


@pytest.mark.parametrize("name, content, code", [
    ("病毒.exe", b"MZ\x90\x00", "extension"),
    ("伪装.pdf", b"MZ\x90\x00not a pdf", "content"),
    ("假图.png", b"GIF89a....", "content"),
    ("压缩包.docx", None, "content"),  # a zip that is not a Word document
    ("空.pdf", b"", "empty"),
])
def test_evidence_is_checked_by_extension_and_by_content(hospital_a_clerk, done_a, name, content, code):
    if content is None:
        content = evidence_file("x.xlsx").read()
    with pytest.raises(ValidationError) as refused:
        workflow.report_submit(issue=done_a, user=hospital_a_clerk, text="x", files=[evidence_file(name, content)])
    assert refused.value.code == code
    assert not ProgressReport.objects.exists()


def test_evidence_over_the_size_setting_is_refused(hospital_a_clerk, done_a, settings):
    settings.EVIDENCE_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError) as refused:
        workflow.report_submit(issue=done_a, user=hospital_a_clerk, text="x",
                               files=[evidence_file("大.pdf", b"%PDF-" + b"0" * 2000)])
    assert refused.value.code == "too_large"


def test_a_signoff_request_needs_evidence(hospital_a_clerk, done_a):
    with pytest.raises(ValidationError, match="须附佐证材料"):
        workflow.report_submit(issue=done_a, user=hospital_a_clerk, text="完成了", request_signoff=True)


def test_stored_path_is_named_by_hash_and_never_by_the_users_file_name(hospital_a_clerk, done_a):
    workflow.report_submit(issue=done_a, user=hospital_a_clerk, text="x", files=[evidence_file("院长签批件.pdf")])
    item = Evidence.objects.get()
    assert item.file.name.startswith("evidence/") and item.sha256 in item.file.name and item.file.name.endswith(".pdf")
    assert "院长" not in item.file.name and item.original_name == "院长签批件.pdf"


def test_evidence_is_served_as_an_attachment_with_a_safe_type_and_only_to_who_may_see_it(
        login, client, hospital_a_clerk, hospital_b_clerk, outsider, staff, done_a):
    workflow.report_submit(issue=done_a, user=hospital_a_clerk, text="x", files=[evidence_file("签到表.png")])
    item = Evidence.objects.get()
    url = reverse("tracking:evidence", args=[item.pk])
    for user in (hospital_a_clerk, staff):
        response = login(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png" and response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert login(hospital_b_clerk).get(url).status_code == 404
    assert login(outsider).get(url).status_code == 403
    assert client.get(url).status_code == 302
    # No URL serves the storage directory.
    assert login(staff).get("/media/" + item.file.name).status_code == 404


def test_clerk_submits_through_the_page_and_staff_return_and_approve_through_theirs(
        login, hospital_a_clerk, staff, done_a):
    clerk = login(hospital_a_clerk)
    response = clerk.post(reverse("tracking:issue-report", args=[done_a.pk]),
                          {"text": "制度已印发。", "action": "signoff", "files": [evidence_file("制度.pdf")]})
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    queue = login(staff).get(reverse("tracking:signoffs")).content.decode()
    assert "制度已印发。" in queue and "制度.pdf" in queue and "清远市中医院" in queue
    login(staff).post(reverse("tracking:report-return", args=[report.pk]), {"note": "请补充会议纪要。"})
    page = clerk.get(reverse("tracking:issue", args=[done_a.pk])).content.decode()
    assert "销号申请已被退回" in page and "请补充会议纪要。" in page
    clerk.post(reverse("tracking:issue-report", args=[done_a.pk]),
               {"text": "已补充会议纪要。", "action": "signoff", "files": [evidence_file("纪要.docx")]})
    second = ProgressReport.objects.get(state="pending")
    login(staff).post(reverse("tracking:report-approve", args=[second.pk]), {"note": "同意销号"})
    done_a.refresh_from_db()
    assert done_a.verification == "verified" and done_a.signoff == "approved"
    history = login(staff).get(reverse("tracking:issue", args=[done_a.pk])).context["timeline"]
    assert [e.label for e in history if e.kind.startswith("signoff")] == [
        "申请销号", "退回销号申请", "申请销号", "批准销号"]


def test_the_queue_lists_oldest_first_and_only_pending(hospital_a_clerk, hospital_b_clerk, staff, progress, login):
    first = _request(hospital_b_clerk, progress["b"]["open_insurance"], "乙院先提交")
    second = _request(hospital_a_clerk, progress["a"]["done_insurance"], "甲院后提交")
    _request(hospital_a_clerk, progress["a"]["soon_finance"], "只记录进展", signoff=False)
    reports = login(staff).get(reverse("tracking:signoffs")).context["reports"]
    assert [r.pk for r in reports] == [first.pk, second.pk]


def _request(user, issue, text, signoff=True):
    return workflow.report_submit(issue=issue, user=user, text=text, files=[evidence_file()],
                                  request_signoff=signoff)
