"""Who may read and write what: every URL pattern × anonymous, outsider, clerk of A, clerk of B, staff.

The probes target hospital A's objects, so a clerk of B must get 404 (or
403 for staff-only actions) wherever A's notice, issue, comment, export or
download is addressed, and must never find A's marker in a list.  The
coverage test walks ``get_resolver()``: a new page or endpoint without a
probe here fails the suite until someone decides who may use it.
"""
from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from django.contrib.auth.models import User

from disclosure.models import DisclosureChange, PublicComment
from notices.models import Notice
from review.models import Correction
from tests.disclosure.factories import make_notice
from tests.workbench.conftest import evidence_file
from tracking import progress as workflow
from tracking.models import Evidence, FeedbackIssue, ProgressReport, StatusChange

from . import corpus

pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "outsider", "clerk_a", "clerk_b", "staff")
LOGIN = "login"  # a redirect to the login page
MARKER = "甲院专属标记问题"  # an issue title only hospital A's readers may see
_addresses = itertools.count(1)


def expect(anonymous, outsider, clerk_a, clerk_b, staff) -> dict:
    return dict(zip(ROLES, (anonymous, outsider, clerk_a, clerk_b, staff)))


# The common shapes: a private page about A's object, a staff-only action, an endpoint of the progress API.
PAGE_OF_A = expect(LOGIN, 404, 200, 404, 200)
PROGRESS_PAGE = expect(LOGIN, 403, 200, 200, 200)
PROGRESS_PAGE_OF_A = expect(LOGIN, 403, 200, 404, 200)
API_OF_A = expect(403, 404, 200, 404, 200)
PROGRESS_API = expect(403, 403, 200, 200, 200)
PROGRESS_API_OF_A = expect(403, 403, 200, 404, 200)
PUBLIC = expect(200, 200, 200, 200, 200)


@dataclass
class World:
    a_notice: Notice  # A's notice inside its comment period
    a_draft: Notice  # A's notice not (yet) public
    a_issue: FeedbackIssue
    a_comment: PublicComment
    a_change: StatusChange
    a_report: ProgressReport  # A's pending sign-off request, with an evidence file named after MARKER
    a_evidence: Evidence
    a_clerk_id: int
    a_pending: Notice  # A's parsed notice waiting for review
    a_correction: Correction  # a staff correction of it


@dataclass
class Probe:
    name: str
    method: str
    path: Callable[[World], str]
    expected: dict
    data: Callable[[World], dict] = field(default=lambda w: {})
    private: bool = False  # those who may not read A's objects must not find MARKER in the answer
    label: str = ""

    @property
    def id(self):
        return f"{self.method} {self.name}{' ' + self.label if self.label else ''}"


def _upload(w):
    return {"files": SimpleUploadedFile("通报.txt", corpus.synthetic_notice(3).encode())}


def _api_upload(w):
    return {"file": SimpleUploadedFile("通报.txt", corpus.synthetic_notice(3).encode())}


def _verification(w):
    return {"note": "现场核查属实", "expected": "unverified"}


def _comment(w):
    return {"text": "建议公开整改台账的更多细节，便于群众监督。", "name": "", "contact": "", "issue": "", "website": ""}


def _report(w):
    return {"text": "已完成整改。", "action": "signoff", "files": [evidence_file("整改材料.pdf")]}


def _clerk(w):
    return {"username": "new_clerk", "institution": w.a_notice.institution.name, "password": "Zhenggai-2026-ok"}


