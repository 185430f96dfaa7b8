"""Pure-Python notice parsing: bytes → text → ``ParsedNotice``.

No Django here.  ``extract`` turns an uploaded file's bytes into text (one
extractor per format), ``structure`` turns text into dataclasses.  The
Celery task and the ``parse_notice`` command both go through ``parse_bytes``.
"""
from __future__ import annotations

from .errors import NoticeFileError
from .result import ParsedNotice

__all__ = ["NoticeFileError", "ParsedNotice", "PARSER_VERSION", "parse_bytes", "parse_text"]


def parse_text(text: str) -> ParsedNotice:
    from .structure import parse_text as _parse_text

    return _parse_text(text)


def parse_bytes(data: bytes, filename: str):
    """Extract and parse; returns ``(ExtractedText, ParsedNotice)`` or raises ``NoticeFileError``."""
    from .extract import extract_text

    extracted = extract_text(data, filename)
    return extracted, parse_text(extracted.text)


def __getattr__(name):
    if name == "PARSER_VERSION":
        from .structure import PARSER_VERSION

        return PARSER_VERSION
    raise AttributeError(name)
