"""OFD (GB/T 33190): the text objects of every page, rebuilt into paragraphs.

An OFD is a ZIP of XML: ``OFD.xml`` names the document root, whose
``Document.xml`` lists the pages (and template pages they draw first); each
page's content holds ``TextObject``s placed by ``Boundary`` (mm, y down),
with ``TextCode`` runs positioned by ``X``/``Y`` (baseline) and
``DeltaX`` (advances, ``g N v`` meaning N times v).  The runs are grouped
into lines by baseline and handed to ``layout`` like PDF lines, so wrapped
paragraphs join and page numbers drop the same way.

Read directly with lxml (no entity expansion, no network) rather than
through a library: the PyPI readers render OFD to PDF or images and pull in
a PDF engine under AGPL, while the text is right there in the XML.  The ZIP
is inflated under the same byte budget as a .docx.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
import zlib

from ..errors import NoticeFileError
from ._text import normalize_text
from .base import DEFAULT_CONTEXT, ExtractContext, ExtractedText
from .budget import Budget, limit_exceeded, read_zip
from .layout import Line, Page, assemble, lead_chars

FORMAT = "ofd"

_CORRUPT = "OFD文件已损坏或不完整，无法读取，请在OFD阅读器中重新另存后上传，或上传PDF版"
_ENCRYPTED = "该OFD文件已加密，无法读取，请上传未加密的版本或PDF版"
_NO_TEXT = "OFD文件中没有文字（可能只有扫描图片），请上传文字版，或将扫描件另存为PDF后上传"
_MAX_MEMBERS = 20000
_A4 = (210.0, 297.0)
_NUM_RE = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")


def extract(data: bytes, ctx: ExtractContext = DEFAULT_CONTEXT) -> ExtractedText:
    limits = ctx.limits
    try:
        parts = read_zip(data, budget=Budget(limits.max_inflated, "OFD文件"), max_members=_MAX_MEMBERS,
                         max_part=limits.max_xml_part, max_tags=limits.max_xml_tags, parts=(".xml",), part_label="OFD文件")
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError, zlib.error) as exc:
        raise NoticeFileError(_CORRUPT, code="corrupt") from exc
    reader = _Reader(parts)
    root = reader.xml("OFD.xml")
    if any(_local(el) == "Encryptions" for el in root.iter()):
        raise NoticeFileError(_ENCRYPTED, code="encrypted")
    doc_root = _text_of(root, "DocRoot")
    if not doc_root:
        raise NoticeFileError(_CORRUPT, code="corrupt")
    doc_path = _join("", doc_root)
    document = reader.xml(doc_path)
    base = posixpath.dirname(doc_path)

    default_box = _box(_text_of(_first(document, "PageArea"), "PhysicalBox")) or (0.0, 0.0, *_A4)
    templates = {
        el.get("ID"): _join(base, el.get("BaseLoc", ""))
        for el in document.iter() if _local(el) == "TemplatePage" and el.get("BaseLoc")
    }
    page_refs = [el for el in document.iter() if _local(el) == "Page" and el.get("BaseLoc")]
    if len(page_refs) > limits.max_pages:
        raise limit_exceeded(f"OFD共{len(page_refs)}页，超过{limits.max_pages}页的上限")

    pages: list[Page] = []
    for ref in page_refs:
        page_path = _join(base, ref.get("BaseLoc"))
        content = reader.xml(page_path)
        box = _box(_text_of(_first(content, "Area"), "PhysicalBox")) or default_box
        runs: list[_Run] = []
        for template in (el for el in content if _local(el) == "Template"):
            path = templates.get(template.get("TemplateID"))
            if path:
                runs += _runs(reader.xml(path))
        runs += _runs(content)
        pages.append(_page(runs, box))
    text = normalize_text(assemble(pages))
    if not text.strip():
        raise NoticeFileError(_NO_TEXT, code="no_text")
    return ExtractedText(text=text, format=FORMAT, pages=len(pages))


class _Reader:
    def __init__(self, parts: dict[str, bytes]):
        # Member names compared case-sensitively first, then without case (producers differ).
        self.parts = parts
        self.lower = {name.lower(): name for name in parts}

    def xml(self, path: str):
        from lxml import etree

        name = path if path in self.parts else self.lower.get(path.lower())
        if name is None:
            raise NoticeFileError(_CORRUPT, code="corrupt")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)
        try:
            return etree.fromstring(self.parts[name], parser)
        except etree.XMLSyntaxError as exc:
            raise NoticeFileError(_CORRUPT, code="corrupt") from exc


class _Run:
    __slots__ = ("text", "x0", "x1", "baseline", "size")

    def __init__(self, text: str, x0: float, x1: float, baseline: float, size: float):
        self.text, self.x0, self.x1, self.baseline, self.size = text, x0, x1, baseline, size


def _runs(root) -> list[_Run]:
    runs: list[_Run] = []
    for obj in root.iter():
        if _local(obj) != "TextObject":
            continue
        boundary = _box(obj.get("Boundary")) or (0.0, 0.0, 0.0, 0.0)
        size = _float(obj.get("Size"), 3.5)
        ctm = [float(v) for v in _NUM_RE.findall(obj.get("CTM") or "")]
        a, b, c, d, e, f = ctm if len(ctm) == 6 else (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        scale = abs(a) or 1.0
        for code in obj:
            if _local(code) != "TextCode" or not code.text:
                continue
            text = code.text
            x, y = _float(code.get("X"), 0.0), _float(code.get("Y"), 0.0)
            advances = _deltas(code.get("DeltaX"), len(text) - 1, size)
            width = sum(advances) + size * (0.5 if text[-1:].isascii() else 1.0)
            x0 = boundary[0] + a * x + c * y + e
            baseline = boundary[1] + b * x + d * y + f
            runs.append(_Run(text, x0, x0 + width * scale, baseline, size * (abs(d) or 1.0)))
    return runs


def _page(runs: list[_Run], box: tuple[float, float, float, float]) -> Page:
    """Runs → lines (same baseline, left to right) in layout's coordinates (y up)."""
    width, height = box[2], box[3]
    runs.sort(key=lambda r: (round(r.baseline, 1), r.x0))
    rows: list[list[_Run]] = []
    for run in runs:
        if rows and abs(rows[-1][0].baseline - run.baseline) <= 0.3 * run.size:
            rows[-1].append(run)
        else:
            rows.append([run])
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda r: r.x0)
        parts = [row[0].text]
        for prev, run in zip(row, row[1:]):
            parts.append(" " if run.x0 - prev.x1 > 1.5 * run.size else "")
            parts.append(run.text)
        text = "".join(parts)
        if not text.strip():
            continue
        size = max(r.size for r in row)
        baseline = row[0].baseline
        first = row[0]
        n = lead_chars(text.lstrip())
        lead = size * (0.5 * n if text.lstrip()[:1].isascii() else 1.0) if n else 0.0
        lines.append(Line(text, first.x0, max(r.x1 for r in row), height - baseline - 0.15 * size,
                          height - baseline + 0.85 * size, lead))
    return (width, height, lines)