n, d, i, c = (lambda w: w.a_notice.pk), (lambda w: w.a_draft.pk), (lambda w: w.a_issue.pk), (lambda w: w.a_comment.pk)
r, e = (lambda w: w.a_report.pk), (lambda w: w.a_evidence.pk)
STAFF_ACTION = expect(LOGIN, 403, 403, 403, 302)
STAFF_PAGE = expect(LOGIN, 403, 403, 403, 200)
p = lambda w: w.a_pending.pk  # noqa: E731
STAFF_ONLY_API_OF_A = expect(403, 404, 403, 404, 200)
PROBES = [
    Probe("home", "GET", lambda w: "/", expect(302, 302, 302, 302, 302)),
    Probe("healthz", "GET", lambda w: "/healthz", PUBLIC),
    Probe("login", "GET", lambda w: "/accounts/login/", PUBLIC),
    Probe("logout", "POST", lambda w: "/accounts/logout/", expect(302, 302, 302, 302, 302)),
    Probe("admin:index", "GET", lambda w: "/admin/", expect(302, 302, 302, 302, 200)),
    # --- the upload workflow
    Probe("notices:list", "GET", lambda w: "/notices/", expect(LOGIN, 200, 200, 200, 200), private=True),
    Probe("notices:list", "POST", lambda w: "/notices/", expect(LOGIN, 403, 302, 302, 302), data=_upload,
          label="upload"),
    Probe("notices:detail", "GET", lambda w: f"/notices/{n(w)}/", PAGE_OF_A),
    Probe("notices:status", "GET", lambda w: f"/notices/{n(w)}/status.json", PAGE_OF_A),
    Probe("notices:download", "GET", lambda w: f"/notices/{n(w)}/download", PAGE_OF_A),
    Probe("notices:withdraw", "POST", lambda w: f"/notices/{d(w)}/withdraw", expect(LOGIN, 404, 302, 404, 302)),
    # Re-parsing a parsed notice is staff's; the uploader may only retry a failed one.
    Probe("notices:reparse", "POST", lambda w: f"/notices/{d(w)}/reparse", expect(LOGIN, 404, 403, 404, 302)),
    # --- review of parsed notices: staff alone decide what counts
    Probe("review:queue", "GET", lambda w: "/review/", STAFF_PAGE, private=True),
    Probe("review:notice", "GET", lambda w: f"/review/{p(w)}/", STAFF_PAGE),
    Probe("review:accept", "POST", lambda w: f"/review/{p(w)}/accept", STAFF_ACTION),
    Probe("review:reject", "POST", lambda w: f"/review/{p(w)}/reject", STAFF_ACTION,
          data=lambda w: {"reason": "上传错了文件"}),
    Probe("review:correct", "POST", lambda w: f"/review/{p(w)}/corrections", STAFF_ACTION,
          data=lambda w: {"kind": "header", "title": "更正后的标题", "reason": "标题解析有误"}),
    Probe("review:revoke", "POST", lambda w: f"/review/corrections/{w.a_correction.pk}/revoke", STAFF_ACTION,
          data=lambda w: {"reason": "误操作"}),
    # --- staff review pages
    Probe("tracking:overview", "GET", lambda w: "/progress/", PROGRESS_PAGE, private=True),
    Probe("tracking:themes", "GET", lambda w: "/progress/themes/", PROGRESS_PAGE, private=True),
    Probe("tracking:institution", "GET", lambda w: f"/progress/institutions/{w.a_notice.institution_id}/",
          PROGRESS_PAGE_OF_A),
    Probe("tracking:institution-ledger", "GET",
          lambda w: f"/progress/institutions/{w.a_notice.institution_id}/ledger.csv", PROGRESS_PAGE_OF_A, label="csv"),
    Probe("tracking:institution-ledger", "GET",
          lambda w: f"/progress/institutions/{w.a_notice.institution_id}/ledger.xlsx", PROGRESS_PAGE_OF_A,
          label="xlsx"),
    Probe("tracking:issues", "GET", lambda w: "/progress/issues/", PROGRESS_PAGE, private=True),
    Probe("tracking:issues-ledger", "GET", lambda w: "/progress/issues/ledger.csv", PROGRESS_PAGE, private=True),
    Probe("tracking:issue", "GET", lambda w: f"/progress/issues/{i(w)}/", PROGRESS_PAGE_OF_A),
    Probe("tracking:issue-verify", "POST", lambda w: f"/progress/issues/{i(w)}/verify/",
          expect(LOGIN, 403, 403, 403, 302), data=_verification),
    Probe("tracking:issue-reopen", "POST", lambda w: f"/progress/issues/{i(w)}/reopen/",
          expect(LOGIN, 403, 403, 403, 302), data=_verification),
    # --- the workbench: the hospital keeps its ledger and reports progress; staff decide
    Probe("tracking:institution-notices", "GET",
          lambda w: f"/progress/institutions/{w.a_notice.institution_id}/notices/", PROGRESS_PAGE_OF_A),
    Probe("tracking:issue-ledger", "POST", lambda w: f"/progress/issues/{i(w)}/ledger/",
          expect(LOGIN, 403, 302, 404, 302), data=lambda w: {"responsible_person": "张三"}),
    Probe("tracking:issue-report", "POST", lambda w: f"/progress/issues/{i(w)}/reports/",
          expect(LOGIN, 403, 302, 404, 403), data=_report),
    Probe("tracking:report-approve", "POST", lambda w: f"/progress/reports/{r(w)}/approve/", STAFF_ACTION,
          data=lambda w: {"note": "同意销号"}),
    Probe("tracking:report-return", "POST", lambda w: f"/progress/reports/{r(w)}/return/", STAFF_ACTION,
          data=lambda w: {"note": "请补充材料"}),
    Probe("tracking:signoffs", "GET", lambda w: "/progress/signoffs/", STAFF_PAGE, private=True),
    Probe("tracking:evidence", "GET", lambda w: f"/progress/evidence/{e(w)}/", PROGRESS_PAGE_OF_A),
    Probe("tracking:todo", "GET", lambda w: "/progress/todo/", PROGRESS_PAGE, private=True),
    Probe("tracking:dashboard", "GET", lambda w: "/progress/dashboard/", PROGRESS_PAGE, private=True),
    Probe("tracking:accounts", "GET", lambda w: "/progress/accounts/", STAFF_PAGE, private=True),
    Probe("tracking:accounts", "POST", lambda w: "/progress/accounts/", STAFF_ACTION, data=_clerk, label="create"),
    Probe("tracking:account-password", "POST", lambda w: f"/progress/accounts/{w.a_clerk_id}/password/",
          STAFF_ACTION),
    # --- public disclosure: anyone reads an open notice and may comment on it
    Probe("disclosure:list", "GET", lambda w: "/public/", PUBLIC),
    Probe("disclosure:notice", "GET", lambda w: f"/public/{n(w)}/", PUBLIC),
    Probe("disclosure:notice", "GET", lambda w: f"/public/{d(w)}/", expect(404, 404, 404, 404, 404),
          label="not public"),
    Probe("disclosure:comment", "POST", lambda w: f"/public/{n(w)}/comment", expect(302, 302, 302, 302, 302),
          data=_comment),
    Probe("disclosure:original", "GET", lambda w: f"/public/{n(w)}/original", PUBLIC),
    Probe("disclosure:original", "GET", lambda w: f"/public/{d(w)}/original", expect(404, 404, 404, 404, 404),
          label="not public"),
    # --- comment management: the hospital's clerk and staff; publicity is staff's alone
    Probe("disclosure:manage_list", "GET", lambda w: "/public/manage/", PROGRESS_PAGE, private=True),
    Probe("disclosure:manage_notice", "GET", lambda w: f"/public/manage/{n(w)}/", PAGE_OF_A),
    Probe("disclosure:set_window", "POST", lambda w: f"/public/manage/{n(w)}/window",
          expect(LOGIN, 404, 403, 404, 302),
          data=lambda w: {"start": timezone.localdate().isoformat(), "working_days": "15", "end": "", "reason": "更正"}),
    Probe("disclosure:publish", "POST", lambda w: f"/public/manage/{d(w)}/publish", expect(LOGIN, 404, 403, 404, 302)),
    Probe("disclosure:unpublish", "POST", lambda w: f"/public/manage/{n(w)}/unpublish", expect(LOGIN, 404, 403, 404, 302)),
    Probe("disclosure:republish", "POST", lambda w: f"/public/manage/{n(w)}/republish", expect(LOGIN, 404, 403, 404, 302)),
    Probe("disclosure:export", "GET", lambda w: f"/public/manage/{n(w)}/comments.csv", PAGE_OF_A, label="csv"),
    Probe("disclosure:export", "GET", lambda w: f"/public/manage/{n(w)}/comments.xlsx", PAGE_OF_A, label="xlsx"),
    Probe("disclosure:comment_handle", "POST", lambda w: f"/public/manage/comments/{c(w)}/handle",
          expect(LOGIN, 404, 302, 404, 302), data=lambda w: {"reply_note": "已转交医务科核实"}),
    # --- notices API
    Probe("notice-list", "GET", lambda w: "/api/notices/", expect(403, 200, 200, 200, 200), private=True),
    Probe("notice-list", "POST", lambda w: "/api/notices/", expect(403, 403, 202, 202, 202), data=_api_upload,
          label="upload"),
    Probe("notice-detail", "GET", lambda w: f"/api/notices/{n(w)}/", API_OF_A),
    Probe("notice-reparse", "POST", lambda w: f"/api/notices/{d(w)}/reparse/", expect(403, 404, 403, 404, 202)),
    Probe("notice-withdraw", "POST", lambda w: f"/api/notices/{d(w)}/withdraw/", expect(403, 404, 200, 404, 200)),
    Probe("notice-accept", "POST", lambda w: f"/api/notices/{p(w)}/accept/", STAFF_ONLY_API_OF_A),
    Probe("notice-reject", "POST", lambda w: f"/api/notices/{p(w)}/reject/", STAFF_ONLY_API_OF_A,
          data=lambda w: {"reason": "上传错了文件"}),
    Probe("notice-corrections", "GET", lambda w: f"/api/notices/{p(w)}/corrections/", STAFF_ONLY_API_OF_A),
    Probe("api-root", "GET", lambda w: "/api/", PUBLIC),
    Probe("api-token", "POST", lambda w: "/api/auth/token/", expect(400, 400, 400, 400, 400),
          data=lambda w: {"username": "clerk_a", "password": "not-the-password"}, label="wrong password"),
    # --- progress API
    Probe("institution-list", "GET", lambda w: "/api/institutions/", PROGRESS_API, private=True),
    Probe("institution-detail", "GET", lambda w: f"/api/institutions/{w.a_notice.institution_id}/", PROGRESS_API_OF_A),
    Probe("inspection-list", "GET", lambda w: "/api/inspections/", PROGRESS_API, private=True),
    Probe("inspection-detail", "GET", lambda w: f"/api/inspections/{w.a_issue.inspection_id}/", PROGRESS_API_OF_A),
    Probe("issue-list", "GET", lambda w: "/api/issues/", PROGRESS_API, private=True),
    Probe("issue-detail", "GET", lambda w: f"/api/issues/{i(w)}/", PROGRESS_API_OF_A),
    Probe("issue-history", "GET", lambda w: f"/api/issues/{i(w)}/history/", PROGRESS_API_OF_A),
    Probe("issue-verify", "POST", lambda w: f"/api/issues/{i(w)}/verify/", expect(403, 403, 403, 403, 200),
          data=_verification),
    Probe("issue-reopen", "POST", lambda w: f"/api/issues/{i(w)}/reopen/", expect(403, 403, 403, 403, 200),
          data=_verification),
    Probe("status-change-list", "GET", lambda w: "/api/status-changes/", PROGRESS_API, private=True),
    Probe("status-change-detail", "GET", lambda w: f"/api/status-changes/{w.a_change.pk}/", PROGRESS_API_OF_A),
    Probe("progress-report-list", "GET", lambda w: "/api/progress-reports/", PROGRESS_API, private=True),
    Probe("progress-report-detail", "GET", lambda w: f"/api/progress-reports/{r(w)}/", PROGRESS_API_OF_A),
    Probe("progress-report-approve", "POST", lambda w: f"/api/progress-reports/{r(w)}/approve/",
          expect(403, 403, 403, 403, 200), data=lambda w: {"note": "同意销号"}),
    Probe("progress-report-return", "POST", lambda w: f"/api/progress-reports/{r(w)}/return/",
          expect(403, 403, 403, 403, 200), data=lambda w: {"note": "请补充材料"}),
    Probe("public-disclosures", "GET", lambda w: "/api/public/disclosures/", PUBLIC),
    # The schema describes the API, not its data; publishing it is deliberate.
    Probe("api-schema", "GET", lambda w: "/api/schema/", PUBLIC),
    Probe("api-docs", "GET", lambda w: "/api/docs/", PUBLIC),
]


