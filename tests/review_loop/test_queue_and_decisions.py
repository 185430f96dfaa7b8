"""The review queue and page, the auto-accept setting, and the same decisions over the API."""
import datetime as dt
from dataclasses import replace

import pytest
from auditlog.models import LogEntry

from notices.models import Notice
from tests.pipeline.conftest import issue, notice
from tracking.models import FeedbackIssue

pytestmark = pytest.mark.django_db


def _confident(parsed, confidence, *reasons):
    return replace(parsed, confidence=confidence, review_reasons=list(reasons))


def test_the_queue_puts_low_confidence_first_then_the_oldest_and_shows_the_reasons(
        fake_parser, upload, hospital_a_clerk, login, staff):
    fake_parser.results["old-high.txt"] = _confident(notice([issue(1, "甲")], published=dt.date(2024, 1, 1)), "high")
    fake_parser.results["new-low.txt"] = _confident(notice([issue(1, "乙")], published=dt.date(2024, 2, 1)), "low",
                                                    "通报称共有12个问题，实际列出3个")
    fake_parser.results["old-low.txt"] = _confident(notice([issue(1, "丙")], published=dt.date(2024, 3, 1)), "low",
                                                    "多个问题未写明整改状态")
    old_high = upload(hospital_a_clerk, "old-high.txt")
    old_low = upload(hospital_a_clerk, "old-low.txt")
    new_low = upload(hospital_a_clerk, "new-low.txt")
    page = login(staff).get("/review/").content.decode()
    order = [page.index(f'data-notice="{n.pk}"') for n in (old_low, new_low, old_high)]
    assert order == sorted(order)
    assert "通报称共有12个问题，实际列出3个" in page and "多个问题未写明整改状态" in page
    assert "待处理 3 份" in page
    filtered = login(staff).get("/review/", {"confidence": "high"}).content.decode()
    assert f'data-notice="{old_high.pk}"' in filtered and f'data-notice="{old_low.pk}"' not in filtered
    # The clerk's list shows the confidence and its reasons too.
    listing = login(hospital_a_clerk).get("/notices/").content.decode()
    assert "confidence-low" in listing and "多个问题未写明整改状态" in listing


def test_the_review_page_shows_the_text_beside_the_parse_highlights_the_evidence_and_escapes_everything(
        fake_parser, upload, hospital_a_clerk, login, staff):
    parsed = notice([issue(1, "<script>alert(1)</script>收费不规范", "completed"), issue(2, "制度不健全")],
                    title="<img src=x onerror=alert(2)>通报")
    fake_parser.results["n.txt"] = replace(parsed, issues=[
        replace(parsed.issues[0], status_evidence="已完成整改。"), parsed.issues[1]])
    text = "通报\n1.<script>alert(1)</script>收费不规范。已完成整改。\n2.制度不健全。\n".encode()
    pending = upload(hospital_a_clerk, "n.txt", text)
    page = login(staff).get(f"/review/{pending.pk}/", {"issue": "0"}).content.decode()
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;收费不规范" in page
    assert '<li id="line-1" data-line="1" class="hl">' in page  # the issue's title and evidence line, marked
    assert 'data-lines="1"' in page
    assert 'id="accept-form"' in page and 'id="reject-form"' in page and 'id="add-issue-form"' in page
    assert "js/review.js" in page and "<script>" not in page.split("</main>")[0]  # CSP: no inline script


def test_with_auto_accept_on_only_a_confident_parse_of_the_uploaders_own_hospital_counts_by_itself(
        fake_parser, upload, hospital_a_clerk, staff, settings):
    settings.NOTICE_AUTO_ACCEPT_HIGH_CONFIDENCE = True
    fake_parser.results["sure.txt"] = _confident(notice([issue(1, "理论学习不深入")]), "high")
    fake_parser.results["unsure.txt"] = _confident(notice([issue(1, "财务不规范")], published=dt.date(2025, 1, 1)),
                                                   "low", "结构不完整")
    fake_parser.results["other.txt"] = _confident(notice([issue(1, "医保违规")], institution="长沙市中心医院"), "high")
    fake_parser.results["staff.txt"] = _confident(notice([issue(1, "采购不规范")], feedback=dt.date(2023, 1, 1)),
                                                  "high")
    sure = upload(hospital_a_clerk, "sure.txt")
    assert (sure.review_state, sure.reviewed_by) == ("accepted", None)
    assert FeedbackIssue.objects.filter(statements__notice=sure).count() == 1
    entry = LogEntry.objects.filter(object_id=sure.pk).latest("timestamp")
    assert entry.additional_data["system"] is True and "高置信度自动通过" in entry.additional_data["reason"]
    assert upload(hospital_a_clerk, "unsure.txt").review_state == "pending"
    assert upload(hospital_a_clerk, "other.txt").review_state == "mismatch"
    assert upload(staff, "staff.txt").review_state == "pending"  # institution guessed from the text, not chosen
    assert FeedbackIssue.objects.count() == 1


