"""Inside the text: statuses, measures, labelled sub-parts, dated actions,
declared counts, statistics and immediate-rectification items.

Everything here works on match-view strings and returns offsets or values;
callers slice the display text.

Status rule for a phrase that mixes status words (``classify_status``): decide
by what the sentence says about the issue.  长期坚持 / 需长期坚持 / 长期整改
present as the classification (「已完成整改（长期坚持）」「已完成阶段性目标，需长期
坚持」) → long_term; otherwise 基本完成 / 阶段性成效 / 持续推进 / 正在整改 / 整改中 /
持续整改 (「已基本完成，持续推进」) → in_progress; otherwise plain 已完成 /
已整改到位 / 整改完成 → completed.  A clause promising to keep the result up
(「已完成整改，并将长期坚持」「已完成整改并长期坚持」) is not a classification:
that issue is completed.
"""
from __future__ import annotations

import datetime as dt
import re

from ..result import (
    STATUS_COMPLETED,
    STATUS_IN_PROGRESS,
    STATUS_LONG_TERM,
    STATUS_NOT_STATED,
    DatedAction,
    DeclaredCounts,
    ImmediateItem,
    Statistic,
)
from .dates import DATE_RE, find_dates
from .numerals import to_int

# ------------------------------------------------------------------ status
_LONG_RE = re.compile(
    r"^(?:需要?|属于?|为|系)?(?:长期(?:坚持|整改|推进|落实|任务|性任务|坚持整改|整改任务|持续|坚持并持续推进)?(?:的?(?:任务|事项|问题))?"
    r"|常态化(?:整改|推进|坚持)|久久为功)$"
)
_PROGRESS_RE = re.compile(
    r"^(?:(?:正在|仍在|尚在)(?:持续|积极|加快|全力|有序|稳步|按计划|按序时|按时序)?(?:进度)?(?:整改|推进|落实|进行|实施|解决)(?:中|之中)?"
    r"|(?:持续|正在)?(?:整改|推进|落实|办理)中|持续推进(?:中|整改)?|持续整改(?:中)?|整改推进中|正在整改中"
    r"|(?:已经?)?取得(?:了)?(?:阶段性|初步|明显)(?:成效|成果|进展)|(?:已经?)?阶段性(?:整改)?(?:完成|成效|成果)"
    r"|(?:已经?)?基本(?:完成(?:整改)?|整改完成|整改到位|完成整改|整改)|部分完成|(?:已经?)?完成(?:了)?阶段性(?:整改)?(?:目标任务|任务|目标|工作)|(?:尚未|未|还未|暂未|没有)(?:完成|整改完成|完成整改|整改到位|整改完毕))$"
)
_DONE_RE = re.compile(
    r"^(?:(?:已经?|均已|已全部|全部|已经全部)(?:完成整改(?:任务)?|整改完成|整改完毕|整改到位|完成|整改|销号|整改销号|办结|解决|整改落实|落实整改|落实到位|完成整改销号)"
    r"|完成整改|整改完成|整改完毕|整改到位|全部完成|整改已完成|已整改|已完成|已销号|已立行立改|已办结|已解决|已完结)$"
)
_STATUS_PREFIX_RE = re.compile(
    r"^(?:截至目前|截止目前|截至当前|截至发文时|截至通报时|目前|当前|现在?|至此"
    r"|(?:该|此|本)项(?:问题|工作|任务|整改)?|(?:该|此|本|上述)问题|整改工作|整改任务|整改|问题|并|且|经整改|通过整改|[,、])+"
)
_DATE_IN_RE = re.compile(r"(?:于|在)?(?:" + DATE_RE.pattern + r")(?:前|以前|之前)?")
_LABEL_RE = re.compile(r"^[【\[]?([\u4e00-\u9fff、及和与]{2,14})(?::|】|\])")  # 「整改情况：」「【整改情况】」
_STATUS_LABEL_RE = re.compile(r"(?:状态|完成情况|进展|进度|整改情况|落实情况|整改结果)$")
_YES_NO_LABEL_RE = re.compile(r"^是否(?:已经?)?(?:完成|整改完成|完成整改|整改到位|办结|销号)(?:整改)?$")
_DEADLINE_LABEL_RE = re.compile(r"(?:时限|期限|时间)$")
_PAREN_RE = re.compile(r"[(【\[]([^()【】\[\]]{2,14})[)】\]]")
_SENT_RE = re.compile(r"[^。!?;\n]+")


