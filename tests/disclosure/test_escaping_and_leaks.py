"""Every parsed string is escaped, and nothing internal reaches a public page or the feed."""
import json

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from disclosure.models import PublicComment
from tracking.models import FeedbackIssue

from .factories import START, add_immediate_item, make_notice

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_a_notice_whose_parsed_strings_contain_a_script_is_rendered_escaped(clock, hospital_a):
    hospital_a.name = f"医院{XSS}"
    hospital_a.save()
    notice = make_notice(
        institution=hospital_a, title=f"通报{XSS}", category_title=f"类别{XSS}", next_steps=f"下一步{XSS}",
        issues=[(f"问题{XSS}", f"全文{XSS}\n第二段{XSS}", "completed")],
        contacts={"phones": [XSS], "emails": [XSS], "addresses": [XSS]},
    )
    add_immediate_item(notice, f"立改{XSS}")
    clock.set_day(START)
    client = Client()
    pages = [client.get(reverse("disclosure:notice", args=[notice.pk])), client.get(reverse("disclosure:list"))]
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert XSS not in body and "<script>alert" not in body
        assert ESCAPED in body
    notice_body = pages[0].content.decode()
    for wrapped in ["通报", "类别", "下一步", "问题", "全文", "第二段", "立改", "医院"]:
        assert f"{wrapped}{ESCAPED}" in notice_body, wrapped
    feed = client.get(reverse("public-disclosures"))
    assert feed["Content-Type"].startswith("application/json")
    assert json.loads(feed.content)["results"][0]["title"] == f"通报{XSS}"  # data, not markup: the embedder escapes


SECRETS = {
    "uploader": "uploader_zhang_wei",
    "verification": "核查说明-内部-仅工作人员可见",
    "warning": "解析提示-分类数与自述不符",
    "comment": "群众意见-不得公开显示",
    "reply": "处理说明-内部答复",
    "raw": "未公开通报的原文-RAWTEXT",
    "error": "解析失败-内部错误信息",
    "unpublished_title": "已撤下通报的标题",
    "failed_title": "解析失败通报的标题",
    "original_name": "草稿第三版-内部.docx",
}


@pytest.fixture
def leaky_world(clock, hospital_a, hospital_b, staff):
    """A public notice full of internal data, plus notices that must not be public at all."""
    uploader = User.objects.create_user(SECRETS["uploader"])
    public = make_notice(institution=hospital_a, uploaded_by=uploader, original_name=SECRETS["original_name"],
                         warnings=[{"code": "declared_mismatch", "message": SECRETS["warning"]}],
                         parse_result={"warnings": [SECRETS["warning"]]}, raw_text="公开通报原文")
    FeedbackIssue.objects.filter(statements__notice=public).update(verification="verified",
                                                                   verification_note=SECRETS["verification"])
    PublicComment.objects.create(notice=public, text=SECRETS["comment"], client_hash="0" * 64, handled=True,
                                 handled_by=staff, reply_note=SECRETS["reply"], name="王五", contact="13900000000")
    make_notice(institution=hospital_b, title=SECRETS["unpublished_title"], unpublished=True, raw_text=SECRETS["raw"])
    make_notice(institution=hospital_b, title=SECRETS["failed_title"], state="failed", error=SECRETS["error"],
                raw_text=SECRETS["raw"])
    clock.set_day(START)
    return public


def test_no_internal_field_appears_on_any_public_page_or_in_the_feed(leaky_world):
    client = Client()
    responses = {
        "list": client.get(reverse("disclosure:list")),
        "notice": client.get(reverse("disclosure:notice", args=[leaky_world.pk])),
        "feed": client.get(reverse("public-disclosures")),
    }
    original = client.get(reverse("disclosure:original", args=[leaky_world.pk]))
    assert original.status_code == 200
    for where, response in responses.items():
        assert response.status_code == 200, where
        body = response.content.decode()
        for what, secret in SECRETS.items():
            assert secret not in body, f"{what} leaked on {where}"
            assert json.dumps(secret)[1:-1] not in body, f"{what} leaked (JSON-escaped) on {where}"
        assert "王五" not in body and "13900000000" not in body
    assert SECRETS["original_name"] not in original["Content-Disposition"]
    assert leaky_world.title in responses["notice"].content.decode()  # the check looked at a real page


def test_the_feed_lists_only_open_public_notices_with_public_fields(leaky_world, clock, hospital_a):
    ended = make_notice(institution=hospital_a, start=START.replace(month=1), end=START.replace(month=2))
    feed = json.loads(Client().get(reverse("public-disclosures")).content)
    assert [r["id"] for r in feed["results"]] == [leaky_world.pk] and feed["count"] == 1
    assert ended.pk not in [r["id"] for r in feed["results"]]
    assert set(feed["results"][0]) == {"id", "title", "institution", "published_on", "disclosure_start",
                                       "disclosure_end", "days_left", "url", "original_url"}
    assert feed["results"][0]["disclosure_end"] == "2025-05-06" and feed["today"] == "2025-04-07"


def test_the_feed_needs_no_login_ignores_sessions_and_may_be_read_by_any_site(leaky_world, login, staff):
    anonymous = Client().get(reverse("public-disclosures"))
    logged_in = login(staff).get(reverse("public-disclosures"))
    assert anonymous.status_code == logged_in.status_code == 200
    assert anonymous.content == logged_in.content
    assert anonymous["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in anonymous.headers
