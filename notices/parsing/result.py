"""The plain data a parse produces.

Nothing here knows about Django: the structure parser fills these dataclasses
from text, and ``notices.services`` turns them into rows.  Dates are
``datetime.date``; every string is the notice's own text (never HTML).
``to_dict`` gives the JSON shape that ``manage.py parse_notice --json`` prints
and that ``../shared/tools/score_parse.py`` scores.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

STATUS_COMPLETED = "completed"
STATUS_IN_PROGRESS = "in_progress"
STATUS_LONG_TERM = "long_term"
STATUS_NOT_STATED = "not_stated"
STATUSES = (STATUS_COMPLETED, STATUS_IN_PROGRESS, STATUS_LONG_TERM, STATUS_NOT_STATED)

# How sure the parser is that its issues are right.  "high": it understood the
# whole structure; "low": a reviewer must look (the reasons say why).  OCR'd
# text is capped at "medium" by the pipeline, never by the structure parser.
CONFIDENCE_HIGH = "high"
CONFIDENCE_MEDIUM = "medium"
CONFIDENCE_LOW = "low"


@dataclass(frozen=True)
class Contacts:
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DeclaredCounts:
    """What the notice says about itself (「4方面12个问题」「共计32个问题已整改完成」)."""

    categories: int | None = None
    issues: int | None = None
    completed: int | None = None
    in_progress: int | None = None


@dataclass(frozen=True)
class Statistic:
    """A reported figure such as 制定规章制度29项 or 约谈教育干部299人."""

    label: str
    value: int
    unit: str
    sentence: str


@dataclass(frozen=True)
class DatedAction:
    """A dated step inside an issue: something done on a date, or due by one.

    ``kind`` is "action" (已于…完成, 2025年6月25日…进行了) or "deadline"
    (…前完成, 3月末完成, 持续推进至…).  ``date`` is resolved with the year taken
    from context; ``date_text`` is the wording as printed.
    """

    kind: str
    date: dt.date | None
    date_text: str
    text: str


@dataclass(frozen=True)
class IssueSection:
    """A labelled sub-part of an issue: 整改措施, 阶段性成效, 下一步推进举措…"""

    label: str
    text: str


@dataclass(frozen=True)
class ParsedIssue:
    category: str | None  # the category's Chinese numeral (一, 二…) or None
    number: str  # as printed, normalised to ASCII digits ("12")
    title: str
    text: str  # the whole issue text including measures
    status: str  # one of STATUSES
    status_evidence: str  # the sentence that says the status ("" when not_stated)
    order: int  # position in the notice, from 0
    measures: list[str] = field(default_factory=list)  # 一是…二是…
    sections: list[IssueSection] = field(default_factory=list)
    actions: list[DatedAction] = field(default_factory=list)
    reason: str = ""  # why the parser took this heading as a problem (Chinese)


@dataclass(frozen=True)
class ParsedCategory:
    number: str  # 一, 二…
    title: str
    order: int


@dataclass(frozen=True)
class ImmediateItem:
    """A 立行立改 item handed over by the inspection group."""

    text: str
    status: str
    status_evidence: str = ""


@dataclass(frozen=True)
class OutlineEntry:
    """One heading of the notice as the parser read it: what it is and why."""

    line: int  # 1-based line of the normalised text
    depth: int
    text: str  # the heading line as printed (cut to 80 characters)
    role: str  # org_work, problem_list, status_group, category, problem_group, problem, sub_problem, measure, next_steps…
    reason: str


@dataclass(frozen=True)
class ParseWarning:
    """Something a reviewer should look at.  ``code`` is stable, ``message`` is Chinese."""

    code: str
    message: str


@dataclass(frozen=True)
class ParsedNotice:
    parser_version: str
    title: str = ""
    institution: str | None = None
    institution_aliases: list[str] = field(default_factory=list)  # other names seen (市中医院)
    inspecting_body: str | None = None  # 市委 / 区委 / 旗委 / 县委 / 省委
    round: str | None = None  # 十六届旗委第九轮
    inspection_group: str | None = None  # 市委第三巡察组 / 第五巡察组
    inspection_start: dt.date | None = None
    inspection_end: dt.date | None = None
    feedback_date: dt.date | None = None
    published_date: dt.date | None = None
    disclosure_start: dt.date | None = None
    disclosure_end: dt.date | None = None
    disclosure_text: str = ""  # the 公开期限 wording, e.g. 「…（15个工作日）」
    contacts: Contacts = field(default_factory=Contacts)
    declared: DeclaredCounts = field(default_factory=DeclaredCounts)
    statistics: list[Statistic] = field(default_factory=list)
    categories: list[ParsedCategory] = field(default_factory=list)
    issues: list[ParsedIssue] = field(default_factory=list)
    immediate_items: list[ImmediateItem] = field(default_factory=list)
    next_steps: str = ""
    is_rectification_notice: bool = True
    warnings: list[ParseWarning] = field(default_factory=list)
    confidence: str = CONFIDENCE_HIGH
    review_reasons: list[str] = field(default_factory=list)  # Chinese, why confidence is not high
    outline: list[OutlineEntry] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON-ready dict: dates as YYYY-MM-DD, dataclasses as dicts."""
        return _jsonable(dataclasses.asdict(self))


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
