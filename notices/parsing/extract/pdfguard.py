"""Refuse PDF decompression bombs before PDFium inflates anything.

PDFium decodes a content stream, font or object stream whole and in
memory, so every stream is decoded here first, in steps, discarding the
output and charging it to a byte budget.  Three passes, because none alone
sees everything a reader might:

1. **Structural** (pypdf): every stream object with its real filter chain —
   filters declared anywhere in the dictionary, indirect ``/Filter`` objects,
   objects inside object streams, any end-of-line after ``stream`` — decoded
   with the bounded decoders of ``budget`` (Flate, LZW, RunLength, ASCII85,
   ASCIIHex, chained).  Images are decoded by PDFium scanline by scanline,
   so for them only the declared pixel count is recorded.
2. **Scanned** (``pdfscan``, no cross-reference table): every ``N G obj``
   in the file and in its object streams, each stream decoded through every
   chain its /Filter may mean.  pypdf skips objects a broken table does not
   point to; PDFium rebuilds the table and reads them (a 1 MB file whose
   ASCII85+Flate stream inflates to 1 GiB took a worker to 2.1 GB that way,
   and a 1 GiB LZW stream makes PDFium abort the whole process).
3. **Raw** (no parsing at all): at every ``stream`` keyword, whatever
   follows is inflated if it is a zlib stream, to its own end marker, and
   inflated again if the output is itself zlib data.  This catches streams
   pypdf does not see the way PDFium does (broken cross-reference tables,
   duplicate objects).  No single stream may pass ``max_inflated``; all
   together may pass it fourfold (scanned pages stored as Flate images are
   big but honest).
"""
from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass

from . import pdfscan
from .base import Limits
from .budget import (
    Budget, ascii85_chunks, ascii_hex_chunks, inflate, inflate_chunks, limit_exceeded, lzw_chunks, run_length_chunks,
)

logger = logging.getLogger(__name__)

