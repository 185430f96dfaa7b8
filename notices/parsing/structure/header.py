"""Header fields: institution, inspecting body, round, group, dates, contacts.

All functions take match-view text (see ``normalize``) and, where they return
the notice's own wording, the display text at the same offsets.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter

from ..result import Contacts
from .dates import DATE_RE, find_dates, find_range, is_date_only

_NUM = "一二三四五六七八九十\\d"
_BODY = r"(?:中央|省委|自治区党委|市委|州委|盟委|地委|县委|区委|旗委)"
# what a group may be called between its number and 巡察组: 提级交叉, 专项, 机动…
_GROUP_KIND = r"(?:提级交叉|交叉|专项|机动|联动|提级)?"

_SPLIT_SENT_RE = re.compile(r"[^。!?;\n]*[。!?;\n]?")

ROUND_RE = re.compile(rf"[{_NUM}]{{1,3}}届{_BODY}?第[{_NUM}]{{1,3}}轮|{_BODY}第[{_NUM}]{{1,3}}轮(?=巡)")
GROUP_RE = re.compile(
    rf"(?:{_BODY}(?:第[{_NUM}]{{1,3}}轮)?)?(?:第[{_NUM}]{{1,3}}{_GROUP_KIND}巡[察视]组|巡[察视]第?[{_NUM}]{{1,3}}组)"
)
BODY_RE = re.compile(
    rf"(?P<a>{_BODY})(?:第[{_NUM}]{{1,3}}轮)?(?:巡[察视]工作)?(?:领导小组)?(?:的)?(?:统一部署|统一安排|部署安排|第[{_NUM}]{{1,3}}{_GROUP_KIND}巡[察视]组|{_GROUP_KIND}巡[察视]组|巡[察视]办)"
    rf"|根据(?:[{_NUM}]{{1,3}}届)?(?P<b>{_BODY})"
)
BODY_FALLBACK_RE = re.compile(r"根据(?P<c>[\u4e00-\u9fff]{2,12}?(?:党委|党组))(?:的)?(?:统一部署|巡[察视])")

ORG_SUFFIX = r"(?:总支部?委员会|支部委员会|委员会|党委|党总支|总支|党支部|党组织|党组)"
# a name may carry a second name in brackets: 某某市第一人民医院（某某大学附属医院）,
# or a short name that is dropped later: 某某市人民医院（以下简称市医院）
_NAME = r"[\u4e00-\u9fff]{2,30}?(?:\([\u4e00-\u9fff]{2,24}\))?"
ORG_RE = re.compile(rf"(?:中共|中国共产党)(?P<n>{_NAME}){ORG_SUFFIX}")
TITLE_ORG_RE = re.compile(rf"^(?:中共|中国共产党)?(?P<n>{_NAME}){ORG_SUFFIX}?关于")
INTRO_ORG_RE = re.compile(
    rf"(?:对|向)(?P<n>{_NAME})(?:党委|党总支|党支部|党组|领导班子|党组织)?(?:开展|进行|实施)(?:了)?"
    r"[\u4e00-\u9fff]{0,6}?巡[察视]"
)
_SHORT_NAME_RE = re.compile(r"\((?:以下简称|以下称|下称|简称)[^()]*\)$")
_INSTITUTION_END = re.compile(r"(?:院|中心|所|站|局|委|办|校|学|公司|集团|馆|部|会|联|处|厅|社|署|园|队|场|台|厂|行|团|室)$")
# 「中共临溪市委」「中共江岳省委」: the committee of a region; the inspected body is the region itself
_REGION_COMMITTEE_RE = re.compile(r"^(?P<r>[\u4e00-\u9fff]{2,10}?[省市县区州旗盟])(?:委|委员会)?$")
_GENERIC = {"我院", "本院", "医院", "院", "该院", "中心", "我中心", "本单位", "我单位", "单位", "我局"}
_ADMIN = "省市县区旗州盟"
_PLACE_RE = re.compile(rf"[\u4e00-\u9fff]{{2,5}}?[{_ADMIN}]")

PHONE_RE = re.compile(r"(?<![\d.-])(?:\(0\d{2,3}\)\s*|0\d{2,3}[-—\s]?)?[1-9]\d{6,7}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)"
                      r"|(?<![\d.-])123\d{2}(?![\d年月日号])")  # 12388 and other national hotlines
EMAIL_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+")
ADDRESS_RE = re.compile(
    r"(?:邮政地址|通信地址|通讯地址|邮寄地址|来信地址|联系地址|信件地址|邮政信箱|来信请寄|地址)\s*[:为]?\s*(?P<a>[^;。\n]{4,80})"
)
PHONE_LABEL_RE = re.compile(r"电话|联系方式|热线|手机|座机|传真")
DISCLOSURE_RE = re.compile(
    r"(?:公开期限|公示期限|公开时间|公示时间|公示期|公开期|受理时间|反映时间|意见反馈时间|征求意见时间)"
    r"\s*[:为]?\s*(?P<t>[^。;\n]{0,80})"
)
# 「如有意见建议，请在2025年9月24日至10月8日期间向我们反映」: a window given only inside the
# invitation to comment; a range there is the disclosure window (never the inspection's dates,
# which sit in sentences about the group, not about comments).
_INVITATION_RE = re.compile(r"反映|意见|建议|监督|来信|来电|来访")
_NOT_INVITATION_RE = re.compile(r"巡[察视]组|进驻|反馈了|开展了")


def sentences(text: str):
    """(start, end) of each sentence in ``text`` (split at 。!?; and line ends)."""
    for m in _SPLIT_SENT_RE.finditer(text):
        if m.end() > m.start():
            yield m.start(), m.end()


# ---------------------------------------------------------------- institution
def _clean_name(name: str, *, committee: bool = False) -> str | None:
    """The inspected body's name from a mention; ``committee``: it came from 「中共…委(员会)」."""
    name = _SHORT_NAME_RE.sub("", name)
    name = re.sub(r"^(?:中共|中国共产党)", "", name)
    name = re.sub(r"(?:党委|党总支|总支|党支部|党组织|党组)$", "", name)
    if len(name) < 3 or name in _GENERIC or name.startswith(("我", "本", "该")):
        return None
    region = _REGION_COMMITTEE_RE.match(name) if committee else None
    if region and (name.endswith("委") or name == region.group("r")):
        return region.group("r")
    if not _INSTITUTION_END.search(name.split("(")[0]):
        return None
    return name


