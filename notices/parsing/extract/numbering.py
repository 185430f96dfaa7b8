"""Render Word automatic numbering (numbering.xml) the way Word displays it.

A numbered paragraph carries only ``w:numPr`` (``w:numId`` + ``w:ilvl``),
directly or through its paragraph style.  The number itself comes from:

* ``w:num`` (numId) → ``w:abstractNum`` (+ optional ``w:lvlOverride``/``w:startOverride``);
* the level's ``w:start``, ``w:numFmt`` (decimal, chineseCounting, ideographDigital…),
  ``w:lvlText`` (「%1、」「（%2）」「%1.%2」), ``w:isLgl`` and ``w:lvlRestart``;
* counters kept per abstract definition (lists sharing one continue each
  other, as in Word), a level restarting when a higher level advances.

Paragraphs are fed in document order to ``label_for``, which updates the
counters and returns the text Word shows before the paragraph ("" if none).
"""
from __future__ import annotations

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"


def _chinese_counting(n: int, digits: str = _CN_DIGITS, units: str = "十百千") -> str:
    """1→一, 10→十, 11→十一, 20→二十, 105→一百〇五 (Word's chineseCounting)."""
    if n <= 0:
        return digits[0]
    if n >= 10000:
        return str(n)
    out = []
    places = [(1000, units[2]), (100, units[1]), (10, units[0]), (1, "")]
    zero_pending = False
    for value, unit in places:
        d = n // value % 10
        if d == 0:
            if out:
                zero_pending = True
            continue
        if zero_pending:
            out.append(digits[0])
            zero_pending = False
        if not (value == 10 and d == 1 and not out and digits is _CN_DIGITS):
            out.append(digits[d])
        out.append(unit)
    return "".join(out)


