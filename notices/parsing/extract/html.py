"""Web pages as hospitals publish them: keep the notice, drop the site around it.

Decoding: byte-order mark, then the page's own ``<meta charset>``/
``http-equiv`` declaration (checked, not trusted blindly), then the same
detection as plain text.  Word's "single file web page" (.mht, often served
as .doc) is unpacked to its HTML part first.

Content: scripts, styles, navigation, headers, footers, sidebars and
link-heavy blocks go; then, starting at ``<body>``, we descend into the child
that holds most of the remaining Chinese text as long as it holds nearly all
of it — the innermost container of the article.  A heading just before that
container (the notice title is often outside the body ``div``) is kept.
Block elements and ``<br>`` become line breaks; table cells are separated by
tabs.
"""
from __future__ import annotations

import email
import email.policy
import re

from ..errors import NoticeFileError
from ._text import han_count, normalize_text
from .base import DEFAULT_CONTEXT, ExtractContext, ExtractedText, Limits
from .budget import limit_exceeded
from .txt import decode_text

FORMAT = "html"

_DATA_URI_RE = re.compile(rb"data:[\w/+.-]{1,40};base64,[A-Za-z0-9+/=\s]{256,}")
_META_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "big5": "cp950",
    "utf8": "utf-8",
    "unicode": "utf-16",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
}

_DROP_TAGS = (
    "script", "style", "noscript", "template", "svg", "canvas", "iframe", "object", "embed",
    "head", "title", "nav", "footer", "aside", "button", "select", "option", "input", "textarea", "map",
)
_NOISE_RE = re.compile(
    r"(?:^|[\s_\-])(?:nav|navbar|menu|menus|breadcrumbs?|crumbs?|position|location|footer|foot|bottom|copyright|"
    r"sidebar|aside|share|bdsharebuttonbox|toolbar|print|banner|topbar|logo|search|"
    r"login|pagination|pager|page-?nav|comment|comments|related|relate|recommend|links?|friendlink|"
    r"prev|next|prenext|qrcode|ewm|skip)(?:$|[\s_\-\d])",
    re.I,
)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body center dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section summary table tbody thead tfoot "
    "tr ul caption".split()
)
_CELL_TAGS = frozenset(("td", "th"))
_TITLE_WORDS_RE = re.compile(r"通报|公布|公告|情况|整改|巡察|巡视")
# Word's HTML puts its list label in a span followed by &nbsp; padding: 「一、&nbsp;党委…」.
_LIST_LABEL_GAP_RE = re.compile(r"^([（(]?[一二三四五六七八九十百\d]{1,4}[、.．)）])\s+(?=\S)")
_HIDDEN_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_WS_RE = re.compile(r"[ \t\r\n\f\u00a0\u3000]+")

# Descend into a child while it holds at least this share of its parent's text.
_DESCEND_SHARE = 0.85
# The tree is walked recursively below; a real page nests a few dozen levels.
MAX_DEPTH = 400


def extract(data: bytes, ctx: ExtractContext = DEFAULT_CONTEXT) -> ExtractedText:
    from .sniff import looks_like_mhtml

    warnings: list[str] = []
    if looks_like_mhtml(data):
        data, mht_charset = _html_from_mhtml(data)
        declared = mht_charset
    else:
        declared = None
    _check_size(data, ctx.limits)
    declared = declared or _declared_charset(data)
    if declared:
        declared = _CHARSET_ALIASES.get(declared.lower(), declared.lower())
    try:
        markup, encoding, more = decode_text(data, declared=declared)
    except NoticeFileError as exc:
        raise NoticeFileError(f"网页文件无法解码：{exc.message}", code=exc.code) from exc
    warnings.extend(more)

    text = html_to_text(markup)
    text = normalize_text(text)
    if not text.strip():
        raise NoticeFileError("网页中没有找到正文文字，请上传通报原文（Word、PDF或文本）", code="no_text")
    return ExtractedText(text=text, format=FORMAT, encoding=encoding, warnings=warnings)


def _check_size(data: bytes, limits: Limits) -> None:
    """Refuse markup too big to build a tree of: a notice page is well under a megabyte.

    Inline images (``data:`` URIs) do not count; tags are counted by their
    ``<`` (in UTF-16 too), before any parsing.
    """
    size = len(data) - sum(len(m.group()) for m in _DATA_URI_RE.finditer(data))
    if size > limits.max_html_bytes:
        raise limit_exceeded(f"网页源代码超过{limits.max_html_bytes / 1048576:.0f} MB")
    tags = data.count(b"<")
    if tags > limits.max_html_tags:
        raise limit_exceeded(f"网页含{tags}个标签")


def _declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET_RE.search(data[:8192])
    return match.group(1).decode("ascii", "ignore") if match else None


def _html_from_mhtml(data: bytes) -> tuple[bytes, str | None]:
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if payload:
                return payload, part.get_content_charset()
    raise NoticeFileError("单文件网页（.mht）中没有找到网页正文，请另存为.docx或PDF后上传", code="no_text")