_STATUS_HINT_RE = re.compile(r"完成|整改|销号|办结|解决|推进|落实|进行|实施|成效|成果|进展|长期|持续|常态|到位|坚持|久久|立行立改|办理")


def classify_status(phrase: str) -> str | None:
    """A short phrase that is nothing but a status → the status, else None.

    A phrase of several status clauses (「已完成整改（长期坚持）」「已完成阶段性
    目标，需长期坚持」「已基本完成，持续推进」) is decided by what it says about
    the issue, see ``_mixed_status``."""
    s = phrase.strip().rstrip("。.!！;；,，").strip("()（）【】[]")
    if len(s) > 48 or not _STATUS_HINT_RE.search(s):
        return None
    single = _single_status(s)
    if single is not None or not _MIXED_SPLIT_RE.search(s):
        return single
    return _mixed_status(s)


_MIXED_SPLIT_RE = re.compile(r"[,，;；、()（）【】\[\]]|(?<=[\u4e00-\u9fff])(?=并)")
# a clause about keeping the result up, not about the issue's state: 「并将长期坚持」「今后将持续巩固」
_ADDED_RE = re.compile(r"^(?:并|且|同时)")
_KEEP_UP_RE = re.compile(r"^(?:并|且|同时|今后|后续|下一步)?(?:将|要|会|还将|仍将|继续)")


def _mixed_status(s: str) -> str | None:
    """Several clauses, each a status (or a promise to keep it up).

    The rule: a clause that classifies the issue as long-term (「长期坚持」
    「需长期坚持」「长期整改」, bare or in brackets) makes it long_term; else a
    clause saying it is under way (基本完成 / 阶段性成效 / 持续推进 / 正在整改 /
    整改中 / 持续整改) makes it in_progress; else completed (已完成 /
    已整改到位 / 整改完成).  A clause that promises to keep the result up
    (「已完成整改，并将长期坚持」, or one added with 并) says nothing about the issue's state and is
    skipped, so that issue is completed.  Any other clause (a measure, a date
    phrase) means the phrase is not a status at all."""
    found = set()
    for clause in _MIXED_SPLIT_RE.split(s):
        clause = clause.strip()
        if not clause:
            continue
        if _ADDED_RE.match(clause) and _STATUS_HINT_RE.search(clause) and len(clause) <= 12:
            continue  # 「并长期坚持」 added to what was done: keeping it up
        st = _single_status(clause)
        if st is None:
            if _KEEP_UP_RE.match(clause) and _STATUS_HINT_RE.search(clause) and len(clause) <= 12:
                continue
            return None
        found.add(st)
    for st in (STATUS_LONG_TERM, STATUS_IN_PROGRESS, STATUS_COMPLETED):
        if st in found:
            return st
    return None


def _single_status(s: str) -> str | None:
    """One clause that is nothing but a status."""
    if "月" in s or "年" in s or "-" in s:
        s = _DATE_IN_RE.sub("", s)
    s = s.replace("了", "").strip()
    # as written first (「整改中」), then without leading subject words (「该问题已整改完成」)
    for candidate in (s, _STATUS_PREFIX_RE.sub("", s)):
        if not candidate or len(candidate) > 16:
            continue
        if _LONG_RE.match(candidate):
            return STATUS_LONG_TERM
        if _PROGRESS_RE.match(candidate):
            return STATUS_IN_PROGRESS
        if _DONE_RE.match(candidate):
            return STATUS_COMPLETED
    return None


def _first_clause(s: str) -> str:
    return re.split(r"[,，]", s, maxsplit=1)[0]


