"""The value every extractor returns."""
from __future__ import annotations

from dataclasses import dataclass, field

FORMATS = ("txt", "docx", "pdf", "html", "doc")


@dataclass
class ExtractedText:
    """Text pulled out of an uploaded file.

    ``format`` is what the bytes really are (see ``sniff``), not what the
    filename says; ``encoding`` is the character encoding used for text and
    HTML (``None`` for docx/pdf); ``warnings`` are Chinese sentences for the
    reviewer (uncertain encoding, renamed file, dropped content…).
    """

    text: str
    format: str
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
