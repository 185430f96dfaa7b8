"""Plain functions that create tracking rows for tests; keyword arguments override defaults.

Other test packages import these, so their names and arguments stay stable:
add new keyword arguments with defaults rather than changing existing ones.
"""
import datetime as dt
import hashlib
import itertools

from django.core.files.base import ContentFile

from notices.models import Notice, ParseState, ReviewState
from tracking import counters
from tracking.models import (
    FeedbackIssue,
    Inspection,
    Institution,
    IssueAction,
    IssueCategory,
    IssueStatement,
    Measure,
    StatusChange,
)

_seq = itertools.count(1)


def institution(*, name=None, region="", **fields) -> Institution:
    return Institution.objects.create(name=name or f"测试市第{next(_seq)}人民医院", region=region, **fields)


def inspection(*, institution_=None, inspecting_body="市委", round="", group="市委第三巡察组",
               feedback_on=dt.date(2025, 3, 14), **fields) -> Inspection:
    made = Inspection.objects.create(
        institution=institution_ or institution(), inspecting_body=inspecting_body, round=round, group=group,
        feedback_on=feedback_on, **fields,
    )
    counters.institutions_relink([made.institution_id])  # as the ledger's services leave it
    counters.bump()
    return made


def category(*, inspection_, number="一", title="关于落实党中央决策部署方面", order=0) -> IssueCategory:
    return IssueCategory.objects.create(inspection=inspection_, number=number, title=title, order=order)


def notice(*, institution_=None, inspection_=None, title="关于巡察整改进展情况的通报", content=None,
           published_on=dt.date(2025, 4, 7), warnings=None, **fields) -> Notice:
    content = content if content is not None else f"通报 {next(_seq)}".encode()
    sha = hashlib.sha256(content).hexdigest()
    item = Notice(
        institution=institution_ or (inspection_.institution if inspection_ else None), inspection=inspection_,
        original_name="通报.txt", sha256=sha, format="txt", size=len(content), state=ParseState.PARSED,
        title=title, published_on=published_on, warnings=warnings or [],
        # Rows in the ledger mean staff accepted it: that is the only way a notice gets them.
        **{"review_state": ReviewState.ACCEPTED, **fields},
    )
    item.file.save("notice.txt", ContentFile(content), save=False)
    item.save()
    return item


def issue(*, inspection_, category_=None, number="1", title="财务管理不规范", text="", status="not_stated",
          status_evidence="", order=0, due_on=None, last_notice=None, **fields) -> FeedbackIssue:
    fields.setdefault("notice_due_on", due_on)  # as a parse leaves it: the deadline came from the notice
    made = FeedbackIssue.objects.create(
        inspection=inspection_, category=category_, number=number, title=title, match_key=title[:64],
        text=text or title, status=status, status_evidence=status_evidence, order=order, due_on=due_on,
        last_notice=last_notice, **fields,
    )
    counters.issues_changed(issue_ids=[made.pk])  # the counters, as every service that writes issues keeps them
    return made


def statement(*, issue_, notice_, status=None, status_evidence=None, order=0) -> IssueStatement:
    return IssueStatement.objects.create(
        notice=notice_, issue=issue_, number=issue_.number, title=issue_.title, text=issue_.text,
        status=status or issue_.status, status_evidence=status_evidence if status_evidence is not None
        else issue_.status_evidence, order=order,
    )


def measure(*, issue_, notice_, text="一是完善制度。", order=0) -> Measure:
    return Measure.objects.create(issue=issue_, notice=notice_, text=text, order=order)


def action(*, issue_, notice_, kind="deadline", date=None, date_text="", text="完成整改", order=0) -> IssueAction:
    return IssueAction.objects.create(issue=issue_, notice=notice_, kind=kind, date=date, date_text=date_text,
                                      text=text, order=order)


def claimed_change(*, issue_, notice_, old="", new="in_progress") -> StatusChange:
    return StatusChange.objects.create(issue=issue_, kind=StatusChange.Kind.CLAIMED, old_value=old, new_value=new,
                                       notice=notice_)


def full_issue(*, inspection_, notice_, category_=None, number="1", title="医保基金使用管理不规范",
               status="in_progress", status_evidence="目前正在整改中。", due_on=None, order=0, measures=2,
               actions=1) -> FeedbackIssue:
    """An issue with what a parse leaves: a statement, measures, dated actions, a claimed-status history row."""
    item = issue(inspection_=inspection_, category_=category_, number=number, title=title, status=status,
                 status_evidence=status_evidence, due_on=due_on, order=order, last_notice=notice_)
    statement(issue_=item, notice_=notice_, order=order)
    for n in range(measures):
        measure(issue_=item, notice_=notice_, text=f"措施{n + 1}：健全制度并抓好落实。", order=n)
    for n in range(actions):
        action(issue_=item, notice_=notice_, kind="deadline" if due_on else "action",
               date=due_on or dt.date(2025, 3, 20), text=f"节点{n + 1}", order=n)
    claimed_change(issue_=item, notice_=notice_, old="", new=status)
    return item


def hospital_with_issues(*, institution_=None, name=None, n_issues=10, region="", feedback_on=dt.date(2025, 3, 14),
                         titles=None, statuses=("completed", "in_progress", "long_term", "not_stated"),
                         due_on=None, n_categories=2, inspecting_body="市委", round="") -> Inspection:
    """A hospital, one inspection, one notice and ``n_issues`` full issues cycling through ``statuses``."""
    place = institution_ or institution(name=name, region=region)
    insp = inspection(institution_=place, feedback_on=feedback_on, inspecting_body=inspecting_body, round=round)
    note = notice(inspection_=insp)
    categories = [category(inspection_=insp, number="一二三四五六七八九十"[n], title=f"关于第{n + 1}方面", order=n)
                  for n in range(n_categories)]
    for n in range(n_issues):
        title = titles[n % len(titles)] if titles else f"问题{n + 1}：财务管理不规范"
        full_issue(inspection_=insp, notice_=note, category_=categories[n % n_categories] if categories else None,
                   number=str(n + 1), title=title, status=statuses[n % len(statuses)], due_on=due_on, order=n)
    return insp