def issue_status(heading: str, body: str) -> tuple[str, str, bool]:
    """(status, evidence, weak) for one issue from what the text says about it.

    ``heading`` is the heading line after its number (title included), ``body``
    the text after it.  Looked at, in order: a status in brackets on the heading
    (「（已完成）」), a status right after a label (「整改落实情况：已完成整改」),
    the first sentence after the title, the last sentence of the issue.  A
    deadline label (「整改时限：长期坚持」) counts only when nothing else does
    (``weak``)."""
    for m in list(_PAREN_RE.finditer(heading)) + [_PAREN_RE.match(body.lstrip())]:
        st = classify_status(m.group(1)) if m else None
        if st:
            return st, m.group(0), False
    sents = [m for m in _SENT_RE.finditer(heading + "\n" + body)]
    if not sents:
        return STATUS_NOT_STATED, "", False
    weak = None
    title_end = len(heading)
    first_body = next((i for i, m in enumerate(sents) if m.start() >= title_end), None)
    # the title sentence's own last clause: 「1.xxx问题，已整改完成。」
    head_sent = sents[0].group(0)
    tail = status_suffix(head_sent)
    if tail:
        return tail[0], head_sent, False
    pending_label = None  # 「整改落实情况：」 alone on its line, the status on the next
    for i, m in enumerate(sents):
        sent = m.group(0).strip()
        lab = _LABEL_RE.match(sent)
        label = lab.group(1) if lab else pending_label
        content = sent[lab.end():].strip() if lab else sent
        pending_label = label if lab and not content else None
        if label and content:
            st = classify_status(content) or classify_status(_first_clause(content))
            if st is None and _STATUS_LABEL_RE.search(label) and content.rstrip("。.") in ("完成", "完结", "办结"):
                st = STATUS_COMPLETED  # 「整改状态：完成」
            if st is None and _YES_NO_LABEL_RE.search(label) and content.rstrip("。.") in ("是", "否"):
                # 「是否完成：是」, a ledger column: 否 means not done yet
                st = STATUS_COMPLETED if content.startswith("是") else STATUS_IN_PROGRESS
            if st is None and not _DEADLINE_LABEL_RE.search(label) and not _ENUMERATED_RE.match(content):
                # 「整改情况：制定计划，每月学习1次，已整改完成」 — but in 「一是修订制度，已完成」
                # the closing clause belongs to the measure 一是, not to the issue
                tail = status_suffix(content)
                st = tail[0] if tail else None
            if st:
                if _DEADLINE_LABEL_RE.search(label):
                    weak = weak or (st, sent)
                    continue
                return st, sent, False
            continue
        if i == first_body:
            st = classify_status(sent) or classify_status(_first_clause(sent))
            if st:
                return st, sent, False
    if first_body is not None:
        last = sents[-1].group(0).strip()
        if len(sents) - 1 != first_body and not _LABEL_RE.match(last):
            st = (classify_status(last) or classify_status(_last_clause_after_prefix(last))
                  or classify_status(_first_clause(last)))
            if st:
                return st, last, False
            # 「…，该项工作需长期坚持。」「人才队伍建设需长期坚持。」: a last clause about the issue
            tail = re.split(r"[,，]", last)[-1].strip()
            st = (classify_status(tail) if _ISSUE_SUBJECT_RE.match(tail) else None) or _subject_status(tail)
            if st:
                return st, tail, False
    if weak:
        return weak[0], weak[1], True
    return STATUS_NOT_STATED, "", False


_ENUMERATED_RE = re.compile(r"^(?:[一二三四五六七八九十]+是|其[一二三四五六七八九十]|\d{1,2}[.、)]|\(\d{1,2}\))")


def _subject_status(clause: str) -> str | None:
    """「人才队伍建设需长期坚持」: a short subject followed by nothing but a status."""
    clause = clause.strip().rstrip("。")
    for k in range(max(2, len(clause) - 12), len(clause) - 1):
        if k > 14:
            break
        rest = clause[k:]
        if re.match(r"^(?:需|需要|仍需|已|正在|目前|均已|基本)", rest):
            st = classify_status(rest)
            if st:
                return st
    return None


_ISSUE_SUBJECT_RE = re.compile(r"^(?:目前|现|截至目前)?(?:该问题|此问题|本问题|上述问题|该项工作|此项工作|该项整改|此项整改|该项|此项|本项|该项问题|此项问题)")


