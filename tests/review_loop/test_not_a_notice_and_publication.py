"""A shopping list counts nowhere and is never green; a notice is public only once staff accept and publish it."""
import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from disclosure.models import DisclosureChange
from disclosure.services import DisclosureRefused, notice_publish
from notices.models import Notice
from tests.pipeline.conftest import issue, notice
from tests.review_support import accept
from tracking.models import FeedbackIssue, Inspection, Institution

pytestmark = pytest.mark.django_db

SHOPPING_LIST = "购物清单\n鸡蛋 两盒\n牛奶 一箱\n苹果 三斤\n酱油 一瓶\n记得周六去超市。\n".encode()


def test_a_shopping_list_uploaded_as_txt_ends_not_recognised_counts_nowhere_and_is_not_green(
        upload, login, hospital_a_clerk, staff):
    institutions = Institution.objects.count()
    listed = upload(hospital_a_clerk, "购物清单.txt", SHOPPING_LIST)  # the real parser
    assert (listed.state, listed.review_state, listed.inspection) == ("parsed", "not_notice", None)
    assert not Inspection.objects.exists() and not FeedbackIssue.objects.exists()
    assert Institution.objects.count() == institutions

    client = login(hospital_a_clerk)
    status = client.get(f"/notices/{listed.pk}/status.json").json()
    assert (status["status"], status["status_label"]) == ("not_notice", "未识别为整改通报")
    listing = client.get("/notices/").content.decode()
    row = re.search(r"<tr>\s*<td><a href=\"/notices/%d/\">.*?</tr>" % listed.pk, listing, re.S).group(0)
    assert 'class="badge state-not_notice"' in row and "未识别为整改通报" in row
    assert "state-parsed" not in row and "已解析" not in row
    page = client.get(f"/notices/{listed.pk}/").content.decode()
    assert "不计入任何统计" in page
    # Not in the queue, not acceptable, not publishable.
    assert f'data-notice="{listed.pk}"' not in login(staff).get("/review/").content.decode()
    with pytest.raises(ValidationError):
        accept(listed, staff)
    with pytest.raises(DisclosureRefused):
        notice_publish(notice=listed, user=staff)


def test_staff_may_confirm_that_an_unrecognised_file_is_a_notice_after_all(fake_parser, upload, hospital_a_clerk,
                                                                           login, staff):
    from dataclasses import replace

    fake_parser.results["odd.txt"] = replace(notice([issue(1, "理论学习不深入")]), is_rectification_notice=False)
    odd = upload(hospital_a_clerk, "odd.txt")
    assert odd.review_state == "not_notice"
    login(staff).post(f"/review/{odd.pk}/corrections", {"kind": "header", "is_rectification_notice": "1",
                                                        "reason": "格式特殊，但确为整改进展通报"})
    odd.refresh_from_db()
    assert odd.review_state == "pending"
    accept(odd, staff)
    assert FeedbackIssue.objects.count() == 1


@pytest.fixture
def current_notice(fake_parser, upload, hospital_a_clerk):
    """A notice whose own 公开期限 includes today."""
    from dataclasses import replace

    from django.utils import timezone

    today = timezone.localdate()
    fake_parser.results["n.txt"] = replace(notice([issue(1, "理论学习不深入")]), disclosure_start=today,
                                           disclosure_end=today + dt.timedelta(days=10))
    return upload(hospital_a_clerk, "n.txt")


def test_publishing_before_acceptance_is_refused_and_nothing_is_public_before_staff_publish(
        current_notice, login, staff, client):
    staff_client = login(staff)
    response = staff_client.post(f"/public/manage/{current_notice.pk}/publish", follow=True)
    assert "只有审核通过的通报才能发布公开" in response.content.decode()
    current_notice.refresh_from_db()
    assert current_notice.published_at is None and not DisclosureChange.objects.exists()
    manage = staff_client.get(f"/public/manage/{current_notice.pk}/").content.decode()
    assert 'id="publish-form"' not in manage and "审核通过后才能发布" in manage
    assert client.get(f"/public/{current_notice.pk}/").status_code == 404

    accept(current_notice, staff)
    assert client.get(f"/public/{current_notice.pk}/").status_code == 404  # accepted is not published
    assert 'id="publish-form"' in staff_client.get(f"/public/manage/{current_notice.pk}/").content.decode()
    staff_client.post(f"/public/manage/{current_notice.pk}/publish", {"reason": "审核通过，按通报所载期限公开"})
    current_notice.refresh_from_db()
    assert current_notice.published_by == staff and current_notice.published_at is not None
    change = DisclosureChange.objects.get()
    assert (change.kind, change.changed_by, change.new_start) == ("published", staff, current_notice.disclosure_start)
    assert client.get(f"/public/{current_notice.pk}/").status_code == 200
    assert "正在公示（1）" in client.get("/public/").content.decode()


def test_only_staff_publish_and_a_published_notice_cannot_be_rejected_while_public(
        current_notice, login, hospital_a_clerk, staff):
    from review.services import notice_reject

    accept(current_notice, staff)
    assert login(hospital_a_clerk).post(f"/public/manage/{current_notice.pk}/publish").status_code == 403
    notice_publish(notice=current_notice, user=staff)
    with pytest.raises(ValidationError) as refused:
        notice_reject(notice=current_notice, user=staff, reason="错了")
    assert "请先撤下公开" in refused.value.messages[0]
    assert Notice.objects.get(pk=current_notice.pk).review_state == "accepted"
