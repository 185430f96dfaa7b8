"""A hospital clerk uploads another hospital's notice by mistake: it counts nowhere until staff decide.

The scenario of issue #12: 清远市中医院's clerk uploads 长沙市中心医院's notice,
whose 公开期限 is current.  It must stay out of every figure, ledger and
public page; withdrawing or rejecting it (even after a mistaken acceptance)
must restore 清远's pages exactly, and 长沙's clerk must be able to upload the
same file without being told anything about 清远.
"""
import datetime as dt
import re

import pytest
from django.utils import timezone

from notices.models import Notice
from notices.services import notice_withdraw
from review.services import correction_create, notice_reject
from tests.pipeline.conftest import issue, notice
from tests.review_support import accept
from tracking.models import FeedbackIssue, Inspection, Institution

pytestmark = pytest.mark.django_db

CHANGSHA_BYTES = "长沙市中心医院关于巡察集中整改进展情况的通报".encode()


@pytest.fixture
def qingyuan_notice(fake_parser, upload, hospital_a_clerk, hospital_a):
    """清远's own accepted notice, so its pages have something to keep exactly."""
    fake_parser.results["清远.txt"] = notice(
        [issue(1, "理论学习不深入", "completed"), issue(2, "财务管理不规范", "in_progress")],
        institution="清远市中医院", published=dt.date(2024, 6, 1), feedback=dt.date(2024, 3, 28))
    return upload(hospital_a_clerk, "清远.txt", accept=True)


@pytest.fixture
def changsha_text(fake_parser):
    """长沙's notice: 15 issues, a later feedback date, a 公开期限 that includes today."""
    today = timezone.localdate()
    parsed = notice([issue(n, f"长沙的第{n}个问题", "in_progress") for n in range(1, 16)],
                    institution="长沙市中心医院", group="市委第三巡察组", feedback=dt.date(2025, 3, 14),
                    published=today - dt.timedelta(days=2))
    from dataclasses import replace

    parsed = replace(parsed, disclosure_start=today - dt.timedelta(days=1), disclosure_end=today + dt.timedelta(days=14),
                     disclosure_text="公开期限：两周")
    for name in ("长沙.txt", "长沙通报.txt"):
        fake_parser.results[name] = parsed
    return parsed


def _figures(clients, hospital):
    """Every page and endpoint that shows a figure, a ledger or a public entry, as text to compare."""
    pages = {
        ("staff", "/progress/"), ("staff", f"/progress/institutions/{hospital.pk}/"),
        ("staff", "/progress/issues/"), ("staff", "/progress/issues/ledger.csv"),
        ("staff", f"/progress/institutions/{hospital.pk}/ledger.csv"),
        ("staff", "/api/institutions/"), ("staff", f"/api/institutions/{hospital.pk}/"), ("staff", "/api/issues/"),
        ("staff", "/api/inspections/"), ("clerk", "/progress/"), ("clerk", f"/progress/institutions/{hospital.pk}/"),
        ("anonymous", "/public/"), ("anonymous", "/api/public/disclosures/"),
    }
    shown = {}
    for who, path in sorted(pages):
        response = clients[who].get(path)
        assert response.status_code == 200, (who, path, response.status_code)
        body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
        shown[(who, path)] = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body.decode("utf-8", "replace"))
    return shown


@pytest.fixture
def clients(login, client, staff, hospital_a_clerk):
    return {"staff": login(staff), "clerk": login(hospital_a_clerk), "anonymous": client}


def test_a_misfiled_upload_stays_out_of_every_figure_ledger_and_public_page_until_staff_decide(
        qingyuan_notice, changsha_text, upload, hospital_a_clerk, hospital_a, clients):
    before = _figures(clients, hospital_a)
    misfiled = upload(hospital_a_clerk, "长沙.txt", CHANGSHA_BYTES)

    assert (misfiled.review_state, misfiled.institution, misfiled.inspection) == ("mismatch", hospital_a, None)
    assert _figures(clients, hospital_a) == before
    assert not any("长沙" in text for text in _figures(clients, hospital_a).values())
    assert clients["anonymous"].get(f"/public/{misfiled.pk}/").status_code == 404  # 公开期限 current, not public
    assert Inspection.objects.count() == 1 and FeedbackIssue.objects.count() == 2

    # The clerk reads plainly what happened, in Chinese.
    page = clients["clerk"].get(f"/notices/{misfiled.pk}/").content.decode()
    assert "单位不一致" in page
    assert "通报中的单位「长沙市中心医院」与上传所属单位「清远市中医院」不一致" in page
    assert "暂不计入任何统计" in page and "请撤回" in page
    listing = clients["clerk"].get("/notices/").content.decode()
    assert "state-mismatch" in listing and "单位不一致" in listing
    # Staff find it in the queue, marked.
    queue = clients["staff"].get("/review/").content.decode()
    assert f'data-notice="{misfiled.pk}"' in queue and "单位不一致" in queue