def _deltas(spec: str | None, count: int, size: float) -> list[float]:
    """The ``count`` advances a ``DeltaX`` gives (``g N v`` = N times v); missing ones are one em."""
    values: list[float] = []
    tokens = (spec or "").split()
    i = 0
    while i < len(tokens) and len(values) < count:
        if tokens[i] == "g" and i + 2 < len(tokens):
            repeat = min(int(_float(tokens[i + 1], 0)), count - len(values))
            values += [_float(tokens[i + 2], size)] * max(repeat, 0)
            i += 3
        else:
            values.append(_float(tokens[i], size))
            i += 1
    return values + [size] * (count - len(values))


def _local(el) -> str:
    tag = el.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _first(root, name: str):
    if root is None:
        return None
    return next((el for el in root.iter() if _local(el) == name), None)


def _text_of(root, name: str) -> str:
    el = _first(root, name)
    return (el.text or "").strip() if el is not None else ""


def _join(base: str, path: str) -> str:
    path = path.strip().replace("\\", "/")
    if path.startswith("/"):
        return posixpath.normpath(path.lstrip("/"))
    return posixpath.normpath(posixpath.join(base, path))


def _box(spec: str | None) -> tuple[float, float, float, float] | None:
    numbers = [float(v) for v in _NUM_RE.findall(spec or "")]
    return tuple(numbers[:4]) if len(numbers) >= 4 else None  # type: ignore[return-value]


def _float(value: str | None, default: float) -> float:
    try:
        return float(value) if value is not None else default
    except ValueError:
        return default