def _last_clause_after_prefix(sent: str) -> str:
    """「目前，该问题已整改完成」: the sentence without leading time words."""
    return re.sub(r"^(?:目前|截至目前|截止目前|现在?|至此)[,，]", "", sent)


def status_suffix(text: str) -> tuple[str, int] | None:
    """(status, where it starts) of the longest run of closing clauses that is a
    status: 「…问题，已基本完成，持续推进」 → in_progress from 已基本完成;
    「…问题，已完成整改，并将长期坚持」 → completed.  At most the last three clauses."""
    parts = re.split(r"([,，]|——|—)", text)
    for i in range(max(2, len(parts) - 5), len(parts), 2):
        st = classify_status("".join(parts[i:]))
        if st:
            return st, len("".join(parts[:i - 1]))
    return None


def title_status_clause(title: str) -> str:
    """Strip a trailing status clause or bracket from a title."""
    title = re.sub(r"[(（【\[][^()（）【】\[\]]{2,14}[)）】\]]$", lambda m: "" if classify_status(m.group(0)[1:-1]) else m.group(0), title)
    tail = status_suffix(title)
    return title[:tail[1]] if tail else title


def status_of_section_title(title: str) -> str | None:
    """「已整改的问题」「正在整改的问题」「需长期坚持的问题(7个)」 → status."""
    if len(title) > 60:
        return None  # a status group's title is short; this also keeps hostile lines linear
    t = re.sub(r"[(（][^)）]{0,30}[)）]$", "", title).strip("。:： ")
    m = re.match(r"^(?:关于)?(.{2,14}?)(?:的)?(?:问题|事项|任务|整改事项|整改任务|整改问题)(?:清单)?(?:及|和)?(?:整改)?(?:情况)?$", t)
    if not m:
        return None
    return classify_status(m.group(1))


# ----------------------------------------------------------------- measures
_MEASURE_RE = re.compile(r"(?:^|(?<=[。;:!?\n,，]))\s*([一二三四五六七八九十]{1,3})是")


def measures(body: str) -> list[tuple[int, int]]:
    """Spans of 一是…二是… in ``body`` (numbered in order from 一)."""
    spans = []
    expected = 1
    starts = []
    for m in _MEASURE_RE.finditer(body):
        if to_int(m.group(1)) == expected:
            starts.append(m.start(1))
            expected += 1
    for i, s in enumerate(starts):
        e = starts[i + 1] if i + 1 < len(starts) else len(body)
        spans.append((s, e))
    return spans


_SECTION_LABEL_RE = re.compile(
    r"(?:^|(?<=[。\n]))\s*[【\[]?([\u4e00-\u9fff、及和与]{2,14}?(?:整改|成效|措施|举措|进展|情况|时限|期限|结果|计划|目标|责任|问题|成果|进度|推进|打算))\s*(?::|】|\])"
)


def sections(body: str) -> list[tuple[int, int, int, int]]:
    """Labelled sub-parts: (label start, label end, content start, content end)."""
    found = list(_SECTION_LABEL_RE.finditer(body))
    out = []
    for i, m in enumerate(found):
        end = found[i + 1].start(1) if i + 1 < len(found) else len(body)
        out.append((m.start(1), m.end(1), m.end(), end))
    return out


_PLAN_BEFORE_RE = re.compile(r"计划|力争|争取|确保|预计|拟|将于|将在|将|预定|目标|要求|务必|限于|期限|时限|截止")
_DUE_AFTER_RE = re.compile(r"\s*(?:前|之前|以前|底前|末前|为止|完成|到位|内完成|全面完成|基本完成)")
_DONE_RE_IN = re.compile(r"已|进行了|(?<!前)完成了|召开了|开展了")
_DEADLINE_LABEL_IN_RE = re.compile(r"(?:整改|完成)?(?:时限|期限)\s*:")
# A date that names a thing rather than when something happened: 「2024年12月习近平总书记致…贺信」,
# 「2023年召开的…会议」, 《…（2024年修订）》
_ATTRIBUTE_AFTER_RE = re.compile(r"\s*(?:习近平|总书记|的|召开的|印发的|出台的|发布的|下发的|制定的|修订的|颁布的|实施的|以来|起施行|版)")
_CLAUSE_END_RE = re.compile(r"[。;\n]")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"《[^《》\n]{0,120}》|“[^“”\n]{0,120}”", text):
        spans.append((m.start(), m.end()))
    return spans