_STREAM_RE = re.compile(rb"(?<!end)stream")
_EOL_RE = re.compile(rb"[ \t\x00\x0c]*(\r\n|\r|\n)?")
_ZLIB_HEADS = (b"\x78\x01", b"\x78\x5e", b"\x78\x9c", b"\x78\xda", b"\x1f\x8b")
_MAX_OBJECTS = 200_000  # a notice has hundreds; each one costs a lookup here
_IMAGE_FILTERS = {"/DCTDecode", "/DCT", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode", "/CCF", "/Crypt"}


@dataclass
class GuardReport:
    inflated: int = 0  # bytes of non-image stream data, decoded
    largest_image: int = 0  # pixels of the largest image XObject
    structural: bool = False  # whether the structural pass could read the file


def check_pdf(data: bytes, limits: Limits) -> GuardReport:
    """Raise ``NoticeFileError`` (``limit_exceeded``) for a bomb; otherwise say what was found."""
    report = GuardReport()
    _structural(data, limits, report)
    _scanned(data, limits)
    _raw(data, limits)
    return report


# --- 1. structural ---------------------------------------------------------------------


def _structural(data: bytes, limits: Limits, report: GuardReport) -> None:
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, StreamObject

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return  # PDFium will refuse it for the password; nothing gets inflated
        numbers = sorted({num for table in reader.xref.values() for num in table})
    except Exception:  # a file pypdf cannot read at all: the raw pass still guards it
        logger.debug("pdfguard: structural pass skipped", exc_info=True)
        return
    if len(numbers) > _MAX_OBJECTS:
        raise limit_exceeded(f"PDF内部对象数量异常（{len(numbers)}个）")
    report.structural = True
    budget = Budget(limits.max_inflated, "PDF内部数据")
    for num in numbers:
        try:
            obj = reader.get_object(num)
            if not isinstance(obj, StreamObject):
                continue
            filters = obj.get("/Filter")
            filters = filters.get_object() if filters is not None else None
            if filters is None:
                names: list[str] = []
            elif isinstance(filters, ArrayObject):
                names = [str(f.get_object()) for f in filters]
            else:
                names = [str(filters)]
            if obj.get("/Subtype") == "/Image":
                width, height = int(obj.get("/Width", 0) or 0), int(obj.get("/Height", 0) or 0)
                report.largest_image = max(report.largest_image, width * height)
                if any(n in _IMAGE_FILTERS for n in names):
                    continue  # decoded scanline by scanline, bounded by its pixel count
            raw = obj._data  # as stored in the file (decrypted, not decoded)
        except Exception as exc:
            if getattr(exc, "code", None) == "limit_exceeded":
                raise
            continue  # an object pypdf cannot read is left to PDFium (and the raw pass)
        if not isinstance(raw, (bytes, bytearray)):
            continue
        for _ in _decode(iter((bytes(raw),)), names, budget):
            pass
    report.inflated = budget.used


def _decode(chunks, names: list[str], budget: Budget, early_change: int = 1):
    """Yield the decoded output of ``chunks`` (raw stream bytes) through ``names``, in bounded chunks."""
    for name in names:
        if name in ("/FlateDecode", "/Fl"):
            chunks = _tolerant(inflate_chunks(chunks, budget))
        elif name in ("/LZWDecode", "/LZW"):
            chunks = _tolerant(lzw_chunks(chunks, budget, early_change))
        elif name in ("/RunLengthDecode", "/RL"):
            chunks = _tolerant(run_length_chunks(chunks, budget))
        elif name in ("/ASCII85Decode", "/A85"):
            chunks = _tolerant(ascii85_chunks(chunks, budget))
        elif name in ("/ASCIIHexDecode", "/AHx"):
            chunks = _tolerant(ascii_hex_chunks(chunks, budget))
        else:
            break  # image codecs and unknown filters: nothing that PDFium inflates whole
    yield from chunks


def _tolerant(chunks):
    """A damaged stream decodes as far as it goes, as in PDFium; only the budget error escapes."""
    try:
        yield from chunks
    except Exception as exc:  # zlib.error, a bad LZW code…
        if getattr(exc, "code", None) == "limit_exceeded":
            raise


# --- 2. every object as scanned, without a cross-reference table ---------------------------


def _scanned(data: bytes, limits: Limits) -> None:
    """Decode every stream object ``pdfscan`` finds, through every filter chain its /Filter may mean.

    This is what closes files whose cross-reference table is missing or
    wrong: pypdf skips their objects, PDFium rebuilds the table and reads them.
    """
    found = pdfscan.scan(data, max_objects=_MAX_OBJECTS)
    total = Budget(4 * limits.max_inflated, "PDF内部数据")
    for stream in found.streams:  # first the object streams: they may hold an indirect /Filter
        if stream.dictionary.get("/Type") == "/ObjStm":
            for names, early in found.filter_chains(stream.dictionary)[:1] or [([], 1)]:
                content = bytearray()
                for piece in _decode(_window(data, stream, found), names, Budget(limits.max_inflated, "PDF内部数据"),
                                     early):
                    if len(content) < 16 * 1024 * 1024:
                        content += piece
                pdfscan.add_object_stream(found, stream.dictionary, bytes(content), _MAX_OBJECTS)
    for stream in found.streams:
        for index, (names, early) in enumerate(found.filter_chains(stream.dictionary)):
            for n, start in enumerate(_starts(data, stream.start)):
                one = Budget(limits.max_inflated, "PDF内部数据")
                budget = _Both(one, total) if index == n == 0 else one
                for _ in _decode(_window(data, stream, found, start), names, budget, early):
                    pass


def _window(data: bytes, stream: "pdfscan.StreamObject", found: "pdfscan.Scan", start: int | None = None):
    """The stream's bytes in pieces: at least as many as any reader takes for its data.

    From the first place its data may start to the farther of the first
    ``endstream`` and the declared /Length (either may be a lie; a reader
    believes one of them).
    """
    start = _starts(data, stream.start)[0] if start is None else start
    end = data.find(b"endstream", start)
    end = len(data) if end < 0 else end
    for length in found.resolve(stream.dictionary.get("/Length")):
        if isinstance(length, int) and 0 < length and start + length <= len(data):
            end = max(end, start + length)
    pos = start
    while pos < end:
        yield data[pos : min(end, pos + (1 << 16))]
        pos += 1 << 16


# --- 3. raw ------------------------------------------------------------------------------


def _raw(data: bytes, limits: Limits) -> None:
    total = Budget(4 * limits.max_inflated, "PDF内部数据")
    seen: set[int] = set()
    for m in _STREAM_RE.finditer(data):
        for start in _starts(data, m.end()):
            if start in seen or start >= len(data):
                continue
            seen.add(start)
            if data[start : start + 2] not in _ZLIB_HEADS and not _maybe_zlib(data, start):
                continue
            one = Budget(limits.max_inflated, "PDF内部数据")
            result = inflate(data, _Both(one, total), start=start, keep=2)
            if result is not None and result[1] in _ZLIB_HEADS:
                _inflate_twice(data, start, _Both(one, total))


def _starts(data: bytes, end: int) -> list[int]:
    """Where a stream's data may begin after the ``stream`` keyword, as lenient readers see it."""
    m = _EOL_RE.match(data, end)
    starts = [m.end()]
    if m.group(1) is None:
        # No end-of-line: some readers start right here, others skip to the next line.
        newline = min((i for i in (data.find(b"\n", end, end + 256), data.find(b"\r", end, end + 256)) if i >= 0),
                      default=-1)
        if newline >= 0:
            starts.append(newline + 1)
    return starts


def _maybe_zlib(data: bytes, start: int) -> bool:
    head = data[start : start + 2]
    return len(head) == 2 and head[0] & 0x0F == 8 and ((head[0] << 8) | head[1]) % 31 == 0


def _inflate_twice(data: bytes, start: int, budget) -> None:
    """A Flate stream whose output is Flate again ([/FlateDecode /FlateDecode]): inflate both, bounded."""

    def feed():
        pos = start
        while pos < len(data):
            yield data[pos : pos + (1 << 16)]
            pos += 1 << 16

    for _ in _tolerant(inflate_chunks(_tolerant(inflate_chunks(feed(), _Free())), budget)):
        pass


class _Free:
    """The first layer of a chain was already charged by ``inflate``."""

    def charge(self, n: int) -> None:
        pass


class _Both:
    def __init__(self, *budgets: Budget):
        self.budgets = budgets

    def charge(self, n: int) -> None:
        for budget in self.budgets:
            budget.charge(n)
