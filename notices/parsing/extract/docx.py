"""Word .docx: body paragraphs and tables in document order, with list numbers.

python-docx opens the package; the body is walked directly over its XML so
tables, content controls and tracked insertions come out where they sit.
Word's automatic numbering (「一、」「（一）」「1.」 kept in numbering.xml and
referenced by ``w:numPr``) is not in the paragraph text at all, so it is
rendered here from the abstract numbering definitions — otherwise every
heading of a notice typed with Word's list buttons would lose its number.

Before anything is parsed the ZIP's declared sizes are checked (a zip bomb
is refused without inflating a byte), then every member is inflated under a
byte budget with each XML part capped (``Limits.max_xml_part``): declared
sizes can be honest and still absurd, and a 95 MB document.xml costs
gigabytes as a tree.
"""
from __future__ import annotations

import io
import zipfile
import zlib

from ..errors import NoticeFileError
from ._text import normalize_text
from .base import DEFAULT_CONTEXT, ExtractContext, ExtractedText
from .budget import Budget, read_zip
from .numbering import Numbering

FORMAT = "docx"

MAX_UNCOMPRESSED = 100 * 1024 * 1024  # total declared size of all members
MAX_RATIO = 200  # declared size / compressed size, for members worth checking
RATIO_FLOOR = 1024 * 1024  # members smaller than this cannot bomb anyone
MAX_MEMBERS = 10000

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

_CORRUPT = "Word文件已损坏或不完整（可能上传中断），无法打开，请用Word或WPS重新保存为.docx后上传"


def extract(data: bytes, ctx: ExtractContext = DEFAULT_CONTEXT) -> ExtractedText:
    check_zip(data)
    limits = ctx.limits
    try:
        read_zip(data, budget=Budget(limits.max_inflated, "Word文件"), max_members=MAX_MEMBERS,
                 max_part=limits.max_xml_part, max_tags=limits.max_xml_tags, part_label="Word文件")
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError, zlib.error) as exc:
        raise NoticeFileError(_CORRUPT, code="corrupt") from exc
    try:
        import docx  # python-docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - pinned in requirements
        raise
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, EOFError, OSError) as exc:
        raise NoticeFileError(_CORRUPT, code="corrupt") from exc
    except ValueError as exc:
        # e.g. "file '…' is not a Word file, content type is '…'" (a .dotx, .xlsx…)
        raise NoticeFileError(
            "文件不是Word文档（.docx），可能是模板或其他Office文件，请另存为.docx后上传", code="unsupported_format"
        ) from exc

    warnings: list[str] = []
    numbering = _load_numbering(document, warnings)
    walker = _BodyWalker(numbering)
    walker.walk(document.element.body)
    if walker.textboxes:
        warnings.append("文档中的文本框内容已附在正文末尾，请核对位置")
        walker.lines.append("")
        walker.lines.extend(walker.textboxes)
    text = normalize_text("\n".join(walker.lines))
    if not text.strip():
        raise NoticeFileError("Word文件中没有文字（可能只有图片或扫描件），请上传文字版", code="no_text")
    return ExtractedText(text=text, format=FORMAT, encoding=None, warnings=warnings)