def _roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    vals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
            (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


def _letter(n: int) -> str:
    if n <= 0:
        return str(n)
    n -= 1
    return chr(ord("A") + n % 26) * (n // 26 + 1)


def _cycle(seq: str, n: int) -> str:
    return seq[(n - 1) % len(seq)] if n > 0 else str(n)


def _enclosed(seq: str, n: int) -> str:
    return seq[n - 1] if 1 <= n <= len(seq) else str(n)


def format_number(n: int, fmt: str) -> str:
    """One counter value in a ``w:numFmt`` style."""
    if fmt in ("decimal", "decimalHalfWidth", "ordinal", "cardinalText", "ordinalText", ""):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting", "ideographLegalTraditional"):
        return _chinese_counting(n)
    if fmt == "chineseLegalSimplified":
        return _chinese_counting(n, _CN_LEGAL, "拾佰仟")
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital", "koreanDigital"):
        return "".join(_CN_DIGITS[int(d)] for d in str(n))
    if fmt in ("ideographTraditional", "ideographEnclosedCircle"):
        return _cycle(_TIANGAN, n)
    if fmt == "ideographZodiac":
        return _cycle(_DIZHI, n)
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperLetter":
        return _letter(n)
    if fmt == "lowerLetter":
        return _letter(n).lower()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _enclosed(_CIRCLED, n)
    if fmt == "decimalEnclosedParen":
        return _enclosed(_PAREN, n)
    if fmt == "decimalEnclosedFullstop":
        return _enclosed(_FULLSTOP, n)
    if fmt == "none":
        return ""
    return str(n)


def _val(element, path: str, default=None):
    found = element.find(path)
    if found is None:
        return default
    return found.get(W + "val", default)


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


class _Level:
    __slots__ = ("start", "fmt", "text", "is_lgl", "restart", "suffix", "pstyle")

    def __init__(self, lvl):
        self.start = _int(_val(lvl, W + "start"), 1) if lvl is not None else 1
        self.fmt = _val(lvl, W + "numFmt", "decimal") if lvl is not None else "decimal"
        self.text = _val(lvl, W + "lvlText", None) if lvl is not None else None
        self.is_lgl = lvl is not None and lvl.find(W + "isLgl") is not None and _val(lvl, W + "isLgl", "1") not in ("0", "false")
        restart = _val(lvl, W + "lvlRestart") if lvl is not None else None
        self.restart = _int(restart, -1) if restart is not None else None
        self.suffix = _val(lvl, W + "suff", "tab") if lvl is not None else "tab"
        self.pstyle = _val(lvl, W + "pStyle") if lvl is not None else None


class Numbering:
    def __init__(self, numbering_el, styles_el=None):
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._abstract_links: dict[str, str] = {}  # abstractNumId → numStyleLink style id
        for an in numbering_el.iterchildren(W + "abstractNum"):
            aid = an.get(W + "abstractNumId")
            levels = {}
            for lvl in an.iterchildren(W + "lvl"):
                levels[_int(lvl.get(W + "ilvl"), 0)] = _Level(lvl)
            self._abstract[aid] = levels
            link = _val(an, W + "numStyleLink")
            if link:
                self._abstract_links[aid] = link

        # numId → (abstractNumId, {ilvl: startOverride}, {ilvl: overriding _Level})
        self._nums: dict[str, tuple[str, dict[int, int], dict[int, _Level]]] = {}
        for num in numbering_el.iterchildren(W + "num"):
            nid = num.get(W + "numId")
            aid = _val(num, W + "abstractNumId")
            starts: dict[int, int] = {}
            levels: dict[int, _Level] = {}
            for ov in num.iterchildren(W + "lvlOverride"):
                il = _int(ov.get(W + "ilvl"), 0)
                so = _val(ov, W + "startOverride")
                if so is not None:
                    starts[il] = _int(so, 1)
                lvl = ov.find(W + "lvl")
                if lvl is not None:
                    levels[il] = _Level(lvl)
            self._nums[nid] = (aid, starts, levels)

        # Paragraph styles: id → (numId, ilvl, basedOn)
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        if styles_el is not None:
            for st in styles_el.iterchildren(W + "style"):
                sid = st.get(W + "styleId")
                num_pr = st.find(f"{W}pPr/{W}numPr")
                nid = _val(num_pr, W + "numId") if num_pr is not None else None
                il = _val(num_pr, W + "ilvl") if num_pr is not None else None
                self._styles[sid] = (nid, il, _val(st, W + "basedOn"))

        # Resolve numStyleLink: the abstract's levels live under the style's num.
        for aid, style_id in self._abstract_links.items():
            nid = self._style_num(style_id)[0]
            if nid and nid in self._nums:
                target = self._nums[nid][0]
                if target != aid and self._abstract.get(target):
                    self._abstract[aid] = self._abstract[target]

        self._counters: dict[str, dict[int, int]] = {}
        self._started_nums: set[str] = set()

    def _style_num(self, style_id: str | None) -> tuple[str | None, str | None]:
        seen = set()
        nid = il = None
        while style_id and style_id not in seen:
            seen.add(style_id)
            entry = self._styles.get(style_id)
            if entry is None:
                break
            s_nid, s_il, based = entry
            if nid is None and s_nid is not None:
                nid = s_nid
            if il is None and s_il is not None:
                il = s_il
            if nid is not None and il is not None:
                break
            style_id = based
        return nid, il

    def label_for(self, p) -> str:
        ppr = p.find(W + "pPr")
        nid = il = None
        style_id = None
        if ppr is not None:
            num_pr = ppr.find(W + "numPr")
            if num_pr is not None:
                nid = _val(num_pr, W + "numId")
                il = _val(num_pr, W + "ilvl")
            style_id = _val(ppr, W + "pStyle")
        from_style = False
        if nid is None and style_id:
            nid, s_il = self._style_num(style_id)
            il = il if il is not None else s_il
            from_style = nid is not None
        if nid is None or nid == "0" or nid not in self._nums:
            return ""
        aid, start_overrides, level_overrides = self._nums[nid]
        levels = self._abstract.get(aid)
        if not levels:
            return ""
        if il is None and from_style:
            # A style-linked list: the level is the one naming this style.
            il = next((str(k) for k, lv in levels.items() if lv.pstyle == style_id), "0")
        ilvl = _int(il, 0)

        def level(k: int) -> _Level:
            return level_overrides.get(k) or levels.get(k) or _Level(None)

        counters = self._counters.setdefault(aid, {})
        if nid not in self._started_nums:
            # The first paragraph of a num with startOverride restarts those levels.
            self._started_nums.add(nid)
            for k, start in start_overrides.items():
                counters[k] = start - 1
        def start_of(k: int) -> int:
            return start_overrides.get(k, level(k).start)

        lv = level(ilvl)
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else start_of(ilvl)
        # Deeper levels restart when this one advances (unless lvlRestart says otherwise).
        for k in [k for k in counters if k > ilvl]:
            restart = level(k).restart
            if restart is None or (restart > 0 and ilvl < restart):
                del counters[k]

        if lv.text is None:
            return ""
        label = lv.text
        if "%" in label:
            for k in range(8, -1, -1):
                token = f"%{k + 1}"
                if token in label:
                    value = counters.get(k, start_of(k))
                    fmt = "decimal" if lv.is_lgl else level(k).fmt
                    label = label.replace(token, format_number(value, fmt))
        if lv.fmt == "bullet":
            label = "•" if not label or "\ue000" <= label[0] <= "\uf8ff" else label
        if not label:
            return ""
        return label + _suffix(label, lv.suffix)


def _suffix(label: str, suffix: str) -> str:
    if suffix == "nothing":
        return ""
    if suffix == "space":
        return " "
    # Word's default is a tab.  After 「一、」「1.」「（一）」 the text follows
    # directly in print, so keep it glued; otherwise a space keeps words apart.
    return "" if label[-1] in "、.．)）:：]】」" else " "