def test_without_the_setting_even_a_confident_parse_waits_for_staff(fake_parser, upload, hospital_a_clerk):
    fake_parser.results["sure.txt"] = _confident(notice([issue(1, "理论学习不深入")]), "high")
    assert upload(hospital_a_clerk, "sure.txt").review_state == "pending"
    assert not FeedbackIssue.objects.exists()


def test_staff_accept_and_reject_over_the_api_and_clerks_may_not(fake_parser, upload, hospital_a_clerk, login, staff):
    fake_parser.results["a.txt"] = notice([issue(1, "理论学习不深入")])
    fake_parser.results["b.txt"] = notice([issue(1, "财务不规范")], published=dt.date(2025, 1, 1))
    a, b = upload(hospital_a_clerk, "a.txt"), upload(hospital_a_clerk, "b.txt")
    clerk = login(hospital_a_clerk)
    assert clerk.post(f"/api/notices/{a.pk}/accept/").status_code == 403
    detail = clerk.get(f"/api/notices/{a.pk}/").json()
    assert (detail["review_state"], detail["status_label"], detail["counted"]) == ("pending", "待审核", False)

    api = login(staff)
    accepted = api.post(f"/api/notices/{a.pk}/accept/", {"note": "核对无误"}, content_type="application/json")
    assert accepted.status_code == 200 and accepted.json()["review_state"] == "accepted"
    assert accepted.json()["counted"] is True
    assert api.post(f"/api/notices/{b.pk}/reject/", {}, content_type="application/json").status_code == 400
    rejected = api.post(f"/api/notices/{b.pk}/reject/", {"reason": "重复上传"}, content_type="application/json")
    assert rejected.status_code == 200 and rejected.json()["review_state"] == "rejected"
    again = api.post(f"/api/notices/{a.pk}/accept/", {}, content_type="application/json")
    assert again.status_code == 400 and "已审核通过" in again.json()[0]
    assert FeedbackIssue.objects.count() == 1
    assert api.get(f"/api/notices/{a.pk}/corrections/").json() == []
    assert Notice.objects.get(pk=b.pk).reviewed_by == staff


def test_a_staff_upload_of_bytes_a_hospital_uploaded_meanwhile_is_not_filed_twice_under_it(
        fake_parser, hospital_a_clerk, hospital_a, staff, monkeypatch, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    from notices import services
    from tests.review_support import accept

    fake_parser.results["staff.txt"] = fake_parser.results["clerk.txt"] = notice([issue(1, "理论学习不深入")])
    monkeypatch.setattr(services, "notice_enqueue_parse", lambda **kw: None)
    by_staff, _ = services.notice_create(data=b"same", filename="staff.txt", uploaded_by=staff)
    by_clerk, created = services.notice_create(data=b"same", filename="clerk.txt", uploaded_by=hospital_a_clerk)
    assert created and by_clerk.institution == hospital_a  # staff's copy was not the clerk's to see yet
    for pending in (by_staff, by_clerk):
        services.notice_apply_parse(notice_id=pending.pk)
        pending.refresh_from_db()
    assert by_staff.institution is None and by_clerk.institution == hospital_a
    with pytest.raises(ValidationError) as refused:
        accept(by_staff, staff)
    assert f"通报 #{by_clerk.pk}" in refused.value.messages[0]
    assert not FeedbackIssue.objects.exists()
    accept(by_clerk, staff)
    assert FeedbackIssue.objects.count() == 1


def test_the_review_page_says_what_the_parser_took_each_heading_for_and_why(
        upload, hospital_a_clerk, login, staff, samples):
    sample = next(p for p in samples if p.name.startswith("001"))
    pending = upload(hospital_a_clerk, sample.name, sample.read_bytes())
    page = login(staff).get(f"/review/{pending.pk}/").content.decode()
    outline = page.split('id="outline"')[1].split("</section>")[0]
    assert "一、医院党总支及主要负责人组织落实整改情况" in outline and "整改工作组织情况（不是问题）" in outline
    assert "1.学习内容不聚焦，贯彻落实有差距。" in outline and "反馈问题" in outline
    assert "「1.」一级：12个标题带整改情况/状态" in outline  # the reason, from the parser