def institution_candidates(title: str, head: str, tail: str) -> list[str]:
    """Names the notice gives the inspected unit: title, 中共…委员会, 「对…开展巡察」, signature."""
    found: list[tuple[str, bool]] = []  # (mention, from a 中共…委 committee name)
    m = TITLE_ORG_RE.search(title)
    if m:
        found.append((m.group("n"), bool(re.match(r"(?:中共|中国共产党)", title))))
    for text in (title, head, tail):
        found += [(m.group("n"), True) for m in ORG_RE.finditer(text)]
        found += [(m.group("r"), True) for m in _REGION_TITLE_RE.finditer(text)]
    found += [(m.group("n"), False) for m in INTRO_ORG_RE.finditer(head)]
    for line in tail.split("\n"):
        if re.fullmatch(rf"(?:中共|中国共产党)?[\u4e00-\u9fff]{{3,30}}?(?:\([\u4e00-\u9fff]{{2,24}}\))?{ORG_SUFFIX}?", line) and not ORG_RE.search(line):
            found.append((line, line.startswith(("中共", "中国共产党"))))
    names = []
    for n, committee in found:
        n = _clean_name(n, committee=committee)
        if n and n not in names:
            names.append(n)
    return names


# 「中共江岳省委关于…」: a region's committee reporting on a 巡视 of the region
_REGION_TITLE_RE = re.compile(r"(?:中共|中国共产党)(?P<r>[\u4e00-\u9fff]{2,10}?[省市县区州旗盟])委(?:员会)?(?=关于|$|\n)")


def _needs_place(name: str) -> bool:
    return name[0] in _ADMIN or not any(c in _ADMIN for c in name[1:-1])


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _bounded(full: str, whole: str) -> bool:
    """Does ``full`` occur with nothing Chinese right before it (or after 中共)?"""
    i = whole.find(full)
    while i != -1:
        if i == 0 or not _is_han(whole[i - 1]) or whole.endswith(("中共", "中国共产党"), 0, i):
            return True
        i = whole.find(full, i + 1)
    return False


