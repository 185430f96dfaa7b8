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


def parse_bytes(data: bytes, filename: str, ctx=None):
    """Extract and parse; returns ``(ExtractedText, ParsedNotice)`` or raises ``NoticeFileError``.

    ``ctx`` (an ``extract.ExtractContext``, by default the one set with
    ``extract.using_context``) carries the limits and the OCR progress callback.  What the extraction knows about its own reliability
    is folded into the parse: OCR'd text caps the confidence at medium and
    adds its review reason, so callers only copy ``confidence`` and
    ``review_reasons``.
    """
    import dataclasses

    from .extract import extract_text

    extracted = extract_text(data, filename, ctx)
    parsed = parse_text(extracted.text)
    cap = extracted.max_confidence
    if cap is not None or extracted.review_reasons:
        order = ("low", "medium", "high")
        confidence = parsed.confidence
        if cap is not None and order.index(confidence) > order.index(cap):
            confidence = cap
        parsed = dataclasses.replace(
            parsed, confidence=confidence, review_reasons=[*extracted.review_reasons, *parsed.review_reasons]
        )
    return extracted, parsed


def __getattr__(name):
    if name == "PARSER_VERSION":
        from .structure import PARSER_VERSION

        return PARSER_VERSION
    raise AttributeError(name)
