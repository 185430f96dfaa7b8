"""Evidence files (佐证材料): what may be attached, checked by name and by content, and how it is served.

A file is accepted only when its extension is one of ``KINDS`` *and* its
first bytes say the same thing (a renamed .exe is not a PDF); a Word or
Excel file must be a real OOXML package.  It is stored under MEDIA_ROOT named
by its SHA-256, so the path never reveals the user's file name, and is only
ever sent by ``EvidenceDownloadView`` as an attachment with the content type
chosen here, never the one the browser declared.
"""
from __future__ import annotations

import dataclasses
import hashlib
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError


@dataclasses.dataclass(frozen=True)
class Kind:
    label: str
    content_type: str


KINDS = {
    "pdf": Kind("PDF", "application/pdf"),
    "png": Kind("PNG图片", "image/png"),
    "jpg": Kind("JPEG图片", "image/jpeg"),
    "jpeg": Kind("JPEG图片", "image/jpeg"),
    "docx": Kind("Word文档", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": Kind("Excel表格", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
ACCEPTED_LABEL = "PDF、图片（.png/.jpg）、Word（.docx）、Excel（.xlsx）"
MAX_FILES_PER_REPORT = 10


def max_bytes() -> int:
    return settings.EVIDENCE_MAX_UPLOAD_BYTES


def _head(uploaded, n=8) -> bytes:
    uploaded.seek(0)
    head = uploaded.read(n)
    uploaded.seek(0)
    return head


def _ooxml_part(uploaded) -> set[str]:
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            return set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return set()
    finally:
        uploaded.seek(0)


def _content_matches(ext: str, uploaded) -> bool:
    head = _head(uploaded)
    if ext == "pdf":
        return head.startswith(b"%PDF-")
    if ext == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if ext in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if not head.startswith(b"PK\x03\x04"):
        return False
    names = _ooxml_part(uploaded)
    return "[Content_Types].xml" in names and (
        "word/document.xml" in names if ext == "docx" else "xl/workbook.xml" in names
    )


def evidence_validate(uploaded) -> str:
    """The extension of an acceptable evidence file, or a ``ValidationError`` in Chinese."""
    name = uploaded.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in KINDS:
        raise ValidationError(f"「{name}」的格式不受支持。佐证材料支持：{ACCEPTED_LABEL}。", code="extension")
    if uploaded.size == 0:
        raise ValidationError(f"「{name}」是空文件。", code="empty")
    if uploaded.size > max_bytes():
        raise ValidationError(f"「{name}」超过了每个文件 {max_bytes() / 1048576:g} MB 的上限。", code="too_large")
    if not _content_matches(ext, uploaded):
        raise ValidationError(f"「{name}」的内容与扩展名不符（不是有效的{KINDS[ext].label}），未上传。", code="content")
    return ext


def sha256_of(uploaded) -> str:
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return digest.hexdigest()


def content_type(ext: str) -> str:
    return KINDS[ext].content_type if ext in KINDS else "application/octet-stream"