# Characters a place name never holds but the words around a name often do.
_NOT_A_PLACE_RE = re.compile(r"[对向日号在与和的了至于由为及从被把将同经按据根从到月年期间时并等是其该本我]")


def _extend_with_place(name: str, whole: str, places: list[str]) -> str:
    """市中医院 → 清远市中医院 when the text (or an address) shows the place."""
    counts: Counter[str] = Counter()
    for m in itertools.islice(re.finditer(re.escape(name), whole), 24):
        run = re.search(r"[\u4e00-\u9fff]{1,8}$", whole[max(0, m.start() - 8):m.start()])
        if not run:
            continue
        run_text = re.sub(r"^.*?(?:中共|中国共产党)", "", run.group(0))
        for k in range(1, min(6, len(run_text)) + 1):
            prefix = run_text[-k:]
            if _NOT_A_PLACE_RE.search(prefix):
                break  # 「…12日对市卫生健康委」: 日对 is a date and a preposition, not a place
            if name[0] in _ADMIN or prefix[-1] in _ADMIN:
                counts[prefix] += 1
    best = None
    for prefix, _ in counts.items():
        full = prefix + name
        seen = whole.count(full)
        bounded = _bounded(full, whole)
        place = name[0] in _ADMIN and any(p == prefix + name[0] for p in places) or prefix in places
        score = (bounded or place, seen, -len(prefix))
        if (bounded or place) and (best is None or score > best[0]):
            best = (score, full)
    if best:
        return best[1]
    if name[0] in _ADMIN:  # 「市中医院」 and an address in 清远市: 清远市中医院
        for p in places:
            if p.endswith(name[0]) and not p.startswith(name[0]):
                return p[:-1] + name
    return name


def resolve_institution(candidates: list[str], whole: str, addresses: list[str]) -> tuple[str | None, list[str]]:
    if not candidates:
        return None, []
    places = [m.group(0) for a in addresses for m in _PLACE_RE.finditer(a)]
    best = max(candidates, key=len)
    if _needs_place(best):
        best = _extend_with_place(best, whole, places)
    aliases = [c for c in candidates if c != best]
    return best, aliases


# --------------------------------------------------------------- the rest
def inspecting_body(text: str, display: str | None = None) -> str | None:
    """The committee that sent the group, as printed (``display``: the same text unfolded)."""
    shown = display if display is not None and len(display) == len(text) else text
    m = BODY_RE.search(text)
    if m:
        g = "a" if m.group("a") else "b"
        return shown[m.start(g):m.end(g)]
    m = BODY_FALLBACK_RE.search(text)
    return shown[m.start("c"):m.end("c")] if m else None


def find_round(match: str, display: str) -> str | None:
    m = ROUND_RE.search(match)
    return display[m.start():m.end()] if m else None


_UNNUMBERED_GROUP_RE = re.compile(rf"{_BODY}{_GROUP_KIND}巡[察视]组")


def find_group(match: str, display: str) -> str | None:
    """「市委第三巡察组」; failing that an unnumbered 「市委巡察组」 as printed."""
    m = GROUP_RE.search(match) or _UNNUMBERED_GROUP_RE.search(match)
    return display[m.start():m.end()] if m else None


def inspection_dates(text: str):
    """(start, end, feedback) from the opening sentences."""
    start = end = feedback = None
    range_span = None
    for s, e in sentences(text):
        sent = text[s:e]
        if "巡察" not in sent and "巡视" not in sent and "反馈" not in sent:
            continue
        if start is None:
            r = find_range(sent, open_start=True)
            if r:
                # 「9月中旬至11月下旬」「3月至5月」 name no day: null rather than an invented one
                start = r[0].date if r[0].precision == "day" else None  # (None too when unreadable)
                end = r[1].date if r[1].precision == "day" else None
                range_span = (s + r[0].start, s + r[1].end)
                end = _last_period_end(sent, r[1].end, r[1].date) if end is not None else end
        if feedback is None and "反馈" in sent:
            for d in find_dates(sent, end or start):
                pos = s + d.start
                if range_span and range_span[0] <= pos < range_span[1]:
                    continue
                if d.date and d.precision == "day":
                    feedback = d.date
                    break
        if start is not None and feedback is not None:
            break
    return start, end, feedback


