"""Real sample notices, uploaded and parsed the way users' notices are, then read by the public."""
import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from notices.models import ParseState
from notices.services import notice_create
from tracking.models import IssueStatement

from tests.review_support import accept, publish

from ..conftest import SAMPLES_DIR


def _sample(prefix: str) -> bytes:
    paths = sorted(SAMPLES_DIR.glob(f"{prefix}_*.txt"))
    if not paths:
        pytest.skip(f"sample {prefix} is not in {SAMPLES_DIR}")
    return paths[0].read_bytes()


@pytest.fixture
def upload(django_capture_on_commit_callbacks, staff):
    def _upload(prefix):
        with django_capture_on_commit_callbacks(execute=True):
            notice, _ = notice_create(data=_sample(prefix), filename=f"{prefix}.txt", uploaded_by=staff)
        notice.refresh_from_db()
        assert notice.state == ParseState.PARSED, notice.error
        return notice

    return _upload


@pytest.mark.django_db
def test_sample_000_is_public_exactly_during_its_stated_window(upload, clock, staff):
    notice = upload("000")  # 「公开期限：2025年4月7日至5月6日」
    assert (notice.disclosure_start, notice.disclosure_end) == (dt.date(2025, 4, 7), dt.date(2025, 5, 6))
    page = reverse("disclosure:notice", args=[notice.pk])
    clock.set(2025, 4, 20, 12, 0)
    assert Client().get(page).status_code == 404  # inside its window, but nobody accepted and published it
    publish(accept(notice, staff), staff)
    clock.set(2025, 4, 6, 23, 59)
    assert Client().get(page).status_code == 404
    clock.set(2025, 4, 7, 0, 0)
    body = Client().get(page).content.decode()
    statements = IssueStatement.objects.filter(notice=notice).order_by("order")
    assert statements.count() > 0
    assert f"本通报共列出 {statements.count()} 个问题" in body
    for statement in statements:
        assert statement.title in body
    assert "0763-3126147" in body and "qyszyydb@163.com" in body
    assert "坚定不移加强巡察整改和成果运用" in body  # from 下一步
    assert notice.raw_text[:200] not in body  # the page is built from the structure, not the extracted text
    clock.set(2025, 5, 7, 0, 0)
    assert "公示期已结束" in Client().get(page).content.decode()


@pytest.mark.django_db
def test_sample_003_states_no_window_so_it_stays_private_until_staff_set_one(upload, clock, login, staff):
    notice = upload("003")  # ends with contacts but no 公开期限
    assert notice.disclosure_start is None
    accept(notice, staff)
    clock.set_day(dt.date(2025, 11, 24))
    assert Client().get(reverse("disclosure:notice", args=[notice.pk])).status_code == 404
    refused = login(staff).post(reverse("disclosure:publish", args=[notice.pk]), follow=True)
    assert "请先设定公开期限" in refused.content.decode()
    login(staff).post(reverse("disclosure:set_window", args=[notice.pk]), {"start": "2025-11-24", "working_days": 15})
    assert Client().get(reverse("disclosure:notice", args=[notice.pk])).status_code == 404  # a window is not a publication
    login(staff).post(reverse("disclosure:publish", args=[notice.pk]))
    assert Client().get(reverse("disclosure:notice", args=[notice.pk])).status_code == 200
    clock.set_day(dt.date(2025, 12, 13))
    assert "公示期已结束" in Client().get(reverse("disclosure:notice", args=[notice.pk])).content.decode()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_notice_parsed_by_the_real_worker_appears_in_the_feed_and_takes_comments(role_groups, real_queue, staff, clock):
    from tests.services import wait_for

    from notices.models import Notice

    notice, _ = notice_create(data=_sample("002"), filename="002.txt", uploaded_by=staff)  # 15个工作日 from 11月24日
    parsed = wait_for(lambda: Notice.objects.filter(pk=notice.pk, state=ParseState.PARSED).first(), timeout=60)
    assert (parsed.disclosure_start, parsed.disclosure_end) == (dt.date(2025, 11, 24), dt.date(2025, 12, 12))
    publish(accept(parsed, staff), staff)
    clock.set(2025, 12, 12, 23, 59)
    feed = json.loads(Client().get(reverse("public-disclosures")).content)
    assert [r["id"] for r in feed["results"]] == [notice.pk] and feed["results"][0]["days_left"] == 1
    client = Client()
    response = client.post(reverse("disclosure:comment", args=[notice.pk]), {"text": "建议公开整改台账"})
    assert response.status_code == 302 and parsed.public_comments.count() == 1
    clock.set(2025, 12, 13, 0, 0)
    assert json.loads(Client().get(reverse("public-disclosures")).content)["count"] == 0
    assert client.post(reverse("disclosure:comment", args=[notice.pk]), {"text": "晚了"}).status_code == 403
