"""What every extractor gets (an immutable context) and returns (``ExtractedText``)."""
from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass, field
from typing import Callable

FORMATS = ("txt", "docx", "pdf", "html", "doc", "ofd", "image")

# Where the text came from: the file's own text, OCR of page images, or a
# conversion (LibreOffice for .doc/.wps).
TEXT_SOURCES = ("text", "ocr", "converted")


@dataclass(frozen=True)
class Limits:
    """Bounds that keep a hostile or absurd file from exhausting a worker.

    Past any of them the notice fails once with a Chinese message (never a
    retry).  The defaults suit a notice of tens of pages; the Django side
    builds this from settings and passes it in, so parsing never reads settings.
    """

    max_pages: int = 500  # pages of a text PDF / OFD
    max_ocr_pages: int = 30  # page images recognised per file
    max_pixels: int = 40_000_000  # per page image, before OCR
    max_chars: int = 2_000_000  # characters of extracted text
    max_inflated: int = 256 * 1024 * 1024  # decompressed bytes (PDF streams, zip members)
    max_xml_part: int = 24 * 1024 * 1024  # one XML part of a docx/OFD, inflated
    # Tags (``<``) in one XML part: a tree costs ~400 bytes an element, so
    # 20 MB of ``<w:p/>`` (a million empty paragraphs) took 360 MB and 6 s.
    # A 100-page notice has ~200 000.
    max_xml_tags: int = 600_000
    max_html_bytes: int = 8 * 1024 * 1024  # markup, without inline data: URIs
    # ``<`` in the markup (opening and closing tags): a portal page has a few
    # thousand; 200 000 took BeautifulSoup 4.5 s and 140 MB.
    max_html_tags: int = 100_000
    ocr_dpi: int = 200  # page rendering for OCR
    convert_timeout: float = 120.0  # seconds for one LibreOffice conversion
    convert_memory_mb: int = 2048  # address space of the LibreOffice process (0: what the worker has)


# ``progress(done, total)`` is called as OCR pages finish; the Django side
# stores it on the notice so the upload page can show 「正在识别第3/7页」.
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExtractContext:
    limits: Limits = field(default_factory=Limits)
    progress: Progress | None = None

    def report(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(done, total)


DEFAULT_CONTEXT = ExtractContext()

# The context of the extraction running in this thread/task, for callers that
# go through ``parse_bytes(data, filename)`` without passing one.
_current: contextvars.ContextVar[ExtractContext] = contextvars.ContextVar("extract_context", default=DEFAULT_CONTEXT)


def current_context() -> ExtractContext:
    return _current.get()


@contextlib.contextmanager
def using_context(ctx: ExtractContext):
    """``with using_context(ctx): parse_bytes(data, name)`` — limits and progress for what runs inside."""
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


@dataclass
class ExtractedText:
    """Text pulled out of an uploaded file.

    ``format`` is what the bytes really are (see ``sniff``), not what the
    filename says; ``encoding`` is the character encoding used for text and
    HTML (``None`` for binary formats); ``warnings`` are Chinese sentences for
    the reviewer (uncertain encoding, renamed file, dropped content…).
    ``text_source`` says whether the text was in the file, recognised by OCR
    (then ``ocr_confidence`` is the engine's mean confidence, 0–1) or
    produced by a conversion.
    """

    text: str
    format: str
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    text_source: str = "text"
    ocr_confidence: float | None = None
    pages: int | None = None

    @property
    def review_reasons(self) -> list[str]:
        """Why a reviewer must look no matter how well the structure parsed (Chinese)."""
        if self.text_source == "ocr":
            score = f"{self.ocr_confidence:.2f}" if self.ocr_confidence is not None else "未知"
            return [f"文字由OCR识别，平均置信度{score}，请对照原件核对"]
        return []

    @property
    def max_confidence(self) -> str | None:
        """The highest parse confidence this text allows (``None``: no cap)."""
        return "medium" if self.text_source == "ocr" else None
