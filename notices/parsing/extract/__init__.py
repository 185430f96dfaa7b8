"""Uploaded bytes → text, one extractor per format.

``extract_text(data, filename)`` sniffs the real format (``sniff``), hands the
bytes to the registered extractor and returns an ``ExtractedText``.  Every
failure is a ``NoticeFileError`` with a Chinese message for the uploader;
empty text is never returned.

Extractors are plain functions ``extract(data: bytes, ctx: ExtractContext)
-> ExtractedText`` registered by format name in ``EXTRACTORS`` (the idea of
paperless-ngx's parser registry, without the plugin machinery); the context
carries the limits and an OCR progress callback, never settings.  Modules are
imported lazily so reading a ``.txt`` does not pay for PDFium, OCR or lxml.

At this boundary, whatever the format: control characters and bidi
overrides are removed (with a warning saying how many), and the text is
held to ``Limits.max_chars``.
"""
from __future__ import annotations

import importlib
import logging
from typing import Callable

from ..errors import NoticeFileError
from ._text import han_count, strip_controls
from .base import (  # noqa: F401 (re-exported)
    DEFAULT_CONTEXT, FORMATS, ExtractContext, ExtractedText, Limits, current_context, using_context,
)
from .budget import limit_exceeded
from .sniff import ACCEPTED_HINT, extension_of, looks_like_mhtml, sniff_format

__all__ = [
    "DEFAULT_CONTEXT", "EXTRACTORS", "ExtractContext", "using_context", "ExtractedText", "FORMATS", "Limits", "MAX_BYTES", "extract_text", "get_extractor",
]

logger = logging.getLogger(__name__)

Extractor = Callable[[bytes, ExtractContext], ExtractedText]

# format → module holding ``extract(data) -> ExtractedText``
EXTRACTORS: dict[str, str] = {
    "txt": "txt",
    "docx": "docx",
    "pdf": "pdf",
    "html": "html",
    "doc": "doc",
    "ofd": "ofd",
    "image": "image",
}

# A notice is tens of kilobytes; a 50 MB upload is a mistake or an attack.
MAX_BYTES = 50 * 1024 * 1024

# A renamed HTML file (``x.pdf`` that is really a page) is read only when it
# carries a notice's worth of Chinese; otherwise it is an error page the user
# downloaded by mistake.
_MIN_HAN_FOR_RENAMED = 100


def get_extractor(fmt: str) -> Extractor:
    module = importlib.import_module(f"{__name__}.{EXTRACTORS[fmt]}")
    return module.extract


def extract_text(data: bytes, filename: str, ctx: ExtractContext | None = None) -> ExtractedText:
    """Return the text of an uploaded notice, or raise ``NoticeFileError``.

    ``ctx`` defaults to the one set by ``using_context`` (or the default limits).
    """
    ctx = ctx or current_context()
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    elif not isinstance(data, bytes):
        # A caller's bug, not a bad file: do not dress it up as a Chinese message.
        raise TypeError(f"extract_text() needs bytes, got {type(data).__name__}")
    if len(data) > MAX_BYTES:
        raise NoticeFileError(
            f"文件过大（{len(data) / 1048576:.0f} MB），通报文件一般不超过几MB，请检查是否上传错了文件",
            code="too_large",
        )
    fmt = "txt"
    try:
        fmt, warnings = sniff_format(data, filename)
        result = get_extractor(fmt)(data, ctx)
    except NoticeFileError:
        raise
    except (MemoryError, RecursionError) as exc:
        logger.warning("extractor %s gave up on %r: %r", fmt, filename, exc)
        raise limit_exceeded("文件结构过于复杂") from exc
    except Exception as exc:  # a library choking on a malformed file
        logger.warning("extractor %s failed on %r", fmt, filename, exc_info=True)
        raise NoticeFileError(
            f"文件无法读取（{_FORMAT_NAMES.get(fmt, fmt)}格式可能已损坏），请用原程序重新保存后上传。{ACCEPTED_HINT}",
            code="corrupt",
        ) from exc

    ext = extension_of(filename)
    if (
        fmt == "html"
        and ext in ("pdf", "docx", "doc")
        and not looks_like_mhtml(data)  # Word's own "single file web page" saved as .doc
        and han_count(result.text) < _MIN_HAN_FOR_RENAMED
    ):
        raise NoticeFileError(
            f"文件扩展名为.{ext}，但内容是一个网页（可能是下载失败时得到的错误页面），其中没有通报正文，请重新下载原文件后上传",
            code="format_mismatch",
        )
    result.text, removed = strip_controls(result.text)
    if len(result.text) > ctx.limits.max_chars:
        raise limit_exceeded(f"提取出的文字超过{ctx.limits.max_chars}个字符")
    if not result.text.strip():
        raise NoticeFileError("文件中没有可读取的文字，请检查文件内容后重新上传", code="no_text")
    result.warnings[:0] = warnings
    result.warnings.extend(removed)
    return result


_FORMAT_NAMES = {"txt": "文本", "docx": "Word", "pdf": "PDF", "html": "网页", "doc": "Word", "ofd": "OFD",
                 "image": "图片"}