def html_to_text(markup: str) -> str:
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(markup, "lxml")
    _check_depth(soup)
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    body = soup.body or soup
    _drop_noise(body)

    container = _content_container(body)
    lines: list[str] = []
    title = _title_outside(container, body)
    if title and _WS_RE.sub("", title) not in _WS_RE.sub("", container.get_text()[:500]):
        lines.append(title)
    _render(container, lines)
    # Block boundaries are marked with \x1e so that nested blocks give one
    # line break, while <br> and empty paragraphs still give blank lines.
    text = re.sub("\x1e(?: *\x1e)*", "\n", "".join(lines))
    out: list[str] = []
    for line in text.split("\n"):
        line = _LIST_LABEL_GAP_RE.sub(r"\1", line.strip())
        if line and out and line == out[-1]:
            continue  # the title as <h1> and again as the first paragraph
        out.append(line)
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _check_depth(root) -> None:
    """Refuse, with the limit message, a tree nested deeper than ``MAX_DEPTH`` (walked without recursion)."""
    from bs4 import Tag

    stack = [(root, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise limit_exceeded(f"网页标签嵌套超过{MAX_DEPTH}层")
        stack.extend((child, depth + 1) for child in node.children if isinstance(child, Tag))


def _count_han(root) -> dict[int, tuple[int, int]]:
    """One pass over the tree: ``id(tag) → (hanzi, hanzi inside links)``."""
    from bs4 import NavigableString, Tag

    counts: dict[int, tuple[int, int]] = {}

    def visit(tag, in_link: bool) -> tuple[int, int]:
        han = linked = 0
        link = in_link or tag.name == "a"
        for child in tag.children:
            if isinstance(child, Tag):
                h, l = visit(child, link)
                han += h
                linked += l
            elif isinstance(child, NavigableString):
                h = han_count(child)
                han += h
                if link:
                    linked += h
        counts[id(tag)] = (han, linked)
        return han, linked

    visit(root, False)
    return counts


def _drop_noise(body) -> None:
    from bs4 import Tag

    counts = _count_han(body)
    total = max(counts[id(body)][0], 1)
    dropped: list = []

    def visit(tag) -> None:
        for child in tag.children:
            if not isinstance(child, Tag):
                continue
            han, linked = counts.get(id(child), (0, 0))
            attrs = child.attrs or {}
            role = attrs.get("role", "")
            names = " ".join([attrs.get("id", "")] + list(attrs.get("class", []) or []))
            noisy = role in ("navigation", "banner", "contentinfo", "search", "complementary") or bool(
                names.strip() and _NOISE_RE.search(names)
            )
            if _HIDDEN_RE.search(attrs.get("style", "") or "") or "hidden" in attrs:
                dropped.append(child)  # not shown to readers (and a favourite of SEO spam)
            elif noisy and han < total * 0.3:
                dropped.append(child)
            elif child.name in ("ul", "ol", "div", "table", "p", "dl") and 0 < han < total * 0.3 and linked >= han * 0.6:
                # Link lists (上一篇/下一篇, related articles) are mostly anchor text.
                dropped.append(child)
            else:
                visit(child)

    visit(body)
    for tag in dropped:
        tag.extract()


def _content_container(body):
    counts = _count_han(body)
    node = body
    while True:
        total = counts[id(node)][0]
        if total == 0:
            return node
        best, best_han = None, 0
        for child in node.find_all(True, recursive=False):
            h = counts[id(child)][0]
            if h > best_han:
                best, best_han = child, h
        if best is None or best_han < total * _DESCEND_SHARE or best.name in ("p", "span", "font", "a", "b", "strong"):
            return node
        node = best


def _title_outside(container, body) -> str | None:
    """The nearest heading before the content container, when it is not inside it."""
    if container is body:
        return None
    for candidate in container.find_all_previous(["h1", "h2", "h3", "div", "p", "td", "span"], limit=60):
        if candidate in container.parents:
            continue
        text = _WS_RE.sub("", candidate.get_text())
        if not (6 <= len(text) <= 80) or not _TITLE_WORDS_RE.search(text):
            continue
        names = [candidate.get("id", "")] + list(candidate.get("class", []) or [])
        if candidate.name in ("h1", "h2", "h3") or any("title" in n.lower() or n.lower() == "bt" for n in names):
            return _WS_RE.sub(" ", candidate.get_text()).strip()
    return None


def _render(node, out: list[str]) -> None:
    from bs4 import NavigableString, Tag

    for child in node.children:
        if isinstance(child, NavigableString):
            text = str(child)
            if text:
                out.append(_collapse(text, out))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if name == "br":
            out.append("\n")
            continue
        if name == "pre":
            out.append("\x1e" + child.get_text() + "\x1e")
            continue
        if name in _CELL_TAGS:
            out.append("\t")
            _render(child, out)
            continue
        block = name in _BLOCK_TAGS
        if block:
            out.append("\x1e")
        _render(child, out)
        if block:
            out.append("\x1e")


def _collapse(text: str, out: list[str]) -> str:
    """HTML whitespace rules, CJK-aware: a line break between two hanzi is no space."""
    text = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\r\n]+(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    return re.sub(r"[ \t\r\n\f]+", " ", text)
