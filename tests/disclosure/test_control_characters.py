"""Comments with control characters (issue 13, item 3): stored ones never break a page or an export; new ones are cleaned.

One anonymous comment with ``\\x0b`` or ``\\x01`` used to make ``comments.xlsx``
answer 500 for good, and the comment could not be handled.
"""
import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from disclosure.models import PublicComment
from rectify_site.input_text import HEADER
from tests.hostile_text import BAD, BIDI, C0

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(notice):
    """A comment saved before input was cleaned: every C0 control character and bidi override in every field."""
    return PublicComment.objects.create(notice=notice, text=f"食堂{C0}价格{BIDI}偏高", name=f"张{BIDI}三\x0b",
                                        contact=f"1380013{C0}8000", client_hash="cd" * 32)


def _clean(value) -> bool:
    return not (BAD & set(str(value or "")))


@pytest.mark.parametrize("who", ["staff", "hospital_a_clerk"])
def test_a_stored_comment_with_every_control_character_exports_as_xlsx_and_csv(notice, stored, login, request, who):
    client = login(request.getfixturevalue(who))
    response = client.get(reverse("disclosure:export", args=[notice.pk, "xlsx"]))
    assert response.status_code == 200
    row = [c.value for c in load_workbook(io.BytesIO(response.content)).active[2]]
    assert row[3] == "食堂\n\n\n价格偏高" and row[4] == "张三\n"  # \x0b \x0c \r are line breaks
    assert all(_clean(v) for v in row)
    response = client.get(reverse("disclosure:export", args=[notice.pk, "csv"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][3] == "食堂\n\n\n价格偏高" and all(_clean(v) for v in rows[1])


def test_a_stored_comment_with_control_characters_can_still_be_read_and_handled(notice, stored, login, staff):
    client = login(staff)
    assert client.get(reverse("disclosure:manage_notice", args=[notice.pk])).status_code == 200
    response = client.post(reverse("disclosure:comment_handle", args=[stored.pk]), {"reply_note": "已\x0b处理\u202e"})
    assert response.status_code == 302
    stored.refresh_from_db()
    assert stored.handled and stored.reply_note == "已\n处理"
    # Comments are a record (never edited or deleted, by design): once handled it leaves the 待处理 count.
    assert "0 条待处理" in client.get(reverse("disclosure:manage_notice", args=[notice.pk])).content.decode()
    assert client.get(reverse("disclosure:export", args=[notice.pk, "xlsx"])).status_code == 200


def test_a_new_comment_is_stored_without_control_characters_and_the_sender_is_told(notice):
    client = Client()
    response = client.post(reverse("disclosure:comment", args=[notice.pk]),
                           {"text": "建议\x00公开\x0b台账\u202e", "name": "李\x01四", "contact": "13800138000"},
                           REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 302
    comment = PublicComment.objects.get()
    assert (comment.text, comment.name) == ("建议公开\n台账", "李四")
    page = client.get(response["Location"]).content.decode()
    assert "您的意见已提交" in page and "已移除3个不可见控制字符" in page


def test_a_reason_for_a_disclosure_window_loses_its_control_characters(notice, login, staff):
    from disclosure.models import DisclosureChange

    response = login(staff).post(reverse("disclosure:set_window", args=[notice.pk]),
                                 {"start": "2025-04-07", "working_days": "20", "reason": "延长\x07公示\u202e"})
    assert response.status_code == 302
    assert DisclosureChange.objects.latest("pk").reason == "延长公示"
    assert response.get(HEADER) == "2"
