"""Helpers for the upload → parse → tracking pipeline tests.

``fake_parser`` replaces the real parser with ParsedNotices built here, so
tests of linking and history state exactly what each notice says; tests of
the real parser's output live with the parser and in the e2e gold test.
"""
import datetime as dt

import pytest

from notices.parsing.result import DatedAction, ParsedIssue, ParsedNotice


def issue(number, title, status="not_stated", *, category=None, order=None, deadline=None, measures=()):
    actions = [DatedAction(kind="deadline", date=deadline, date_text=str(deadline), text="前完成")] if deadline else []
    return ParsedIssue(
        category=category, number=str(number), title=title, text=f"{number}.{title}。整改情况……", status=status,
        status_evidence="已完成整改" if status == "completed" else "", order=order if order is not None else int(number),
        measures=list(measures), actions=actions,
    )


def notice(issues, *, institution="清远市中医院", aliases=(), published=None, feedback=dt.date(2024, 3, 28),
           group="第五巡察组", body="市委", title="巡察整改进展情况的通报"):
    return ParsedNotice(
        parser_version="test-1", title=title, institution=institution, institution_aliases=list(aliases),
        inspecting_body=body, inspection_group=group, feedback_date=feedback, published_date=published,
        issues=list(issues),
    )


class FakeParser:
    """Maps an upload's file name to the ParsedNotice the real parser would have produced."""

    def __init__(self):
        self.results = {}
        self.calls = 0

    def __call__(self, data, filename, ctx=None):
        from notices.parsing.extract.base import ExtractedText

        self.calls += 1
        result = self.results[filename]
        if isinstance(result, Exception):
            raise result
        return ExtractedText(text=data.decode("utf-8", "replace"), format="txt", encoding="utf-8"), result


@pytest.fixture
def fake_parser(monkeypatch):
    parser = FakeParser()
    monkeypatch.setattr("notices.services.parse_bytes", parser)
    return parser


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """``upload(user, name, data, institution=None, accept=False)`` through the service, parsing as after a commit.

    ``accept=True``: then staff accept it, as they must before it counts (``tests.review_support.accept``).
    """
    from notices.services import notice_create
    from tests.review_support import accept as accept_notice

    def _upload(user, name, data=None, institution=None, accept=False):
        data = data if data is not None else f"{name} 通报正文".encode()
        with django_capture_on_commit_callbacks(execute=True):
            notice, created = notice_create(data=data, filename=name, uploaded_by=user, institution=institution)
        notice.refresh_from_db()
        return accept_notice(notice) if accept else notice

    return _upload


from tests.services import real_queue  # noqa: E402,F401  (the shared conftest exports only the worker)