_NEXT_PERIOD_RE = re.compile(r"\s*(?:、|，|,|和|及|以及)\s*")


def _last_period_end(sent: str, after: int, end: dt.date) -> dt.date:
    """「2024年9月2日至10月18日、2024年11月4日至11月22日」: two periods, the last one ends it."""
    while True:
        m = _NEXT_PERIOD_RE.match(sent, after)
        if not m:
            return end
        r = find_range(sent[m.end():], end)
        if not r or r[0].start != 0 or r[1].precision != "day" or r[1].date is None or r[1].date < end:
            return end
        after, end = m.end() + r[1].end, r[1].date


def published_date(match_lines: list[str]) -> dt.date | None:
    for line in reversed(match_lines[-8:]):
        if is_date_only(line):
            found = find_dates(line)
            if found and found[0].date:
                return found[0].date
    return None


_RELEASE_RE = re.compile(r"(?:(?:发布|发文|印发|公布|成文|发表|更新)(?:日期|时间)|(?:^|\n|\s)(?:日期|时间))\s*[:：]\s*")


def release_date(text: str) -> dt.date | None:
    """「发布时间：2024-10-08」「成文日期：…」「日期:2023-05-04 08:46:31」 printed above a notice
    (a saved web page): its date when no date is signed."""
    for m in _RELEASE_RE.finditer(text):
        found = find_dates(text[m.end():m.end() + 30])
        if found and found[0].start == 0 and found[0].has_year and found[0].precision == "day":
            return found[0].date
    return None


def disclosure(match: str, display: str, context: dt.date | None, *, invitation: bool = True):
    """The 公开期限 window; with ``invitation`` (the closing part only) also a range given in the
    sentence inviting comments."""
    m = DISCLOSURE_RE.search(match)
    if not m:
        return _invitation_window(match, display, context) if invitation else (None, None, "")
    text = m.group("t")
    r = find_range(text, context)
    shown = display[m.start():m.end()].strip()
    if r:
        return r[0].date, r[1].date, shown
    dates = [d for d in find_dates(text, context) if d.date]
    return (dates[0].date if dates else None), None, shown


def _invitation_window(match: str, display: str, context: dt.date | None):
    for s, e in sentences(match):
        sent = match[s:e]
        if not _INVITATION_RE.search(sent) or _NOT_INVITATION_RE.search(sent):
            continue
        r = find_range(sent, context)
        if r and r[0].date and r[1].date and r[0].date <= r[1].date:
            return r[0].date, r[1].date, display[s:e].strip()
    return None, None, ""


def contacts(match: str, display: str) -> Contacts:
    emails: list[str] = []
    for m in EMAIL_RE.finditer(match):
        e = m.group(0).rstrip(".").lower()
        if e not in emails:
            emails.append(e)
    addresses: list[str] = []
    for m in ADDRESS_RE.finditer(match):
        a = display[m.start("a"):m.end("a")]
        a = re.split(r"[（(]?邮编|[（(]邮政编码|，|,", a)[0].strip(" :：，,、")
        a = re.sub(r"[（(][^）)]*$", "", a).strip()
        if len(a) >= 4 and not EMAIL_RE.search(a) and a not in addresses:
            addresses.append(a)
    phones: list[str] = []
    blank = lambda m: " " * len(m.group(0))  # noqa: E731 - keeps offsets
    scrubbed = DATE_RE.sub(blank, EMAIL_RE.sub(blank, match))
    for s, e in sentences(scrubbed):
        sent = scrubbed[s:e]
        label = PHONE_LABEL_RE.search(sent)
        if not label:
            continue
        for m in PHONE_RE.finditer(sent, label.start()):
            # not a postal code, house number or amount: nothing like 号/元 right after
            after = sent[m.end():m.end() + 1]
            if after in ("号", "元", "万", "年", "人", "个"):
                continue
            p = display[s + m.start():s + m.end()].strip()
            if p not in phones:
                phones.append(p)
    return Contacts(phones=phones, emails=emails, addresses=addresses)
