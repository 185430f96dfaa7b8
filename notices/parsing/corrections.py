"""Staff corrections of a parse, applied as a pure function: ``apply_corrections(parsed, corrections)``.

The parser proposes, people correct, and the corrections outlive the parse:
each correction names the issue it changes by a *stable key* (category,
number and the comparable core of the title), so after a re-parse of the
same text it finds the same issue again.  A correction whose issue is gone
is reported ``stale`` rather than dropped; one the parser made unnecessary
(it now finds the issue a reviewer added) is ``redundant``.

No Django here: corrections arrive as plain ``CorrectionSpec`` values and
the result is a new ``ParsedNotice`` plus one ``Outcome`` per correction.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Iterable

from .result import (
    STATUS_NOT_STATED,
    STATUSES,
    Contacts,
    DatedAction,
    DeclaredCounts,
    ImmediateItem,
    IssueSection,
    OutlineEntry,
    ParsedCategory,
    ParsedIssue,
    ParsedNotice,
    ParseWarning,
    Statistic,
)

# --- kinds of correction and what their payload holds -------------------------
INSTITUTION = "institution"  # {"institution_id": 5, "name": "长沙市中心医院"}
HEADER = "header"  # {"feedback_date": "2024-03-28", "inspection_group": "…", …} (HEADER_FIELDS)
ISSUE = "issue"  # target key; {"number", "title", "category", "status", "status_evidence"} (any of them)
NOT_ISSUE = "not_issue"  # target key
ADD_ISSUE = "add_issue"  # {"category", "number", "title", "text", "status", "status_evidence"}
MERGE = "merge"  # target key; {"other": key of the issue folded into the target}
SPLIT = "split"  # target key; {"at": text where the second issue begins, "number", "title"}
KINDS = (INSTITUTION, HEADER, ISSUE, NOT_ISSUE, ADD_ISSUE, MERGE, SPLIT)

HEADER_DATE_FIELDS = ("inspection_start", "inspection_end", "feedback_date", "published_date",
                      "disclosure_start", "disclosure_end")
HEADER_TEXT_FIELDS = ("title", "inspecting_body", "inspection_group", "round", "disclosure_text")
HEADER_FIELDS = HEADER_TEXT_FIELDS + HEADER_DATE_FIELDS + ("is_rectification_notice",)
ISSUE_FIELDS = ("number", "title", "category", "status", "status_evidence")

APPLIED, STALE, REDUNDANT = "applied", "stale", "redundant"


@dataclass(frozen=True)
class CorrectionSpec:
    id: int
    kind: str
    target: str = ""  # the stable key of the issue it changes ("" for notice-level kinds)
    payload: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    correction_id: int
    state: str  # APPLIED, STALE or REDUNDANT
    message: str = ""  # Chinese, why it did not apply
    issue_key: str | None = None  # the key of the issue it produced or changed, after applying


# --- stable keys -----------------------------------------------------------------
_NUMBER_PREFIX = re.compile(r"^[\d一二三四五六七八九十]+")
_TITLE_TAIL = re.compile(r"(问题的整改|的问题|问题|方面)$")


def title_key(title: str) -> str:
    """The comparable core of an issue title: no numbering, punctuation, spaces or 「…的问题」 tail."""
    key = unicodedata.normalize("NFKC", title or "")
    key = "".join(ch for ch in key if unicodedata.category(ch)[0] not in "PSZC")
    key = _NUMBER_PREFIX.sub("", key)
    return _TITLE_TAIL.sub("", key)[:64]


def issue_key(issue: ParsedIssue) -> str:
    """Category, number and title key: the same issue in a re-parse of the same text has the same key."""
    return f"{issue.category or '-'}/{issue.number or '-'}/{title_key(issue.title)}"


def _title_part(key: str) -> str:
    return key.split("/", 2)[-1] if key.count("/") >= 2 else ""


def find_issue(issues: list[ParsedIssue], key: str) -> int | None:
    """Index of the issue ``key`` names: the exact key, else the only issue with the same title key."""
    for index, issue in enumerate(issues):
        if issue_key(issue) == key:
            return index
    title = _title_part(key)
    if not title:
        return None
    same_title = [index for index, issue in enumerate(issues) if title_key(issue.title) == title]
    return same_title[0] if len(same_title) == 1 else None


# --- applying ------------------------------------------------------------------------
class _Stale(Exception):
    pass


class _Redundant(Exception):
    pass


def apply_corrections(parsed: ParsedNotice, corrections: Iterable[CorrectionSpec]
                      ) -> tuple[ParsedNotice, list[Outcome]]:
    """``parsed`` with every correction that still applies, in the order given (oldest first)."""
    state = _Working(parsed)
    outcomes = []
    for correction in corrections:
        try:
            key = _APPLY[correction.kind](state, correction)
        except _Stale as why:
            outcomes.append(Outcome(correction.id, STALE, str(why)))
        except _Redundant as why:
            outcomes.append(Outcome(correction.id, REDUNDANT, str(why)))
        else:
            outcomes.append(Outcome(correction.id, APPLIED, "", key))
    return state.result(), outcomes


class _Working:
    def __init__(self, parsed: ParsedNotice):
        self.parsed = parsed
        self.header: dict = {}
        self.issues: list[ParsedIssue] = list(parsed.issues)

    def index(self, key: str, what: str = "该问题") -> int:
        found = find_issue(self.issues, key)
        if found is None:
            raise _Stale(f"重新解析后找不到{what}（{_describe(key)}），更正未生效，请重新核对")
        return found

    def result(self) -> ParsedNotice:
        issues = [replace(issue, order=order) for order, issue in enumerate(self.issues)]
        return replace(self.parsed, issues=issues, **self.header)


def _describe(key: str) -> str:
    category, number, title = (key.split("/", 2) + ["", "", ""])[:3]
    parts = [f"（{category}）" if category not in ("", "-") else "", f"{number}." if number not in ("", "-") else ""]
    return "".join(parts) + (title or "无标题")


def _institution(state: _Working, c: CorrectionSpec) -> None:
    state.header["institution"] = c.payload["name"]
    # Other names printed in the text belong to whatever the parser read, not to the chosen institution.
    state.header["institution_aliases"] = []


def _header(state: _Working, c: CorrectionSpec) -> None:
    for name, value in c.payload.items():
        if name in HEADER_DATE_FIELDS:
            state.header[name] = dt.date.fromisoformat(value) if value else None
        elif name in HEADER_TEXT_FIELDS:
            state.header[name] = value or ("" if name in ("title", "disclosure_text") else None)
        elif name == "is_rectification_notice":
            state.header[name] = bool(value)


def _issue(state: _Working, c: CorrectionSpec) -> str:
    index = state.index(c.target)
    changes = {name: c.payload[name] for name in ISSUE_FIELDS if name in c.payload}
    if "category" in changes:
        changes["category"] = changes["category"] or None
    if changes.get("status") is not None and changes["status"] not in STATUSES:
        raise _Stale(f"状态「{changes['status']}」无效")
    state.issues[index] = replace(state.issues[index], **changes)
    return issue_key(state.issues[index])


def _not_issue(state: _Working, c: CorrectionSpec) -> None:
    del state.issues[state.index(c.target)]


def _add_issue(state: _Working, c: CorrectionSpec) -> str:
    p = c.payload
    added = ParsedIssue(
        category=p.get("category") or None, number=str(p.get("number") or ""), title=p["title"],
        text=p.get("text") or p["title"], status=p.get("status") or STATUS_NOT_STATED,
        status_evidence=p.get("status_evidence") or "", order=0,
    )
    key = issue_key(added)
    if find_issue(state.issues, key) is not None:
        raise _Redundant("解析结果中已有该问题，补充的问题未重复添加")
    state.issues.insert(_position(state.issues, added), added)
    return key


def _position(issues: list[ParsedIssue], added: ParsedIssue) -> int:
    """Before the first issue of its category with a higher number, else after its category's last issue."""
    number = _int(added.number)
    last_of_category = None
    for index, issue in enumerate(issues):
        if issue.category == added.category:
            if number is not None and (_int(issue.number) or 0) > number:
                return index
            last_of_category = index
    return len(issues) if last_of_category is None else last_of_category + 1


