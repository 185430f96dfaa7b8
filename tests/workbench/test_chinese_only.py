"""No page speaks English: every rendered page, for every role, scanned for Latin words outside an allow-list."""
import re

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import reverse

from tracking import progress as workflow

from .conftest import evidence_file

pytestmark = pytest.mark.django_db

# Words that are names, not UI language: formats, product names, units, and the usernames of the fixtures.
ALLOWED = {"API", "Excel", "CSV", "PDF", "Word", "PNG", "JPEG", "OpenAPI", "MB", "KB", "Cookie", "SHA", "staff",
           "clerk_a", "clerk_b", "outsider", "txt", "doc", "docx", "htm", "html", "xlsx", "png", "jpg", "jpeg", "pdf"}
# Django's admin hard-codes the alt text of its search icon (admin/search_form.html), untranslatable.
ADMIN_ALLOWED = {"Search"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z_]+")
HEX = re.compile(r"\b[0-9a-f]{16,}\b")  # hashes are data, not words


def english_words(html: str) -> set[str]:
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "svg", "code"]):
        hidden.decompose()
    texts = [soup.get_text(" ")]
    # What a person reads without seeing it as text: placeholders, button values, titles, labels for screen readers.
    for tag in soup.find_all(True):
        texts += [tag.get(attr, "") for attr in ("placeholder", "title", "aria-label", "alt")]
        if tag.name == "input" and tag.get("type") in ("submit", "button"):
            texts.append(tag.get("value", ""))
    return {word for text in texts for word in LATIN_WORD.findall(HEX.sub(" ", text))} - ALLOWED


@pytest.fixture
def pages(progress, hospital_a, hospital_a_clerk, staff):
    issue = progress["a"]["done_insurance"]
    workflow.report_submit(issue=issue, user=hospital_a_clerk, text="完成", files=[evidence_file("证明.pdf")],
                           request_signoff=True)
    shared = [
        reverse("tracking:overview"), reverse("tracking:overview") + "?ordering=-name&theme=medical_insurance",
        reverse("tracking:institution", args=[hospital_a.pk]),
        reverse("tracking:institution-notices", args=[hospital_a.pk]),
        reverse("tracking:issue", args=[issue.pk]), reverse("tracking:issue", args=[progress["a"]["soon_finance"].pk]),
        reverse("tracking:issues"), reverse("tracking:issues") + "?ordering=-due_on",
        reverse("tracking:todo"), reverse("tracking:dashboard"), reverse("tracking:themes"),
        reverse("notices:list"), reverse("notices:detail", args=[progress["notice_a"].pk]),
    ]
    staff_only = [reverse("tracking:signoffs"), reverse("tracking:accounts"), "/admin/", "/admin/tracking/",
                  "/admin/tracking/feedbackissue/", "/admin/tracking/progressreport/", "/admin/auditlog/logentry/"]
    return {"staff": (staff, shared + staff_only), "clerk": (hospital_a_clerk, shared)}


@pytest.mark.parametrize("role", ["staff", "clerk"])
def test_every_page_a_role_opens_is_in_chinese(role, pages, login):
    user, urls = pages[role]
    client = login(user)
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        words = english_words(response.content.decode()) - (ADMIN_ALLOWED if url.startswith("/admin/") else set())
        if words:
            found[url] = sorted(words)
    assert found == {}


def test_error_pages_are_in_chinese(login, client, hospital_b_clerk, progress, hospital_a):
    forbidden = login(hospital_b_clerk).get(reverse("tracking:signoffs"))
    missing = login(hospital_b_clerk).get(reverse("tracking:institution", args=[hospital_a.pk]))
    nowhere = client.get("/no-such-page/")
    csrf = Client(enforce_csrf_checks=True)
    csrf.force_login(hospital_b_clerk)
    stale = csrf.post(reverse("tracking:issue-report", args=[progress["b"]["open_insurance"].pk]), {"text": "x"})
    for response, status, words in ((forbidden, 403, "无权访问"), (missing, 404, "页面不存在"),
                                    (nowhere, 404, "页面不存在"), (stale, 403, "页面已过期")):
        html = response.content.decode()
        assert response.status_code == status and words in html
        assert english_words(html) == set(), (status, english_words(html))


def test_the_server_error_page_is_in_chinese():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "系统出错了" in html and english_words(html) == set()


def test_the_scan_finds_english_when_there_is_some():
    assert english_words("<p>名称 (descending)</p><button title='Feedback on'>x</button>") >= {
        "descending", "Feedback", "on"}
