"""Institution names as the notices print them, reduced to one comparable key.

Notices name the same hospital several ways: 「中共辽阳市 中心医院 委员会」,
「辽阳市中心医院党委」, 「市中医院」.  ``normalize_institution_name`` strips the
party-organisation wrapping and white space so that one hospital has one key.
"""
import re
import unicodedata

_PARTY_PREFIX = re.compile(r"^(中共|中国共产党)")
_PARTY_SUFFIX = re.compile(r"(党委|党总支|党支部|总支委员会|支部委员会|委员会|党组织|党组)$")


def normalize_institution_name(name: str) -> str:
    """``中共辽阳市 中心医院 委员会`` → ``辽阳市中心医院``."""
    key = unicodedata.normalize("NFKC", name or "")
    key = re.sub(r"\s+", "", key)
    key = _PARTY_PREFIX.sub("", key)
    previous = None
    while previous != key:
        previous = key
        key = _PARTY_SUFFIX.sub("", key)
    return key


def is_short_form_of(short: str, full: str) -> bool:
    """Whether ``short`` (市中医院) can name ``full`` (清远市中医院).

    A short form drops the leading place name but keeps the rest, so it
    must be a proper suffix of the full name that begins with a level word
    (市/区/县/旗/省) or is the full name without its place prefix.
    """
    short, full = normalize_institution_name(short), normalize_institution_name(full)
    if not short or not full or short == full:
        return bool(short) and short == full
    return full.endswith(short) and len(short) >= 3 and short[0] in "市区县旗省州盟"


def group_label(body: str, group: str) -> str:
    """「市委第三巡察组」 as printed; 「市委」+「第五巡察组」 when the notice named the group without its body."""
    body, group = body or "", group or ""
    if not group:
        return f"{body}巡察" if body else "巡察"
    return group if group.startswith(body) else f"{body}{group}"


def pinyin_sort_key(name: str) -> str:
    """「长沙市中心医院」 → 「chang sha shi zhong xin yi yuan」: hospitals list in 拼音 order.

    Heteronyms take pypinyin's phrase reading (长沙 → chang sha); anything that
    is not a Chinese character keeps its own lower-cased text.
    """
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(re.sub(r"\s+", "", name or ""), style=Style.NORMAL)).lower()[:600]


_REGION_RE = re.compile(
    r"^(?P<region>(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区))?(?:[\u4e00-\u9fff]{1,6}?(?:市|地区|自治州|州|盟))?"
    r"(?:[\u4e00-\u9fff]{1,6}?(?:区|县|旗|市))?)"
)


def infer_region(name: str) -> str:
    """The place a hospital's name starts with (「聊城市东昌府区中医院」 → 「聊城市东昌府区」), or ''.

    Only a leading administrative name ending in 省/市/州/盟/区/县/旗 counts;
    a name that does not start with one (「解放军总医院」) gets no region
    rather than a guess.
    """
    key = normalize_institution_name(name)
    match = _REGION_RE.match(key)
    region = match.group("region") if match else ""
    # The place must leave a hospital behind it: 「市中医院」 names no region.
    if len(region) < 2 or len(region) >= len(key) - 1:
        return ""
    return region