def _int(text: str) -> int | None:
    return int(text) if text and text.isdigit() else None


def _merge(state: _Working, c: CorrectionSpec) -> str:
    index = state.index(c.target)
    other = state.index(c.payload["other"], "要合并的问题")
    if other == index:
        raise _Stale("合并的两个问题是同一个")
    first, second = state.issues[index], state.issues[other]
    state.issues[index] = replace(
        first, text=f"{first.text}\n{second.text}", measures=[*first.measures, *second.measures],
        sections=[*first.sections, *second.sections], actions=[*first.actions, *second.actions],
        status_evidence=first.status_evidence or second.status_evidence,
        status=first.status if first.status != STATUS_NOT_STATED else second.status,
    )
    del state.issues[other]
    return issue_key(state.issues[index if other > index else index - 1])


def _split(state: _Working, c: CorrectionSpec) -> str:
    index = state.index(c.target)
    issue = state.issues[index]
    at = issue.text.find(c.payload["at"]) if c.payload.get("at") else -1
    if at <= 0:
        raise _Stale("重新解析后该问题的原文中找不到拆分位置，更正未生效，请重新核对")
    head, tail = issue.text[:at].rstrip(), issue.text[at:]

    def belongs(text):  # a measure, section or dated step goes with the part that contains it
        return bool(text) and text[:20] in tail

    second = ParsedIssue(
        category=issue.category, number=str(c.payload.get("number") or ""), title=c.payload["title"], text=tail,
        status=issue.status if belongs(issue.status_evidence) else STATUS_NOT_STATED,
        status_evidence=issue.status_evidence if belongs(issue.status_evidence) else "", order=0,
        measures=[m for m in issue.measures if belongs(m)],
        sections=[s for s in issue.sections if belongs(s.text)],
        actions=[a for a in issue.actions if belongs(a.text)],
    )
    first = replace(
        issue, text=head,
        status=issue.status if not belongs(issue.status_evidence) else STATUS_NOT_STATED,
        status_evidence="" if belongs(issue.status_evidence) else issue.status_evidence,
        measures=[m for m in issue.measures if not belongs(m)],
        sections=[s for s in issue.sections if not belongs(s.text)],
        actions=[a for a in issue.actions if not belongs(a.text)],
    )
    state.issues[index:index + 1] = [first, second]
    return issue_key(second)