def dated_actions(match: str, display: str, context: dt.date | None, now: dt.date | None = None) -> list[DatedAction]:
    """Dated steps of an issue: an ``action`` done on a date, or a ``deadline`` still ahead.

    ``context`` is the feedback date (a step is not before it), ``now`` the
    day the notice was written.  A deadline is a commitment still ahead then:
    planning words (计划 / 争取 / 力争 / 确保 / 于…前完成 / 3月末完成) with a date after
    ``now``, or a 整改时限 label.  A date before ``now`` with what was done
    (完成 / 已 / 进行了…) is an action; a past plan of unknown outcome is neither.
    Dates inside a quoted title or naming a document (「2024年12月…贺信」) are
    neither, and 今年 / 明年 count from ``now``."""
    out = []
    quoted = _quoted_spans(match)
    for d in find_dates(match, context, floor=context, now=now):
        if d.date is None or any(a <= d.start < b for a, b in quoted):
            continue
        if _ATTRIBUTE_AFTER_RE.match(match, d.end):
            continue
        # the clause holding the date
        lo = max(0, d.start - 300)
        s = max(match.rfind(c, lo, d.start) for c in "。;,\n") + 1 or lo
        end = _CLAUSE_END_RE.search(match, d.end, d.end + 300)
        e = end.start() if end else min(len(match), d.end + 300)
        clause = match[s:e]
        before = match[max(s, d.start - 8):d.start]
        labelled = bool(_DEADLINE_LABEL_IN_RE.search(match[max(0, s - 12):d.start]))
        promised = bool(_PLAN_BEFORE_RE.search(before) or _DUE_AFTER_RE.match(match, d.end)
                        or (d.precision == "period" and "完成" in clause))
        ahead = now is None or d.date > now
        if labelled or (promised and ahead):
            kind = "deadline"
        elif ahead:
            kind = "action"
        elif not (_PLAN_BEFORE_RE.search(before) and not _DONE_RE_IN.search(before + match[d.end:e])):
            kind = "action"
        else:
            continue  # a plan dated before the notice was written: whether it was kept is not said
        lab = _LABEL_RE.match(match[s:e].strip())
        if lab:
            s = match.index(lab.group(0), s) + lab.end()
        out.append(DatedAction(kind=kind, date=d.date, date_text=display[d.start:d.end], text=display[s:e].strip()))
    return out


