"""Refuse PDF decompression bombs before PDFium inflates anything.

PDFium decodes a content stream, font or object stream whole and in
memory, so every stream is decoded here first, in steps, discarding the
output and charging it to a byte budget.  Two passes, because neither alone
sees everything a reader might:

1. **Structural** (pypdf): every stream object with its real filter chain —
   filters declared anywhere in the dictionary, indirect ``/Filter`` objects,
   objects inside object streams, any end-of-line after ``stream`` — decoded
   with the bounded decoders of ``budget`` (Flate, LZW, RunLength, ASCII85,
   ASCIIHex, chained).  Images are decoded by PDFium scanline by scanline,
   so for them only the declared pixel count is recorded.
2. **Raw** (no parsing at all): at every ``stream`` keyword, whatever
   follows is inflated if it is a zlib stream, to its own end marker, and
   inflated again if the output is itself zlib data.  This catches streams
   pypdf does not see the way PDFium does (broken cross-reference tables,
   duplicate objects).  No single stream may pass ``max_inflated``; all
   together may pass it fourfold (scanned pages stored as Flate images are
   big but honest).
"""
from __future__ import annotations

import base64
import binascii
import io
import logging
import re
from dataclasses import dataclass

from .base import Limits
from .budget import Budget, inflate, inflate_chunks, limit_exceeded, lzw_chunks, run_length_chunks

logger = logging.getLogger(__name__)

_STREAM_RE = re.compile(rb"(?<!end)stream")
_EOL_RE = re.compile(rb"[ \t\x00\x0c]*(\r\n|\r|\n)?")
_ZLIB_HEADS = (b"\x78\x01", b"\x78\x5e", b"\x78\x9c", b"\x78\xda", b"\x1f\x8b")
_MAX_ASCII_INPUT = 64 * 1024 * 1024
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
        for _ in _decode(bytes(raw), names, budget):
            pass
    report.inflated = budget.used


def _decode(raw: bytes, names: list[str], budget: Budget):
    """Yield the decoded output of ``raw`` through ``names``, in bounded chunks."""
    chunks = iter((raw,))
    for name in names:
        if name in ("/FlateDecode", "/Fl"):
            chunks = _tolerant(inflate_chunks(chunks, budget))
        elif name in ("/LZWDecode", "/LZW"):
            chunks = _tolerant(lzw_chunks(chunks, budget))
        elif name in ("/RunLengthDecode", "/RL"):
            chunks = _tolerant(run_length_chunks(chunks, budget))
        elif name in ("/ASCII85Decode", "/A85"):
            chunks = iter((_charged(_a85(_joined(chunks)), budget),))
        elif name in ("/ASCIIHexDecode", "/AHx"):
            chunks = iter((_charged(_ahx(_joined(chunks)), budget),))
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


def _joined(chunks) -> bytes:
    # The ASCII filters shrink their input (ASCII85's 'z' aside): only a
    # chain that puts them after a decompressor can feed them much.
    data = bytearray()
    for chunk in chunks:
        data += chunk
        if len(data) > _MAX_ASCII_INPUT:
            raise limit_exceeded("PDF内部数据编码异常")
    return bytes(data)


def _charged(data: bytes, budget: Budget) -> bytes:
    budget.charge(len(data))
    return data


def _a85(data: bytes) -> bytes:
    # At most 4 bytes out per byte in ('z'), and the input is the upload itself.
    data = data.strip()
    end = data.find(b"~>")
    if end >= 0:
        data = data[:end]
    if data.startswith(b"<~"):
        data = data[2:]
    try:
        return base64.a85decode(re.sub(rb"\s", b"", data))
    except ValueError:
        return b""


def _ahx(data: bytes) -> bytes:
    data = re.sub(rb"[^0-9A-Fa-f]", b"", data.split(b">", 1)[0])
    try:
        return binascii.unhexlify(data + b"0" * (len(data) % 2))
    except binascii.Error:
        return b""


# --- 2. raw ------------------------------------------------------------------------------


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
