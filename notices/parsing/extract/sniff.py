"""Decide what an upload really is: magic bytes first, the filename second.

Users rename files and websites serve HTML with a ``.doc`` name, so the
extension is only a tie-breaker.  When content and name disagree the content
wins and a warning says so; when the content is something we cannot read (an
image, a spreadsheet, an archive) the refusal names it.
"""
from __future__ import annotations

import io
import re
import zipfile

from ..errors import NoticeFileError

ACCEPTED_HINT = (
    "支持的格式：文本（.txt）、Word（.docx/.doc/.wps）、PDF（.pdf，含扫描件）、OFD（.ofd）、网页（.html）、"
    "扫描或拍照图片（.jpg/.png/.tif）"
)

_EXTENSIONS = {
    "txt": "txt",
    "text": "txt",
    "md": "txt",
    "docx": "docx",
    "docm": "docx",
    "pdf": "pdf",
    "html": "html",
    "htm": "html",
    "xhtml": "html",
    "shtml": "html",
    "mht": "html",
    "mhtml": "html",
    "doc": "doc",
    "wps": "doc",
    "dot": "doc",
    "ofd": "ofd",
    "jpg": "image",
    "jpeg": "image",
    "png": "image",
    "tif": "image",
    "tiff": "image",
}

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Page images, read by OCR.
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")

# Things we recognise but cannot read: (magic, Chinese name).
_OTHER_MAGIC = (
    (b"GIF87a", "GIF图片"),
    (b"GIF89a", "GIF图片"),
    (b"Rar!\x1a\x07", "RAR压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z压缩包"),
    (b"\x1f\x8b", "gzip压缩包"),
    (b"{\\rtf", "RTF文档"),
)

_HTML_START_RE = re.compile(
    rb"^(?:\s|<!--.*?-->|<\?xml[^>]*>)*<(?:!doctype\s+html|html|head|body|meta|title|div|p|table|span|article|section|h[1-6]|font|center|br)[\s>/]",
    re.I | re.S,
)
_MHTML_RE = re.compile(rb"^(?:[\w-]+:[^\n]*\r?\n)*?MIME-Version:\s*1\.0", re.I)


def extension_of(filename: str) -> str:
    name = (filename or "").strip().rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if "." not in name:
        return ""
    return name.rsplit(".", 1)[-1].lower()


def _text_prefix(data: bytes) -> bytes:
    """The first bytes as ASCII-compatible bytes (undo UTF-16 so HTML can be spotted)."""
    head = data[:2048]
    for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(enc, "ignore").encode("utf-8", "ignore")
    if head.startswith(b"\xef\xbb\xbf"):
        return head[3:]
    if len(head) > 8 and head[1:8:2] == b"\x00\x00\x00\x00":
        return head.decode("utf-16-le", "ignore").encode("utf-8", "ignore")
    if len(head) > 8 and head[0:8:2] == b"\x00\x00\x00\x00":
        return head.decode("utf-16-be", "ignore").encode("utf-8", "ignore")
    return head


def looks_like_html(data: bytes) -> bool:
    return bool(_HTML_START_RE.match(_text_prefix(data)))


def looks_like_mhtml(data: bytes) -> bool:
    head = data[:4096]
    return bool(_MHTML_RE.match(head)) and b"multipart/related" in head.lower()


def sniff_format(data: bytes, filename: str) -> tuple[str, list[str]]:
    """Return ``(format, warnings)``; ``format`` is one of ``base.FORMATS``.

    Raises ``NoticeFileError`` for empty files and for anything that is not
    one of the accepted formats.
    """
    if not data or not data.strip(b" \t\r\n\x00"):
        raise NoticeFileError("文件是空的，请检查后重新上传", code="empty")

    ext = extension_of(filename)
    by_name = _EXTENSIONS.get(ext)
    by_content = _by_magic(data, by_name)

    if by_content is None:
        if by_name in ("txt", "html"):
            return by_name, []
        if by_name is None:
            raise NoticeFileError(
                f"不支持的文件类型{_ext_label(ext)}。{ACCEPTED_HINT}", code="unsupported_format"
            )
        # .pdf/.docx/.doc whose bytes are none of those (and not HTML either).
        raise NoticeFileError(
            f"文件扩展名为.{ext}，但内容不是{_FORMAT_LABEL[by_name]}文件（文件可能已损坏，或是被改了扩展名），请用原程序重新保存后上传。{ACCEPTED_HINT}",
            code="format_mismatch",
        )

    warnings: list[str] = []
    if by_name is not None and by_name != by_content and not (by_name == "txt" and by_content == "html"):
        warnings.append(
            f"文件扩展名为.{ext}，但内容实际是{_FORMAT_LABEL[by_content]}，已按{_FORMAT_LABEL[by_content]}读取"
        )
    elif by_name is None and ext:
        warnings.append(f"文件扩展名.{ext}不常见，已按内容识别为{_FORMAT_LABEL[by_content]}")
    if by_name == "txt" and by_content == "html":
        # A page saved as .txt: the markup is noise, read it as a web page.
        warnings.append("文本文件的内容是网页源代码，已按网页读取")
    return by_content, warnings


_FORMAT_LABEL = {"txt": "文本", "docx": "Word（.docx）", "pdf": "PDF", "html": "网页（HTML）", "doc": "旧版Word（.doc）",
                 "ofd": "OFD", "image": "图片"}


def _ext_label(ext: str) -> str:
    return f"（.{ext}）" if ext else "（文件名没有扩展名）"


def _by_magic(data: bytes, by_name: str | None = None) -> str | None:
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data, by_name)
    if head.startswith(_OLE_MAGIC):
        return "doc"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    for magic, label in _OTHER_MAGIC:
        if label and head.startswith(magic):
            raise NoticeFileError(
                f"上传的是{label}，无法读取其中的文字。{ACCEPTED_HINT}"
                + ("；GIF图片请另存为PNG或JPG" if "图片" in label else ""),
                code="unsupported_format",
            )
    if looks_like_mhtml(data) or looks_like_html(data):
        return "html"
    return None


def _zip_kind(data: bytes, by_name: str | None) -> str:
    """A ZIP: Word if it has ``word/document.xml``, OFD if ``OFD.xml``; refuse other Office/ODF/archives by name."""
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except Exception:  # BadZipFile, NotImplementedError (odd versions), OSError…
        # Truncated or corrupt: let the extractor the name points to give the precise message.
        return "ofd" if by_name == "ofd" else "docx"
    if "word/document.xml" in names or any(n.endswith("document.xml") and n.startswith("word/") for n in names):
        return "docx"
    if "OFD.xml" in names or "ofd.xml" in names:
        return "ofd"
    if "xl/workbook.xml" in names:
        label = "Excel表格（.xlsx）"
    elif "ppt/presentation.xml" in names:
        label = "PowerPoint演示文稿（.pptx）"
    elif "mimetype" in names and "content.xml" in names:
        label = "OpenDocument文档（.odt等）"
    elif "[Content_Types].xml" in names:
        label = "Office文档（但不是Word）"
    else:
        label = "ZIP压缩包"
    raise NoticeFileError(f"上传的是{label}，无法作为通报读取。{ACCEPTED_HINT}", code="unsupported_format")