# -------------------------------------------------------- declared counts
_N = r"(\d{1,4}|[一二两三四五六七八九十百]{1,5})"
_CAT_ISSUES_AFTER_RE = re.compile(
    r"问题(?:共|共计)?\s*" + _N + r"\s*(?:个)?(?:大方面|方面|大类|类)\s*(?:共)?\s*" + _N + r"\s*(?:个|项|条)"
)
_CAT_ISSUES_RE = re.compile(
    _N + r"\s*(?:个)?(?:大方面|方面|大项|大类|类|项|部分|个领域)(?:的|、|共|合计)?(?:共|共计)?\s*" + _N + r"\s*(?:个|项|条)(?:具体|突出)?问题"
)
_ISSUES_RE = re.compile(
    r"(?:反馈|指出|提出|发现|移交|交办|梳理出?)[^。;,]{0,12}?(?:问题|意见)?(?:共|共计|合计)?\s*" + _N + r"\s*(?:个|项|条)(?:具体|突出)?问题(?!已|正在|均|全部)"
    r"|(?:反馈|指出|提出|梳理出?)(?:的)?(?:各类|各项)?问题(?:共|共计)?\s*" + _N + r"\s*(?:个|项|条)"
)
_N_AHEAD = r"(?!(?:整改|了)?\s*(?:\d|[一二两三四五六七八九十百]+\s*(?:个|项|条)))"  # 「15个问题已完成整改11个」: the 11 is the count
_DONE_COUNT_RE = re.compile(
    _N + r"\s*(?:个|项|条)(?:问题|事项|整改任务|任务)?(?:已经?|均已|全部)(?:全部)?(?:整改完成|完成整改|整改到位|完成|整改完毕|整改|销号)" + _N_AHEAD +
    r"|(?:已经?|其中|共|累计)?(?:整改完成|完成整改|整改到位)(?:了)?(?:问题)?\s*" + _N + r"\s*(?:个|项|条)"
    r"|(?:已经?|其中)(?:完成整改|整改完成|完成|整改)(?:了)?(?:问题)?\s*" + _N + r"\s*(?:个|项|条)"
    r"|(?:已完成整改|已整改完成|已经完成整改|已整改到位)的\s*" + _N + r"\s*(?:个|项|条)(?:问题|事项)"
)
# 「巡察反馈问题14个，其中需要向社会公开的9个」: the notice reports on the 9 it discloses
_PUBLIC_ISSUES_RE = re.compile(r"(?:需要?|应当?)?向社会公开(?:的)?(?:问题)?(?:共)?\s*" + _N + r"\s*(?:个|项|条)")
_PROGRESS_COUNT_RE = re.compile(
    _N + r"\s*(?:个|项|条)(?:问题|事项|整改任务|任务)?(?:正在|仍在|尚在)(?:持续|积极|加紧|有序)?(?:整改|推进|落实)(?:中)?"
    r"|(?:正在整改|整改中|持续推进|基本完成|正在推进|阶段性完成|取得阶段性成效|未完成|尚未完成)(?:的)?(?:问题|事项)?\s*" + _N + r"\s*(?:个|项|条)"
    r"|" + _N + r"\s*(?:个|项|条)(?:问题|事项)?(?:基本完成|取得阶段性成效|阶段性完成|未完成|尚未完成)"
    r"|(?:正在整改|持续推进|正在推进|阶段性完成)的\s*" + _N + r"\s*(?:个|项|条)(?:问题|事项)"
    # 「已完成整改16个，其余2个问题按时序推进」
    r"|(?:其余|剩余|另有|还有)\s*" + _N + r"\s*(?:个|项|条)(?:问题|事项)?(?:正在|仍在|尚在|按时序|按计划|按期|持续|有序|加紧)"
)


def _clauses_without(text: str, word: str):
    for m in re.finditer(r"[^。;\n]+", text):
        if word not in m.group(0):
            yield m.group(0)


_CAT_ITEMS_ISSUES_RE = re.compile(
    _N + r"\s*(?:个)?(?:大方面|方面)[、,，]?\s*" + _N + r"\s*(?:个)?(?:大项|项|类)[、,，]?\s*(?:共|共计|合计)?\s*" + _N
    + r"\s*(?:个|项|条)(?:具体|突出)?问题"
)


def declared_counts(text: str) -> DeclaredCounts:
    categories = issues = completed = in_progress = None
    public = _PUBLIC_ISSUES_RE.search(text)
    if public:
        issues = to_int(public.group(1))
    for sent in _clauses_without(text, "立行立改"):
        if issues is None:
            m = _CAT_ITEMS_ISSUES_RE.search(sent)  # 「3个方面、6个大项、24条问题」
            if m:
                categories, issues = to_int(m.group(1)), to_int(m.group(3))
        if issues is None:
            found = [m for m in (_CAT_ISSUES_RE.search(sent), _CAT_ISSUES_AFTER_RE.search(sent)) if m]
            m = min(found, key=lambda x: x.start()) if found else None
            if m:
                categories, issues = to_int(m.group(1)), to_int(m.group(2))
            else:
                m = _ISSUES_RE.search(sent)
                if m:
                    issues = to_int(m.group(1) or m.group(2))
        if completed is None:
            m = _DONE_COUNT_RE.search(sent)
            if m:
                completed = to_int(next(g for g in m.groups() if g))
        if in_progress is None:
            # 「基本完成1个，未完成2个」: every kind of unfinished the sentence counts
            found = [to_int(next(g for g in m.groups() if g)) for m in _PROGRESS_COUNT_RE.finditer(sent)]
            if found and all(v is not None for v in found):
                in_progress = sum(found)
    return DeclaredCounts(categories=categories, issues=issues, completed=completed, in_progress=in_progress)


