"""Decompression with a byte budget: a bomb is stopped while it inflates, not recognised by its shape.

Every decoder here consumes its input in steps and charges each step's
output to a ``Budget``; the first step past the budget raises the one Chinese
message 「文件过大或结构异常，已停止解析」 (code ``limit_exceeded``), which the
task records once and never retries.  Nothing is inflated whole.
"""
from __future__ import annotations

import base64
import binascii
import io
import zipfile
import zlib

from ..errors import NoticeFileError

LIMIT_MESSAGE = "文件过大或结构异常，已停止解析"
LIMIT_CODE = "limit_exceeded"

_STEP = 1 << 20  # output per inflate call
_FEED = 1 << 16  # input per inflate call


def limit_exceeded(detail: str = "") -> NoticeFileError:
    message = f"{LIMIT_MESSAGE}（{detail}）" if detail else LIMIT_MESSAGE
    return NoticeFileError(message, code=LIMIT_CODE)


class Budget:
    """A running total of decoded bytes that refuses to pass ``limit``."""

    def __init__(self, limit: int, what: str):
        self.limit = limit
        self.what = what
        self.used = 0

    def charge(self, n: int) -> None:
        self.used += n
        if self.used > self.limit:
            raise limit_exceeded(f"{self.what}解压后超过{self.limit / 1048576:.0f} MB")


def inflate(data: bytes | memoryview, budget: Budget, *, start: int = 0, wbits: int = zlib.MAX_WBITS | 32,
            keep: int = 0) -> tuple[int, bytes] | None:
    """Inflate the zlib/gzip stream at ``data[start:]`` until it ends, charging ``budget``.

    The stream is read up to its own end marker, not to a delimiter the
    file claims, so bytes that look like ``endstream`` inside it change
    nothing.  Returns ``(inflated_size, first `keep` bytes of output)``, or
    ``None`` when the bytes are not a deflate stream at all.
    """
    view = memoryview(data)[start:]
    inflater = zlib.decompressobj(wbits)
    size = 0
    head = bytearray()
    pos = 0
    pending = b""
    try:
        while not inflater.eof:
            if not pending:
                if pos >= len(view):
                    break  # truncated: what inflated so far is what a reader gets
                pending = bytes(view[pos : pos + _FEED])
                pos += len(pending)
            out = inflater.decompress(pending, _STEP)
            pending = inflater.unconsumed_tail
            size += len(out)
            budget.charge(len(out))
            if len(head) < keep:
                head += out[: keep - len(head)]
    except zlib.error:
        if size == 0:
            return None
    return size, bytes(head)


def inflate_chunks(chunks, budget: Budget, wbits: int = zlib.MAX_WBITS | 32):
    """Inflate an iterable of compressed chunks, yielding output chunks (for chained filters)."""
    inflater = zlib.decompressobj(wbits)
    for chunk in chunks:
        while chunk and not inflater.eof:
            out = inflater.decompress(chunk, _STEP)
            chunk = inflater.unconsumed_tail
            budget.charge(len(out))
            if out:
                yield out
        if inflater.eof:
            return


def lzw_chunks(chunks, budget: Budget, early_change: int = 1):
    """The PDF LZWDecode filter over an iterable of input chunks, bounded: yields output pieces."""
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""]
    width = 9
    bits = nbits = 0
    prev: bytes | None = None
    out = bytearray()
    for chunk in chunks:
        for byte in chunk:
            bits = (bits << 8) | byte
            nbits += 8
            if nbits < width:
                continue
            nbits -= width
            code = bits >> nbits
            bits &= (1 << nbits) - 1
            if code == 256:  # clear table
                del table[258:]
                width, prev = 9, None
                continue
            if code == 257:  # end of data
                budget.charge(len(out))
                yield bytes(out)
                return
            if code < len(table):
                entry = table[code]
            elif code == len(table) and prev is not None:
                entry = prev + prev[:1]
            else:
                raise ValueError("bad LZW code")
            out += entry
            if prev is not None and len(table) < 4096:
                table.append(prev + entry[:1])
            prev = entry
            if len(table) + early_change >= (1 << width) and width < 12:
                width += 1
            if len(out) >= _STEP:
                budget.charge(len(out))
                yield bytes(out)
                out.clear()
    budget.charge(len(out))
    yield bytes(out)