def check_zip(data: bytes) -> None:
    """Refuse truncated ZIPs and zip bombs using only the central directory."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise NoticeFileError(_CORRUPT, code="truncated" if data.startswith(b"PK") else "corrupt") from exc
    if len(infos) > MAX_MEMBERS:
        raise NoticeFileError("Word文件结构异常（内部文件数量过多），已拒绝处理", code="zip_bomb")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise NoticeFileError(
                "Word文件内部数据压缩比异常（可能是恶意构造的“压缩炸弹”），已拒绝处理", code="zip_bomb"
            )
    if total > MAX_UNCOMPRESSED:
        raise NoticeFileError(
            f"Word文件解压后过大（约{total / 1048576:.0f} MB），已拒绝处理；请删除其中的大图片或另存为PDF后上传",
            code="zip_bomb",
        )


def _load_numbering(document, warnings: list[str]) -> Numbering | None:
    try:
        part = document.part.numbering_part
    except (NotImplementedError, KeyError):
        return None
    try:
        return Numbering(part.element, document.part.styles.element)
    except Exception:  # numbering is a nicety: a broken numbering.xml must not lose the text
        warnings.append("文档的自动编号定义无法读取，编号可能缺失，请核对")
        return None


class _BodyWalker:
    def __init__(self, numbering: Numbering | None):
        self.numbering = numbering
        self.lines: list[str] = []
        self.textboxes: list[str] = []

    def walk(self, container) -> None:
        for child in container:
            tag = child.tag
            if tag == W + "p":
                self.paragraph(child)
            elif tag == W + "tbl":
                self.table(child)
            elif tag in (W + "sdt", W + "customXml", W + "ins", W + "smartTag"):
                content = child.find(W + "sdtContent") if tag == W + "sdt" else child
                if content is not None:
                    self.walk(content)
            # w:sectPr, w:bookmarkStart, w:del… carry no body text

    def paragraph(self, p) -> None:
        text = self.paragraph_text(p)
        if self.numbering is not None:
            label = self.numbering.label_for(p)
            if label:
                text = label + text
        self.lines.append(text)

    def paragraph_text(self, p) -> str:
        parts: list[str] = []
        self._runs(p, parts)
        return "".join(parts)

    def _runs(self, element, parts: list[str]) -> None:
        for child in element:
            tag = child.tag
            if tag == W + "r":
                self._run(child, parts)
            elif tag in (W + "hyperlink", W + "ins", W + "smartTag", W + "customXml", W + "fldSimple", W + "moveTo", W + "dir", W + "bdo"):
                self._runs(child, parts)
            elif tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    self._runs(content, parts)
            # w:del, w:moveFrom: deleted text; w:pPr: properties

    def _run(self, r, parts: list[str]) -> None:
        vanish = r.find(f"{W}rPr/{W}vanish")
        if vanish is not None and vanish.get(W + "val") not in ("0", "false", "off"):
            return  # hidden text: not part of what the reader sees
        for child in r:
            tag = child.tag
            if tag == W + "t":
                parts.append(child.text or "")
            elif tag == W + "tab" or tag == W + "ptab":
                parts.append("\t")
            elif tag == W + "br" or tag == W + "cr":
                parts.append("\n")
            elif tag == W + "noBreakHyphen":
                parts.append("-")
            elif tag == W + "sym":
                char = child.get(W + "char")
                if char:
                    try:
                        code = int(char, 16)
                    except ValueError:
                        continue
                    if code < 0xE000 or code > 0xF8FF:  # private-use: a font glyph (Wingdings)
                        parts.append(chr(code))
            elif tag in (W + "drawing", W + "pict", W + "object", _MC + "AlternateContent"):
                self._textboxes(child)

    def _textboxes(self, element) -> None:
        # In mc:AlternateContent the same box appears in Choice and Fallback: read one.
        if element.tag == _MC + "AlternateContent":
            choice = element.find(_MC + "Choice")
            element = choice if choice is not None else element
        for box in element.iter(W + "txbxContent"):
            sub = _BodyWalker(self.numbering)
            sub.walk(box)
            self.textboxes.extend(line for line in sub.lines if line.strip())

    def table(self, tbl) -> None:
        for tr in tbl.iterchildren(W + "tr"):
            cells: list[list[str]] = []
            for tc in _row_cells(tr):
                vmerge = tc.find(f"{W}tcPr/{W}vMerge")
                if vmerge is not None and vmerge.get(W + "val") != "restart":
                    continue  # continuation of a vertically merged cell: already read
                sub = _BodyWalker(self.numbering)
                sub.walk(tc)
                self.textboxes.extend(sub.textboxes)
                lines = [line for line in sub.lines if line.strip()]
                if lines:
                    cells.append(lines)
            if not cells:
                continue
            if all(len(c) == 1 for c in cells):
                # A row of short cells reads as one line: 「序号\t问题\t整改情况」.
                self.lines.append("\t".join(c[0] for c in cells))
            else:
                for c in cells:
                    self.lines.extend(c)


def _row_cells(tr):
    for child in tr:
        if child.tag == W + "tc":
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from content.iterchildren(W + "tc")
