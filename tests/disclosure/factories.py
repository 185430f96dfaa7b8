"""A parsed notice built straight from rows, shaped like what the pipeline stores once staff accepted it.

Disclosure tests need notices in exact states (window, unpublished, failed)
and strings they can recognise; going through the parser would tie them to
its wording.  By default the notice is accepted and published by staff (as it
must be to be public); pass ``review_state`` / ``published_at=None`` for others.
"""
import datetime as dt
import hashlib
import itertools

from django.core.files.base import ContentFile
from django.utils import timezone

from notices.models import Notice, ParseState, ReviewState
from tracking.models import FeedbackIssue, ImmediateItem, Inspection, IssueCategory, IssueStatement

_seq = itertools.count(1)

# The 公开期限 of sample 000: 「公开期限：2025年4月7日至5月6日」.
START = dt.date(2025, 4, 7)
END = dt.date(2025, 5, 6)


def make_notice(*, institution, start=START, end=END, state=ParseState.PARSED, title=None, issues=None,
                category_title="关于聚焦党中央各项决策部署落实情况方面", next_steps="持续巩固整改成果。",
                contacts=None, uploaded_by=None, file_bytes=None, **fields) -> Notice:
    n = next(_seq)
    data = file_bytes or f"整改进展情况通报 {n}".encode()
    inspection = Inspection.objects.create(
        institution=institution, inspecting_body="市委", group=f"第{n}巡察组", feedback_on=dt.date(2024, 3, 28)
    )
    fields.setdefault("original_name", f"upload-{n}.txt")
    fields.setdefault("review_state", ReviewState.ACCEPTED)
    fields.setdefault("published_at", timezone.now())
    notice = Notice(
        institution=institution, inspection=inspection,
        sha256=hashlib.sha256(data + str(n).encode()).hexdigest(), format="txt", size=len(data),
        uploaded_by=uploaded_by, state=state, title=title if title is not None else f"{institution.name}关于巡察整改进展情况的通报",
        published_on=dt.date(2025, 4, 3), disclosure_start=start, disclosure_end=end,
        disclosure_text="公开期限：2025年4月7日至5月6日" if start else "", next_steps=next_steps,
        contacts=contacts if contacts is not None else {"phones": ["0763-3126147"], "emails": ["qyszyydb@163.com"],
                                                         "addresses": ["清远市清城区桥北路10号"]},
        **fields,
    )
    notice.file.save(f"upload-{n}.txt", ContentFile(data), save=False)
    notice.save()
    category = IssueCategory.objects.create(inspection=inspection, number="一", title=category_title, order=0)
    for order, (title_, text, status) in enumerate(issues or [
        ("学习贯彻不够深入", "一是制定学习计划。二是开展专题学习。", "completed"),
        ("制度建设不够健全", "修订完善制度6项。", "in_progress"),
    ]):
        issue = FeedbackIssue.objects.create(
            inspection=inspection, category=category, number=str(order + 1), title=title_, match_key=f"k{n}-{order}",
            text=text, order=order, status=status, last_notice=notice,
        )
        IssueStatement.objects.create(notice=notice, issue=issue, number=str(order + 1), title=title_, text=text,
                                      status=status, status_evidence="已完成整改。" if status == "completed" else "",
                                      order=order)
    return notice


def statement_issues(notice):
    return [s.issue for s in IssueStatement.objects.filter(notice=notice).select_related("issue").order_by("order")]


def add_immediate_item(notice, text, status="completed"):
    return ImmediateItem.objects.create(inspection=notice.inspection, notice=notice, text=text, status=status)
