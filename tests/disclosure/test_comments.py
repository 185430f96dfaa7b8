"""The public comment form: validation in Chinese, a honeypot, CSRF and a per-address rate limit."""
import pytest
from django.test import Client
from django.urls import reverse

from disclosure.models import PublicComment
from disclosure.services import DisclosureRefused, comment_create

from .factories import make_notice, statement_issues

pytestmark = pytest.mark.django_db


def _post(notice, data, address="198.51.100.7", client=None):
    client = client or Client()
    return client.post(reverse("disclosure:comment", args=[notice.pk]), data, REMOTE_ADDR=address)


def test_a_comment_is_stored_with_a_hash_of_the_address_never_the_address(notice):
    issue = statement_issues(notice)[1]
    response = _post(notice, {"text": "  食堂价格仍然偏高  ", "name": "张三", "contact": "13800138000",
                              "issue": issue.pk}, address="198.51.100.7")
    assert response.status_code == 302 and response["Location"] == reverse("disclosure:notice", args=[notice.pk])
    comment = PublicComment.objects.get()
    assert (comment.text, comment.name, comment.contact, comment.issue) == ("食堂价格仍然偏高", "张三", "13800138000", issue)
    assert len(comment.client_hash) == 64 and "198.51.100.7" not in comment.client_hash
    assert not PublicComment.objects.filter(client_hash__contains="198.51").exists()
    follow = Client().get(response["Location"])
    assert "食堂价格仍然偏高" not in follow.content.decode()  # never shown publicly


def test_the_success_message_follows_the_redirect(notice):
    client = Client()
    response = _post(notice, {"text": "建议公开整改台账"}, client=client)
    assert "您的意见已提交" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("data, message", [
    ({"text": ""}, "请填写意见内容。"),
    ({"text": "   "}, "请填写意见内容。"),
    ({"text": "意" * 2001}, "意见内容不能超过2000字（当前2001字）。"),
    ({"text": "好", "name": "名" * 51}, "姓名不能超过50字。"),
    ({"text": "好", "contact": "找我"}, "联系方式请填写电话号码或电子邮箱。"),
])
def test_invalid_comments_are_refused_with_a_clear_chinese_message(notice, data, message):
    response = _post(notice, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PublicComment.objects.exists()


def test_an_email_address_is_an_acceptable_contact(notice):
    assert _post(notice, {"text": "好", "contact": "someone@example.cn"}).status_code == 302


def test_an_issue_of_another_notice_is_refused(notice, hospital_b):
    other = make_notice(institution=hospital_b)
    foreign = statement_issues(other)[0]
    response = _post(notice, {"text": "意见", "issue": foreign.pk})
    assert response.status_code == 400
    assert "所选问题不属于这份通报。" in response.content.decode()
    with pytest.raises(DisclosureRefused) as refused:
        comment_create(notice=notice, text="意见", issue=foreign, client_address="198.51.100.7")
    assert refused.value.code == "issue_mismatch"
    assert not PublicComment.objects.exists()


def test_a_filled_honeypot_looks_like_success_but_stores_nothing(notice):
    response = _post(notice, {"text": "买药找我", "website": "http://spam.example"})
    assert response.status_code == 302
    assert not PublicComment.objects.exists()


def test_the_honeypot_is_in_the_form_but_hidden_by_the_stylesheet(notice):
    body = Client().get(reverse("disclosure:notice", args=[notice.pk])).content.decode()
    assert 'name="website"' in body and 'class="hp" aria-hidden="true"' in body
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/disclosure.css").read_text()
    assert ".hp {" in css and "left: -10000px" in css


def test_the_sixth_comment_from_one_address_within_ten_minutes_is_refused(notice, clock):
    for n in range(5):
        assert _post(notice, {"text": f"意见{n}"}, address="203.0.113.9").status_code == 302
    response = _post(notice, {"text": "第六条"}, address="203.0.113.9")
    assert response.status_code == 429
    assert "提交过于频繁，请稍后再试。" in response.content.decode()
    assert PublicComment.objects.count() == 5
    # Another sender is not affected…
    assert _post(notice, {"text": "别人的意见"}, address="203.0.113.10").status_code == 302
    # …and the first one may write again in the next window.
    clock.advance(minutes=10)
    assert _post(notice, {"text": "十分钟后"}, address="203.0.113.9").status_code == 302
    assert PublicComment.objects.count() == 7


def test_the_rate_limit_counts_the_address_behind_a_trusted_proxy(notice, settings):
    settings.TRUSTED_PROXIES = 1
    for n in range(5):
        _post(notice, {"text": f"意见{n}"}, address="10.0.0.1", client=Client(HTTP_X_FORWARDED_FOR=f"1.1.1.1, 203.0.113.{n}"))
    # Five different senders behind one proxy: none is limited.
    assert PublicComment.objects.count() == 5
    assert len(set(PublicComment.objects.values_list("client_hash", flat=True))) == 5


def test_a_post_without_the_csrf_token_is_refused(notice):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("disclosure:comment", args=[notice.pk]), {"text": "意见"})
    assert response.status_code == 403
    assert not PublicComment.objects.exists()


def test_a_post_with_the_csrf_token_from_the_page_is_accepted(notice):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("disclosure:notice", args=[notice.pk]))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("disclosure:comment", args=[notice.pk]), {"text": "意见", "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_comment_to_a_notice_unpublished_after_the_page_was_rendered_is_refused(notice):
    notice.__class__.objects.filter(pk=notice.pk).update(unpublished=True)
    with pytest.raises(DisclosureRefused) as refused:
        comment_create(notice=notice, text="意见", client_address="198.51.100.7")
    assert refused.value.code == "closed"
    assert _post(notice, {"text": "意见"}).status_code == 404