_STAT_CLAUSE_RE = re.compile(
    r"^(?:截至目前|截止目前|目前|累计|共计|共|其中|已|并|还|同时)*(?P<label>[\u4e00-\u9fff“”]{2,16}?)(?:共|累计)?(?P<v>\d{1,7})\s*"
    r"(?P<u>人次|项|人|条|个|次|件|份|万元|元|家|场|篇|名|期|起|批)$"
)


_NOT_A_STAT_RE = re.compile(r"问题|方面|整改|完成|立行立改|年|月|日|第|其中|每|不少于|至少|超过|以上|以下")


def statistics(match: str, display: str) -> list[Statistic]:
    """Figures the notice reports about its work (制定规章制度29项, 约谈教育干部299人)."""
    out = []
    for sm in re.finditer(r"[^。\n]+", match):
        sent = sm.group(0)
        for cm in re.finditer(r"[^,、;]+", sent):
            clause = cm.group(0).strip()
            m = _STAT_CLAUSE_RE.match(clause)
            if not m or _NOT_A_STAT_RE.search(m.group("label")):
                continue
            label = m.group("label").replace("了", "")
            out.append(Statistic(label=label, value=int(m.group("v")), unit=m.group("u"),
                                 sentence=display[sm.start():sm.end()].strip()))
    return out


# ------------------------------------------------------- immediate items
_QUOTE_RE = re.compile(r"“([^“”]{4,200})”")
_LOOSE_DONE_RE = re.compile(r"(?:已经?|均已|全部)(?:全部)?(?:整改完成|完成整改|完成|整改到位|办结|整改完毕|销号)")
_LOOSE_PROGRESS_RE = re.compile(r"正在(?:整改|推进)|整改中|持续推进|基本完成")


def _loose_status(text: str) -> tuple[str, str]:
    for rx, st in ((_LOOSE_PROGRESS_RE, STATUS_IN_PROGRESS), (_LOOSE_DONE_RE, STATUS_COMPLETED)):
        m = rx.search(text)
        if m:
            return st, m.group(0)
    return STATUS_NOT_STATED, ""


def immediate_from_section(items: list[str], match: str, display: str) -> list[ImmediateItem]:
    """Items of a 立行立改 section: its numbered lines, else its quoted items, else the stated count."""
    out = []
    if items:
        for text in items:
            st, ev = _loose_status(text)
            out.append(ImmediateItem(text=text, status=st, status_evidence=ev))
        return out
    st, ev = _loose_status(match)
    count = None
    m = re.search(_N + r"\s*(?:个|项|件|条)立行立改|立行立改(?:事项|问题)(?:共)?\s*" + _N + r"\s*(?:个|项|件|条)", match)
    if m:
        count = to_int(m.group(1) or m.group(2))
    quotes = [display[q.start(1):q.end(1)] for q in _QUOTE_RE.finditer(match)]
    if quotes and (count is None or count == len(quotes)):
        return [ImmediateItem(text=q, status=st, status_evidence=ev) for q in quotes]
    if count and count < 200:
        text = display.strip()
        return [ImmediateItem(text=text, status=st, status_evidence=ev) for _ in range(count)]
    return out


def immediate_from_text(match: str, display: str) -> list[ImmediateItem]:
    """A sentence such as 「巡察组移交的3个立行立改事项已全部整改完成」 outside a section."""
    for sm in re.finditer(r"[^。\n]+", match):
        sent = sm.group(0)
        if "立行立改" not in sent:
            continue
        m = re.search(_N + r"\s*(?:个|项|件|条)立行立改(?:事项|问题)|立行立改(?:事项|问题)(?:共)?\s*" + _N + r"\s*(?:个|项|件|条)", sent)
        if m:
            count = to_int(m.group(1) or m.group(2))
            if count and count < 200:
                d = display[sm.start():sm.end()].strip()
                st, ev = _loose_status(sent)
                return [ImmediateItem(text=d, status=st, status_evidence=ev) for _ in range(count)]
    return []