def run_length_chunks(chunks, budget: Budget):
    """The PDF RunLengthDecode filter over an iterable of input chunks, bounded."""
    out = bytearray()
    data = b""
    for chunk in chunks:
        data += chunk
        i = 0
        n = len(data)
        while i < n:
            length = data[i]
            if length == 128:
                budget.charge(len(out))
                yield bytes(out)
                return
            need = length + 2 if length < 128 else 2
            if i + need > n:
                break  # the run continues in the next chunk
            if length < 128:
                out += data[i + 1 : i + need]
            else:
                out += data[i + 1 : i + 2] * (257 - length)
            i += need
            if len(out) >= _STEP:
                budget.charge(len(out))
                yield bytes(out)
                out.clear()
        data = data[i:]
    budget.charge(len(out))
    yield bytes(out)


_HEX = b"0123456789abcdefABCDEF"
_NOT_HEX = bytes(b for b in range(256) if b not in _HEX)
_NOT_A85 = bytes(b for b in range(256) if not (0x21 <= b <= 0x75 or b == 0x7A))


def ascii_hex_chunks(chunks, budget: Budget):
    """The PDF ASCIIHexDecode filter, streaming, to its ``>``; any other byte is skipped.

    Skipping rather than stopping at a stray byte means this never decodes
    less than a stricter reader would (only more), which is the safe side
    for a guard.
    """
    carry = b""
    for chunk in chunks:
        end = chunk.find(b">")
        digits = carry + (chunk if end < 0 else chunk[:end]).translate(None, _NOT_HEX)
        even = len(digits) & ~1
        out, carry = binascii.unhexlify(digits[:even]), digits[even:]
        budget.charge(len(out))
        if out:
            yield out
        if end >= 0:
            break
    if carry:
        budget.charge(1)
        yield binascii.unhexlify(carry + b"0")


def ascii85_chunks(chunks, budget: Budget):
    """The PDF ASCII85Decode filter, streaming, to its ``~``; bytes outside the alphabet are skipped."""
    carry = b""
    first = True
    for chunk in chunks:
        if first:
            chunk = chunk.lstrip()
            if chunk.startswith(b"<~"):
                chunk = chunk[2:]
            first = False
        end = chunk.find(b"~")
        # 'z' stands for four zero bytes (only between groups; accepted anywhere here).
        group = carry + (chunk if end < 0 else chunk[:end]).translate(None, _NOT_A85).replace(b"z", b"!!!!!")
        whole = len(group) - len(group) % 5
        try:
            out = base64.a85decode(group[:whole])
        except ValueError:  # a group above 2**32: readers stop there
            return
        carry = group[whole:]
        budget.charge(len(out))
        if out:
            yield out
        if end >= 0:
            break
    if len(carry) > 1:  # a final partial group of n characters gives n - 1 bytes
        try:
            out = base64.a85decode(carry + b"u" * (5 - len(carry)))[: len(carry) - 1]
        except ValueError:
            return
        budget.charge(len(out))
        yield out


# --- ZIP containers (docx, OFD) ------------------------------------------------------


def read_zip(data: bytes, *, budget: Budget, max_members: int, max_part: int, max_tags: int = 600_000,
             parts: tuple[str, ...] = (), part_label: str = "文件") -> dict[str, bytes]:
    """Inflate every member of a ZIP under ``budget`` (sizes are measured, not taken from the directory).

    Members whose name ends with one of ``parts`` are returned (each at
    most ``max_part`` bytes and ``max_tags`` tags inflated); the rest are inflated and dropped, so
    a reader that opens the archive afterwards only meets sizes proven here.
    Raises ``zipfile.BadZipFile``/``OSError``… for a broken archive: the
    caller turns those into its own "corrupt" message.
    """
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    if len(infos) > max_members:
        raise limit_exceeded(f"压缩包内有{len(infos)}个文件")
    kept: dict[str, bytes] = {}
    for info in infos:
        if info.is_dir():
            continue
        wanted = info.filename.endswith(parts) if parts else False
        is_xml = info.filename.lower().endswith((".xml", ".rels"))
        size = tags = 0
        pieces: list[bytes] = []
        with archive.open(info) as member:
            while True:
                piece = member.read(_STEP)
                if not piece:
                    break
                size += len(piece)
                budget.charge(len(piece))
                if is_xml:
                    if size > max_part:
                        raise limit_exceeded(f"{part_label}内部的{info.filename}解压后超过{max_part / 1048576:.0f} MB")
                    tags += piece.count(b"<")
                    if tags > max_tags:
                        raise limit_exceeded(f"{part_label}内部的{info.filename}含超过{max_tags}个标签")
                if wanted:
                    pieces.append(piece)
        if wanted:
            kept[info.filename] = b"".join(pieces)
    return kept
