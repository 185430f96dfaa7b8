"""Noise cleanup: text as extracted → logical lines, in two aligned views.

``display`` lines keep the notice's own characters (what we return to users);
``match`` lines are the same length, character for character, with full-width
ASCII folded to half-width (``（一）`` → ``(一)``, ``１２`` → ``12``, ``：`` →
``:``) and traditional characters folded to simplified when the text has any.
Every regex in the parser runs on ``match``; every string it returns is sliced
from ``display`` at the same offsets.

What is removed or repaired before that:
- ``[bookmark: …]`` marks, markdown ``**bold**`` and ``#`` heading marks;
- page numbers (``- 3 -``, ``第3页 共9页``) and running page headers (a copy of
  one of the first lines, repeated later);
- spaces inside Chinese text (「中共辽阳市 中心医院 委员会」, 「29 项」);
- lines broken mid-sentence or mid-word by PDF conversion (joined again);
- table rows (markdown pipes or tabs) become running-text lines, with rows whose
  cells span several lines put back together first;
- a paragraph listing several issues inline (「（一）关于…方面。1.…。整改情况：…；
  2.…」) is cut into one line per issue.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .dates import is_date_only
from .numerals import to_int

# ---------------------------------------------------------------- 1:1 folding
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}  # full-width ASCII → ASCII
_FOLD.update({ord("　"): " ", ord("〔"): "(", ord("〕"): ")", ord("﹙"): "(", ord("﹚"): ")",
              ord("﹒"): ".", ord("︰"): ":", ord("﹕"): ":", ord("∶"): ":", ord("﹐"): ",",
              ord("﹔"): ";", ord("―"): "—", ord("－"): "-", ord("｡"): "。"})
FOLD_TABLE = {k: (chr(v) if isinstance(v, int) else v) for k, v in _FOLD.items()}
_FOLD_CHARS = frozenset(chr(k) for k in FOLD_TABLE)


def fold(text: str) -> str:
    """Full-width → half-width, 1:1.  (A few ``str.replace`` calls beat ``str.translate``.)"""
    for c in _FOLD_CHARS.intersection(text):
        text = text.replace(c, FOLD_TABLE[ord(c)])
    return text

_INVISIBLE_RE = re.compile("[\ufeff\u200b\u200c\u200d\u2060\u00ad\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKUP_RE = re.compile(r"\[bookmark:[^\]\n]{0,80}\]|\*\*|^[ \t]*#{1,6}[ \t]+|^[ \t]*>[ \t]?", re.M)
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’《》〈〉【】…—"
# Each alternative starts only at the start of a run of spaces: a run not followed by CJK
# would otherwise be re-scanned from every position in it (quadratic: 20 000 spaces took 7 s).
_INNER_SPACE_RE = re.compile(rf"(?<=[{_CJK}])[ \t]+|(?<![ \t])[ \t]+(?=[{_CJK}])")
_PAGE_RE = re.compile(
    r"^[-—–_·•\s]*(?:第\s*)?\d{1,3}\s*页?\s*(?:(?:/|共)\s*\d{1,3}\s*页?)?[-—–_·•\s]*$"
    r"|^[-—–_\s]*[Pp]age\s*\d{1,3}(?:\s*of\s*\d{1,3})?\s*$"
)

# ------------------------------------------------------- structure of a line
# (on the match view)
L1_RE = re.compile(r"^([一二三四五六七八九十]{1,3})\s*[、.](?![\d一二三四五六七八九十])")
L2_RE = re.compile(r"^\(([一二三四五六七八九十]{1,3})\)\s*[、.]?")
L3_RE = re.compile(r"^(\d{1,4})\s*(?:[.、](?![\dA-Za-z%])|\)(?=\s*[^\d\s]))")
L4_RE = re.compile(r"^\((\d{1,4})\)\s*[、.]?")
L5_RE = re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])")
Q_RE = re.compile(r"^(?:【|\[)?(?:反馈)?(?:问题|第)([一二三四五六七八九十\d]{1,3})(?:个问题)?\s*(?:[:、.]|】|\])")
# 「第一类问题：…」「第二方面：…」: a category heading numbered in words
C_RE = re.compile(r"^(?:【|\[)?第([一二三四五六七八九十]{1,3})(?:类|大类|方面)(?:问题)?\s*(?:[:、.]|】|\]|\s)\s*(?=\S)")
# 「第二部分 问题整改情况」: a top-level section numbered as a part
PART_RE = re.compile(r"^第([一二三四五六七八九十]{1,3})部分\s*[:、.]?\s*(?=\S)")
MEASURE_START_RE = re.compile(r"^(?:[一二三四五六七八九十]+是|其[一二三四五六七八九十]|第[一二三四五六七八九十]+[,，])")
LABEL_START_RE = re.compile(r"^[【\[]?[\u4e00-\u9fff]{2,12}(?::|】|\])")
CLOSING_START_RE = re.compile(
    r"^(?:欢迎|如有意见|如对|联系(?:电话|方式|人|地址)|举报电话|监督电话|公开期限|公示期|公开时间|"
    r"电子邮箱|电子信箱|邮箱|邮政|通讯地址|通信地址|来信|特此通报|特此公告)"
)
SIGNATURE_RE = re.compile(r"^(?:中共|中国共产党)?[\u4e00-\u9fff]{2,30}(?:\([\u4e00-\u9fff]{2,24}\))?(?:委员会|党委|党总支|总支部?|支部|党组)(?:文件)?$")

_HEADING_END_RE = re.compile(r"(?:通报|公告|公示|报告|情况|方面|问题|事项|计划|打算|举措|措施|安排|工作|文件|委员会|党委|党组)$")
_TERMINAL_IN_RE = re.compile(r"[。！？；!?;]")
_TERMINAL = set("。！？；:!?;…")
_CLOSERS = "”’\"')）】]》"


def marker_of(match_line: str):
    """(kind, number text, end offset of the marker) or None."""
    for kind, rx in (("L2", L2_RE), ("L4", L4_RE), ("L1", L1_RE), ("L1", PART_RE), ("L3", L3_RE), ("L5", L5_RE), ("C", C_RE), ("Q", Q_RE)):
        m = rx.match(match_line)
        if m:
            return kind, m.group(1), m.end()
    return None


def ends_terminal(match_line: str) -> bool:
    s = match_line.rstrip(_CLOSERS + " ")
    return bool(s) and s[-1] in _TERMINAL


_BRACKET_LINE_RE = re.compile(r"^[【\[][^】\]]{2,40}[】\]]$")


def _starts_block(match_line: str) -> bool:
    return bool(
        match_line.startswith(TABLE_ROW)
        or _BRACKET_LINE_RE.match(match_line)
        or marker_of(match_line)
        or MEASURE_START_RE.match(match_line)
        or LABEL_START_RE.match(match_line)
        or CLOSING_START_RE.match(match_line)
        or SIGNATURE_RE.match(match_line)
        or is_date_only(match_line)
    )


# ------------------------------------------------------------ traditional
@lru_cache(maxsize=1)
def _t2s():
    try:
        from opencc import OpenCC
    except Exception:  # pragma: no cover - opencc is pinned, but parse anyway without it
        return None
    return OpenCC("t2s").convert


@lru_cache(maxsize=1)
def _traditional_re():
    """Characters that only traditional text uses (those t2s changes on their own)."""
    convert = _t2s()
    if convert is None:
        return None
    chars = "".join(chr(c) for c in range(0x4E00, 0xA000))
    folded = convert(chars)
    if len(folded) != len(chars):  # pragma: no cover
        return None
    # keep characters that simplified notices use themselves (著, 乾, 於 as surname…)
    trad = [a for a, b in zip(chars, folded) if a != b and a not in "著乾於餘甦藉瞭麼傢"]
    return re.compile("[" + "".join(trad) + "]")


def fold_traditional(text: str) -> str:
    """t2s when the text has a noticeable share of traditional-only characters."""
    rx = _traditional_re()
    if rx is None:
        return text
    hits = 0
    for _ in rx.finditer(text):
        hits += 1
        if hits >= 3:
            break
    if hits < 3 and not (hits and len(text) < 200):
        return text
    return _t2s()(text)


# --------------------------------------------------------------- documents
@dataclass
class Document:
    display: list[str]  # logical lines as the notice prints them
    match: list[str]  # same lengths, folded for matching
    table_rows: frozenset[int] = frozenset()  # indexes of lines that were rows of a table

    @property
    def match_text(self) -> str:
        return "\n".join(self.match)

    @property
    def display_text(self) -> str:
        return "\n".join(self.display)


# ------------------------------------------------------------------ tables
# Put before a line made from a table row, and taken off again (with the fact
# kept in ``Document.table_rows``) once lines are joined: a row never joins
# its neighbours, and the outline can tell a status table from the issue list.
TABLE_ROW = "\ue000"
_SEPARATOR_CELL_RE = re.compile(r"^:?-{2,}:?$")
# tables are read before traditional characters are folded: both spellings
_HEADER_WORD_RE = re.compile(r"序[号號]|[编編][号號]|[问問][题題]|措施|情[况況]|[进進]展|[进進]度|[时時]限|期限|[责責]任|成效|[状狀]态|[状狀]態|[结結]果|[备備][注註]|[类類]别|[类類]別|方面")
_NUMBER_CELL_RE = re.compile(r"^(?:(\d{1,3})[.、．]?|([（(][一二三四五六七八九十]{1,3}[)）])|([一二三四五六七八九十]{1,3})[、.]?)$")


def _cells(line: str) -> list[str] | None:
    """The cells of a table row: 「| a | b |」 (markdown) or tab-separated (Word, web pages).

    A tab row keeps its empty cells (a leading tab is an empty number cell)."""
    s = line.strip()
    if len(s) > 2 and s.startswith("|") and s.endswith("|"):
        return [c.strip() for c in s[1:-1].split("|")]
    if "\t" in s:
        cells = [c.strip() for c in line.strip(" \n").split("\t")]
        if sum(1 for c in cells if c) >= 2:
            return cells
    return None


_NUMBERED_CELL_RE = re.compile(r"^(\d{1,3}[.、．]|[（(][一二三四五六七八九十]{1,3}[)）])\s*(\S.*)$")


def _labelled(header: list[str] | None, k: int, c: str) -> str:
    label = header[k] if header and k < len(header) and header[k] and not _NUMBER_CELL_RE.match(header[k]) else ""
    return f"{label}：{c}。" if label else f"{c}。"


def _table_row(cells: list[str], header: list[str] | None) -> str:
    """One row as a line the parser reads like running text: 「1.问题。整改措施：…。整改进展：已完成整改。」"""
    filled = [(k, c.rstrip("。；;")) for k, c in enumerate(cells) if c]
    if not filled:
        return ""
    k0, first = filled[0]
    m = _NUMBER_CELL_RE.match(first)
    lead = None if m else _NUMBERED_CELL_RE.match(first)
    if lead and len(filled) > 1:
        # 「1.学习不深入」: the number and the problem in one cell
        return lead.group(1) + "".join(
            [lead.group(2) + "。"] + [_labelled(header, k, c) for k, c in filled[1:]])
    if not m or len(filled) == 1:
        return "，".join(c for _, c in filled)
    marker = f"{m.group(1)}." if m.group(1) else (m.group(2) or f"（{m.group(3)}）")
    rest = filled[1:]
    parts = [rest[0][1] + ("。" if len(rest) > 1 else "")]
    for k, c in rest[1:]:
        label = header[k] if header and k < len(header) and header[k] and not _NUMBER_CELL_RE.match(header[k]) else ""
        parts.append(f"{label}：{c}。" if label else f"{c}。")
    return marker + "".join(parts)


def _numbered(cells: list[str]) -> bool:
    return bool(cells) and bool(_NUMBER_CELL_RE.match(cells[0]))


def _untable(lines: list[str]) -> list[str]:
    """Table rows → running-text lines, putting back rows whose cells span several lines:
    a continuation row with an empty number cell (「|  | …续 | … |」, a Word row wrapped),
    and a tab row cut by line breaks inside its cells (fewer cells than the header)."""
    out: list[str] = []
    header: list[str] | None = None
    pending: list[str] | None = None  # the row being put together
    pending_tabs = False

    def flush() -> None:
        nonlocal pending
        if pending is not None:
            row = _table_row(pending, header)
            if row:
                out.append(TABLE_ROW + row)
        pending = None

    for line in lines:
        cells = _cells(line)
        incomplete = pending is not None and pending_tabs and header is not None and len(pending) < len(header)
        if incomplete and line.strip() and not (cells and _numbered(cells)):
            if cells is None and not marker_of(fold(line.strip())):
                pending[-1] += line.strip()  # a line break inside the row's last cell
                continue
            if cells is not None and "\t" in line:
                pending[-1] += cells[0]
                pending.extend(cells[1:])
                continue
        if cells is None:
            flush()
            header = None
            out.append(line)
            continue
        if all(_SEPARATOR_CELL_RE.match(c) for c in cells if c):
            continue
        words = [c for c in cells if c]
        if all(len(c) <= 10 and not re.search(r"\d", c) for c in words) and sum(1 for c in words if _HEADER_WORD_RE.search(c)) >= 2:
            flush()
            header = cells
            continue
        if pending is not None and not cells[0] and _numbered(pending):
            # a continuation row: each cell goes on with the cell above it
            for k, c in enumerate(cells):
                if c and k < len(pending):
                    pending[k] += c
                elif c:
                    pending.append(c)
            continue
        flush()
        pending, pending_tabs = list(cells), "\t" in line and not line.strip().startswith("|")
    flush()
    return out


# Some websites print the pinyin of a character after it: 「根據(jù)」「現(xiàn)將」.  A gloss has a
# tone-marked vowel; it is dropped so the words read (and match) as printed on paper.
_PINYIN_GLOSS_RE = re.compile(
    r"(?<=[\u3400-\u9fff])[(（][a-zü]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]{0,5}[)）]"
)


def _raw_lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE_RE.sub("", text)
    if "(" in text or "（" in text:
        text = _PINYIN_GLOSS_RE.sub("", text)
    text = text.replace("\u00a0", " ").replace("\u3000", " ")
    text = _MARKUP_RE.sub("", text)
    lines = []
    raw = text.split("\n")
    if "|" in text or "\t" in text:
        raw = _untable(raw)
    for line in raw:
        line = line.replace("\t", " ").strip().lstrip("•·●◆■▪").strip()
        if " " in line:
            line = _INNER_SPACE_RE.sub("", line)
        if line and (len(line) > 24 or not _PAGE_RE.match(line)):
            lines.append(line)
    return lines


# A saved web page's own furniture: links to other articles, print/close buttons, pagination.
_WEB_FURNITURE_RE = re.compile(
    r"^(?:上一篇|下一篇|上一条|下一条|相关链接|相关阅读|【?相关链接】?|分享到|扫一扫|打印本页|关闭窗口)"
    r"|^(?:【[^】]{2,6}】\s*){2,}$|^共\s*\d+\s*页.*(?:下一页|尾页)|^(?:首页|上一页|下一页|尾页)(?:\s+(?:首页|上一页|下一页|尾页|\d+))+$"
)


def _drop_running_headers(lines: list[str]) -> list[str]:
    head = {ln for ln in lines[:3] if len(ln) <= 40}
    if not head:
        return lines
    return lines[:3] + [ln for ln in lines[3:] if ln not in head]


def _wrap_width(match_lines: list[str]) -> int | None:
    """The line width of a hard-wrapped text (every line cut at ~N characters), else None."""
    lengths = [len(s) for s in match_lines if len(s) >= 15]
    if len(lengths) < 12:
        return None
    lengths.sort()
    width = lengths[int(len(lengths) * 0.9)]
    if width > 70:
        return None
    near = sum(1 for n in lengths if width - 3 <= n <= width + 1)
    return width if near >= 0.4 * len(lengths) else None


_CONTACT_LABEL_END_RE = re.compile(r"(?:电话|手机|热线|传真|邮箱|信箱|邮件|地址|联系方式)\s*:\s*$")


def _should_join(prev: str, nxt: str, wrap: int | None) -> bool:
    """Was ``nxt`` cut off ``prev`` by the conversion?  (both match view)"""
    if not prev.strip() or not nxt:
        return False
    if nxt.startswith(TABLE_ROW) or prev.startswith(TABLE_ROW) or _BRACKET_LINE_RE.match(prev.strip()):
        return False
    mk = marker_of(prev)
    if mk and not prev[mk[2]:].strip() and not marker_of(nxt):
        return True  # 「1.」 alone on its line (a list number split from its text)
    if nxt[0] in ",，。、;；:：)）”’!！?？":
        return True  # no line starts with a comma or a closing mark
    if _CONTACT_LABEL_END_RE.search(prev) and re.match(r"[\d(A-Za-z]", nxt):
        return True  # 「联系电话：」 at a line end, the number on the next line
    if ends_terminal(prev):
        return False
    if wrap and len(prev) >= wrap - 3 and not marker_of(nxt) and not is_date_only(nxt):
        return True  # a full line of a hard-wrapped text: even 「信箱：」 on the next line continues it
    if _starts_block(nxt):
        return False
    last = prev.rstrip()[-1]
    if last in ",、(“《—-":
        return True  # a sentence cannot end on a comma or an opening mark
    if marker_of(prev):
        # a heading: only a long heading-plus-body line, or a short tail of a cut heading
        if len(prev) >= 60 and "。" in prev:
            return True
        if _HEADING_END_RE.search(prev):
            return False
        if len(nxt) <= 30 and _HEADING_END_RE.search(nxt) and not _TERMINAL_IN_RE.search(nxt):
            return True  # 「（一）关于贯彻落实党中央决策部署」+「和省委工作要求的问题」
        return len(nxt) <= 20 and ends_terminal(nxt) and not any(c in _TERMINAL for c in nxt.rstrip(_CLOSERS)[:-1])
    if _HEADING_END_RE.search(prev):
        return False  # a title or heading without a marker
    if len(prev) >= 30:
        return True  # a paragraph line cut at a page break
    return len(nxt) <= 20 and ends_terminal(nxt) and len(prev) >= 12 and not SIGNATURE_RE.match(prev)


def normalize(text: str) -> Document:
    lines = _drop_running_headers([ln for ln in _raw_lines(text) if not _WEB_FURNITURE_RE.search(ln)])
    joined = fold("\n".join(lines))
    folded = joined.split("\n")
    simplified = fold_traditional(joined)
    if simplified is not joined:
        parts = simplified.split("\n")
        if len(parts) == len(folded) and all(len(a) == len(b) for a, b in zip(parts, folded)):
            folded = parts
        else:  # a conversion that changed lengths: give up the original characters
            lines = folded = [p for p in parts if p]
    wrap = _wrap_width(folded)
    # Parts are collected and joined once, and the joiner sees only the two ends of
    # the line so far: a long text without a full stop must not cost quadratic time.
    disp: list[list[str]] = []
    match: list[list[str]] = []
    view = ""
    for d, m in zip(lines, folded):
        if match and _should_join(view, m, wrap):
            disp[-1].append(d)
            match[-1].append(m)
            view = _ends(view + m)
        else:
            disp.append([d])
            match.append([m])
            view = _ends(m)
    return _split_inline_issues(["".join(p) for p in disp], ["".join(p) for p in match])


# ------------------------------------------------- issues inline in a paragraph
_INLINE_NUM_RES = (
    re.compile(r"(?:(?<=[。;:])|^)\s*(\d{1,2})\s*[.、](?![\d%A-Za-z])"),  # 1. 1、
    re.compile(r"(?:(?<=[。;:])|^)\s*\(([一二三四五六七八九十]{1,3})\)"),  # （一）
    re.compile(r"(?:(?<=[。;:])|^)\s*\((\d{1,2})\)"),  # （1）
)
_INLINE_LABEL_RE = re.compile(
    r"(?:整改|落实|完成)(?:落实|完成|推进)?(?:情况|措施|结果|成效|进展|进度|状态)(?:及成效)?\s*(?::|】|\])"
)
_INLINE_CUE_RE = re.compile(r"[。;:]\s*(?:\d{1,2}\s*[.、]|\((?:\d{1,2}|[一二三四五六七八九十]{1,3})\)|[一二三四五六七八九十]{1,3}是)")


def _split_inline_issues(disp: list[str], match: list[str]) -> Document:
    """「（一）关于…方面。1.…问题。整改情况：…；2.…问题。整改情况：…」 → one line per issue.

    A paragraph is cut before each inline number only when the numbers run on
    (1, 2, 3…) and every part carries its own 整改情况-style label, so an inline
    list of measures (「整改措施：1.…；2.…」) stays where it is."""
    out_d: list[str] = []
    out_m: list[str] = []
    rows: set[int] = set()
    for d, m in zip(disp, match):
        if m.startswith(TABLE_ROW):
            d, m = d[1:], m[1:]
            rows.add(len(out_m))
        cuts = _inline_cuts(m) if len(m) > 20 and _INLINE_CUE_RE.search(m) else None
        if not cuts:
            out_d.append(d)
            out_m.append(m)
            continue
        bounds = ([0] if cuts[0] > 0 else []) + cuts + [len(m)]
        for a, b in zip(bounds, bounds[1:]):
            if m[a:b].strip():
                out_d.append(d[a:b].strip())
                out_m.append(m[a:b].strip())
    return Document(out_d, out_m, frozenset(rows))


def _ends_with_status(part: str) -> bool:
    """「1.学习不深入问题，已整改完成；」: an inline item whose last clause is its status."""
    from .details import status_suffix  # details does not import this module

    part = part.rstrip("。;；.  ")
    bracket = re.search(r"\(([^()]{2,14})\)$", part)
    if bracket:
        from .details import classify_status

        if classify_status(bracket.group(1)):
            return True
    return status_suffix(part) is not None


def _inline_cuts(m: str) -> list[int] | None:
    for rx in _INLINE_NUM_RES:
        cuts = _inline_cuts_by(m, rx)
        if cuts:
            return cuts
    return _inline_word_items(m) if "是" in m else None


_WORD_ITEM_RE = re.compile(r"(?:(?<=[。;:])|^)\s*([一二三四五六七八九十]{1,3})是")
_PROBLEM_LABEL_HEAD_RE = re.compile(r"^(?:[\u4e00-\u9fff]{0,8}问题|存在的?(?:主要)?问题|主要问题)\s*:\s*$")


def _inline_word_items(m: str) -> list[int] | None:
    """「巡察反馈问题：一是A不到位（已完成整改）；二是B不规范（正在整改）。」 → one line per problem.

    Only when every item carries its own status, or the line is labelled as the
    problems and every item names a shortcoming: 「整改措施：一是…二是…」 stays whole."""
    from .wording import strong_shortcoming  # wording reads details, which reads this module lazily

    found = list(_WORD_ITEM_RE.finditer(m))
    if len(found) < 2:
        return None
    nums = [to_int(x.group(1)) or 0 for x in found]
    if nums[0] != 1 or any(b != a + 1 for a, b in zip(nums, nums[1:])):
        return None
    starts = [x.end() - len(x.group(0).lstrip()) for x in found]
    head = m[:starts[0]]
    if head.strip() and not _PROBLEM_LABEL_HEAD_RE.match(head.strip()):
        return None
    parts = [m[a:b] for a, b in zip(starts, starts[1:] + [len(m)])]
    with_status = all(_ends_with_status(x) for x in parts)
    findings = head.strip() and all(strong_shortcoming(x.split("。")[0]) for x in parts)
    if not (with_status or findings):
        return None
    return starts if starts[0] > 0 else starts[1:]


def _inline_cuts_by(m: str, rx: re.Pattern) -> list[int] | None:
    found = list(rx.finditer(m))
    if not found:
        return None
    nums = [to_int(x.group(1)) or 0 for x in found]
    if any(b != a + 1 for a, b in zip(nums, nums[1:])):
        return None
    starts = [x.end() - len(x.group(0).lstrip()) for x in found]
    head = marker_of(m)
    if starts[0] == 0:
        if len(starts) < 2:
            return None
    else:
        # a category heading before the first issue: 「（一）关于…方面。」, short and unlabelled
        if not head or head[0] not in ("L1", "L2") or starts[0] > 60 or _INLINE_LABEL_RE.search(m, 0, starts[0]):
            return None
    ends = starts[1:] + [len(m)]
    if not all(_INLINE_LABEL_RE.search(m, a, b) or _ends_with_status(m[a:b]) for a, b in zip(starts, ends)):
        return None
    return starts if starts[0] > 0 else starts[1:]


def _ends(s: str) -> str:
    """The first and last 100 characters: all ``_should_join`` looks at."""
    return s if len(s) <= 200 else s[:100] + s[-100:]