_APPLY = {INSTITUTION: _institution, HEADER: _header, ISSUE: _issue, NOT_ISSUE: _not_issue,
          ADD_ISSUE: _add_issue, MERGE: _merge, SPLIT: _split}


# --- one notice, whatever its format ------------------------------------------------
def _norm(text) -> str:
    return title_key(str(text or "")) if text else ""


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PSZC")


def _core(parsed: ParsedNotice) -> list:
    """What the figures are made of: institution, inspection, and each issue's place, title and status."""
    return [
        _norm(parsed.institution), _norm(parsed.inspecting_body), _norm(parsed.inspection_group),
        parsed.feedback_date.isoformat() if parsed.feedback_date else "",
        [[issue.category or "", issue.number, title_key(issue.title), issue.status] for issue in parsed.issues],
    ]


def content_key(parsed: ParsedNotice) -> str:
    """Institution, inspection, date and issue list (each issue's text too) after folding width, spaces, punctuation.

    Two uploads with the same key are the same notice (the .docx of a .txt):
    extraction differences in layout, encoding or numbering style vanish
    here.  Two progress notices of one inspection list the same issues but
    differ in date and in what each issue says, so they never collide.
    """
    return _digest([_core(parsed), parsed.published_date.isoformat() if parsed.published_date else "",
                    [hashlib.sha256(_fold(issue.text).encode()).hexdigest()[:12] for issue in parsed.issues]])


def review_fingerprint(parsed: ParsedNotice) -> str:
    """What a reviewer accepted: institution, inspection, the issue list with statuses, being a notice.

    A re-parse that keeps it may be re-ingested without a new look (better
    measures or dates, say); one that changes it (an issue more or less,
    another status, another inspection) goes back to staff.
    """
    return _digest([_core(parsed), parsed.is_rectification_notice])


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:32]


# --- the stored JSON back into dataclasses ----------------------------------------------
def parsed_from_dict(data: dict) -> ParsedNotice:
    """The inverse of ``ParsedNotice.to_dict()`` (what ``Notice.parse_result`` stores)."""
    data = dict(data or {})
    fields = {f.name for f in dataclasses.fields(ParsedNotice)}
    values = {k: v for k, v in data.items() if k in fields}
    for name in ("inspection_start", "inspection_end", "feedback_date", "published_date", "disclosure_start",
                 "disclosure_end"):
        values[name] = _date(values.get(name))
    values["contacts"] = Contacts(**(values.get("contacts") or {}))
    values["declared"] = DeclaredCounts(**(values.get("declared") or {}))
    values["statistics"] = [Statistic(**s) for s in values.get("statistics") or []]
    values["categories"] = [ParsedCategory(**c) for c in values.get("categories") or []]
    values["immediate_items"] = [ImmediateItem(**i) for i in values.get("immediate_items") or []]
    values["warnings"] = [ParseWarning(**w) for w in values.get("warnings") or []]
    values["outline"] = [_known(OutlineEntry, o) for o in values.get("outline") or []]
    values["issues"] = [_issue_from_dict(i) for i in values.get("issues") or []]
    values.setdefault("parser_version", "")
    return ParsedNotice(**values)


def _issue_from_dict(data: dict) -> ParsedIssue:
    data = dict(data)
    data["sections"] = [IssueSection(**s) for s in data.get("sections") or []]
    data["actions"] = [DatedAction(**{**a, "date": _date(a.get("date"))}) for a in data.get("actions") or []]
    return _known(ParsedIssue, data)


def _known(cls, data: dict):
    """``cls`` from the keys it has: a result stored by an older or newer parser still reads back."""
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})


def _date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)