def url_names() -> set[str]:
    """Every named URL pattern outside the admin (whose every view requires is_staff by construction)."""

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = ":".join(filter(None, [namespace, p.namespace]))
                if p.namespace != "admin":
                    yield from walk(p.url_patterns, inner)
            elif isinstance(p, URLPattern):
                yield f"{namespace}:{p.name}" if namespace else (p.name or f"<unnamed {p.pattern}>")

    return set(walk(get_resolver().url_patterns, ""))


def test_every_url_pattern_has_a_probe_in_the_matrix():
    probed = {p.name for p in PROBES}
    assert url_names() - probed == set(), "new URL patterns: add them to PROBES with who may use them"
    assert probed - url_names() - {"admin:index"} == set(), "probes for URL names that no longer exist"


@pytest.fixture
def world(hospital_a, hospital_b, hospital_a_clerk, hospital_b_clerk) -> World:
    today = timezone.localdate()
    a_notice = make_notice(institution=hospital_a, uploaded_by=hospital_a_clerk,
                           start=today - dt.timedelta(days=3), end=today + dt.timedelta(days=10),
                           issues=[(MARKER, "已完成整改。修订制度2项。", "completed")])
    a_draft = make_notice(institution=hospital_a, uploaded_by=hospital_a_clerk, start=None, end=None)
    make_notice(institution=hospital_b, start=today - dt.timedelta(days=3), end=today + dt.timedelta(days=10),
                issues=[("乙院的问题", "正在整改。", "in_progress")])
    a_issue = FeedbackIssue.objects.get(title=MARKER)
    a_change = StatusChange.objects.create(issue=a_issue, kind=StatusChange.Kind.CLAIMED, old_value="not_stated",
                                           new_value="completed", notice=a_notice, reason="通报所述")
    a_comment = PublicComment.objects.create(notice=a_notice, issue=a_issue, text="请公开整改台账", client_hash="x")
    a_pending = Notice.objects.create(
        institution=hospital_a, uploaded_by=hospital_a_clerk, original_name="待审核.txt", sha256="e" * 64,
        format="txt", size=12, file="notices/pending.txt", state="parsed", review_state="pending",
        title="待审核的通报", raw_text="待审核的通报\n标题解析有误", confidence="low", review_reasons=["测试"],
        parse_result={"parser_version": "test", "title": "待审核的通报", "issues": []},
    )
    a_correction = Correction.objects.create(notice=a_pending, kind="header", payload={"round": "第一轮"},
                                             summary="巡察轮次：空 → 第一轮", reason="补充", created_by=None)
    a_report = workflow.report_submit(issue=a_issue, user=hospital_a_clerk, text="已完成整改。", request_signoff=True,
                                      files=[evidence_file(f"{MARKER}证明.pdf")])
    return World(a_notice, a_draft, a_issue, a_comment, a_change, a_report, a_report.evidence.get(),
                 hospital_a_clerk.pk, a_pending, a_correction)