def test_withdrawing_a_misfiled_notice_after_a_mistaken_acceptance_restores_the_hospitals_pages_exactly(
        qingyuan_notice, changsha_text, upload, hospital_a_clerk, hospital_a, clients, staff):
    before = _figures(clients, hospital_a)
    aliases = list(Institution.objects.get(pk=hospital_a.pk).aliases)
    misfiled = upload(hospital_a_clerk, "长沙.txt", CHANGSHA_BYTES)
    accept(misfiled, staff, confirm_institution=True)  # staff wrongly confirm it is 清远's

    latest = clients["staff"].get(f"/api/institutions/{hospital_a.pk}/").json()
    assert "2025-03-14" in str(latest)  # 长沙's inspection became 清远's 「最近一次巡察」
    assert _figures(clients, hospital_a) != before

    notice_withdraw(notice=misfiled, withdrawn_by=hospital_a_clerk, reason="传错了文件")

    assert _figures(clients, hospital_a) == before
    assert Inspection.objects.count() == 1 and FeedbackIssue.objects.count() == 2
    assert Institution.objects.get(pk=hospital_a.pk).aliases == aliases  # 「长沙市中心医院」 is not 清远's alias


def test_the_right_hospital_uploads_the_same_file_and_learns_nothing_about_the_misfiled_copy(
        qingyuan_notice, changsha_text, login, hospital_a_clerk, hospital_b_clerk, hospital_b, upload,
        django_capture_on_commit_callbacks, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    misfiled = upload(hospital_a_clerk, "长沙.txt", CHANGSHA_BYTES)
    client = login(hospital_b_clerk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/notices/", {"files": [SimpleUploadedFile("长沙通报.txt", CHANGSHA_BYTES)]},
                               follow=True)
    page = response.content.decode()
    theirs = Notice.objects.exclude(pk=misfiled.pk).get(sha256=misfiled.sha256)
    assert response.redirect_chain[-1][0] == f"/notices/{theirs.pk}/"
    assert (theirs.institution, theirs.review_state) == (hospital_b, "pending")
    assert "其他单位" not in page and "清远" not in page and "已上传过" not in page

    # Staff reject the misfiled copy and accept 长沙's own: the figures are 长沙's alone.
    notice_reject(notice=misfiled, user=staff, reason="清远市中医院误传的长沙市中心医院通报")
    accept(theirs, staff)
    assert list(Inspection.objects.values_list("institution__name", flat=True).order_by("pk")) == [
        "清远市中医院", "长沙市中心医院"]
    assert FeedbackIssue.objects.filter(inspection__institution=hospital_b).count() == 15


def test_rejecting_a_misfiled_notice_frees_its_file_for_the_right_hospital(
        qingyuan_notice, changsha_text, upload, hospital_a_clerk, hospital_b_clerk, hospital_a, clients, staff):
    before = _figures(clients, hospital_a)
    misfiled = upload(hospital_a_clerk, "长沙.txt", CHANGSHA_BYTES)
    notice_reject(notice=misfiled, user=staff, reason="上传错了文件")
    misfiled.refresh_from_db()
    assert (misfiled.review_state, misfiled.review_note, misfiled.reviewed_by) == ("rejected", "上传错了文件", staff)
    assert _figures(clients, hospital_a) == before
    assert "工作人员已驳回" in clients["clerk"].get(f"/notices/{misfiled.pk}/").content.decode()
    # The clerk of 清远 may upload it again (a new notice, not the rejected one).
    again = upload(hospital_a_clerk, "长沙.txt", CHANGSHA_BYTES)
    assert again.pk != misfiled.pk and again.review_state == "mismatch"


def test_staff_move_a_misfiled_notice_to_its_hospital_and_then_it_counts_there(
        qingyuan_notice, changsha_text, upload, hospital_a_clerk, hospital_a, hospital_b, hospital_b_clerk,
        clients, staff, login):
    before = _figures(clients, hospital_a)
    misfiled = upload(hospital_a_clerk, "长沙.txt", CHANGSHA_BYTES)
    correction_create(notice=misfiled, user=staff, kind="institution", data={"institution": str(hospital_b.pk)},
                      reason="通报属长沙市中心医院")
    misfiled.refresh_from_db()
    assert (misfiled.institution, misfiled.review_state) == (hospital_b, "pending")  # no longer a mismatch
    accept(misfiled, staff)
    own = lambda shown: {k: v for k, v in shown.items() if k[0] == "clerk" or f"/{hospital_a.pk}/" in k[1]}  # noqa
    assert own(_figures(clients, hospital_a)) == own(before)  # 清远's pages: exactly as before
    assert FeedbackIssue.objects.filter(inspection__institution=hospital_b).count() == 15
    # It is 长沙's now: their clerk sees it, 清远's no longer does.
    assert login(hospital_b_clerk).get(f"/notices/{misfiled.pk}/").status_code == 200
    assert clients["clerk"].get(f"/notices/{misfiled.pk}/").status_code == 404


def test_moving_a_notice_to_a_hospital_that_already_uploaded_the_same_file_is_refused(
        changsha_text, upload, hospital_a_clerk, hospital_b_clerk, hospital_b, staff):
    from django.core.exceptions import ValidationError

    misfiled = upload(hospital_a_clerk, "长沙.txt", CHANGSHA_BYTES)
    theirs = upload(hospital_b_clerk, "长沙通报.txt", CHANGSHA_BYTES)
    with pytest.raises(ValidationError) as refused:
        correction_create(notice=misfiled, user=staff, kind="institution", data={"institution": str(hospital_b.pk)},
                          reason="通报属长沙市中心医院")
    assert f"通报 #{theirs.pk}" in refused.value.messages[0] and "驳回" in refused.value.messages[0]