@pytest.fixture
def clients(outsider, hospital_a_clerk, hospital_b_clerk, staff) -> dict:
    users = {"outsider": outsider, "clerk_a": hospital_a_clerk, "clerk_b": hospital_b_clerk, "staff": staff}
    made = {}
    for role in ROLES:
        # A separate address per client, so the public comment rate limit counts each as one sender.
        client = Client(REMOTE_ADDR=f"10.77.{next(_addresses) % 250}.{ROLES.index(role) + 1}")
        if role in users:
            client.force_login(users[role])
        made[role] = client
    return made


def _snapshot():
    """What a refused request must leave exactly as it was."""
    return (
        list(Notice.objects.order_by("pk").values_list("pk", "state", "withdrawn_at", "unpublished",
                                                       "disclosure_start", "disclosure_end", "attempts",
                                                       "review_state", "published_at", "title")),
        list(Correction.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(FeedbackIssue.objects.order_by("pk").values_list("pk", "verification")),
        list(PublicComment.objects.order_by("pk").values_list("pk", "handled")),
        DisclosureChange.objects.count(),
        list(FeedbackIssue.objects.order_by("pk").values_list("pk", "responsible_person", "due_on_override",
                                                              "signoff")),
        list(ProgressReport.objects.order_by("pk").values_list("pk", "state")),
        Evidence.objects.count(),
        list(User.objects.order_by("pk").values_list("pk", "password")),
    )


@pytest.mark.parametrize("probe", PROBES, ids=lambda p: p.id)
def test_who_may_use_each_page_and_endpoint(probe, world, clients):
    for role in ROLES:
        before = _snapshot()
        with transaction.atomic():
            # Each role meets the same world: whatever an allowed write changed is rolled back.
            response = clients[role].generic(probe.method, probe.path(world)) if probe.method != "POST" else \
                clients[role].post(probe.path(world), probe.data(world))
            status = response.status_code
            wanted = probe.expected[role]
            if wanted == LOGIN:
                assert status == 302 and response["Location"].startswith("/accounts/login/"), (role, status)
            else:
                assert status == wanted, f"{role}: {status} (expected {wanted})"
            if status in (302, 400, 401, 403, 404, 405) and wanted in (LOGIN, 401, 403, 404):
                assert _snapshot() == before, f"{role} was refused but something changed"
            if probe.private and role in ("anonymous", "outsider", "clerk_b"):
                assert MARKER not in _body(response), f"{role} sees hospital A's issue"
            transaction.set_rollback(True)


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def test_the_positive_cases_do_show_the_marker_so_the_leak_check_can_fail(world, clients):
    assert MARKER in _body(clients["clerk_a"].get("/progress/issues/"))
    assert MARKER in _body(clients["staff"].get("/api/issues/"))
    assert MARKER in _body(clients["clerk_a"].get("/progress/issues/ledger.csv"))


def test_a_download_sends_the_stored_bytes_only_through_the_checked_view(world, clients, settings):
    with world.a_notice.file.open("rb") as fh:
        original = fh.read()
    assert _body(clients["clerk_a"].get(f"/notices/{world.a_notice.pk}/download")).encode() == original
    assert clients["clerk_b"].get(f"/notices/{world.a_notice.pk}/download").status_code == 404
    # No URL maps onto the storage directory, under MEDIA_URL or its real path.
    for path in (settings.MEDIA_URL + world.a_notice.file.name, "/" + world.a_notice.file.name,
                 "/media/" + world.a_notice.file.name):
        assert clients["staff"].get(path).status_code == 404
    static_dirs = [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]
    assert not any(str(settings.MEDIA_ROOT).startswith(str(d)) for d in static_dirs)
