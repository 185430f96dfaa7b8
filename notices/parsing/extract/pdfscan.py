"""Every stream object of a PDF as its bytes say, without a cross-reference table.

pypdf finds objects through the file's cross-reference table; when that
table is missing or points to the wrong offsets, pypdf gives up or skips
the objects, while PDFium rebuilds the table by scanning for ``N G obj``
and reads them all.  So this module scans the same way, only wider: every
``N G obj`` anywhere in the file (and in every object stream) is parsed
with a small tolerant lexer, and every object followed by ``stream`` is
returned with its dictionary and where its data may start.  ``/Filter``
values given by reference are resolved against every definition found of
that object, so a reader cannot pick one this scan did not consider.

Pure and bounded: at most ``max_objects`` objects, each parsed with a
token and depth limit; object streams are decoded under the caller's budget.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_OBJ_RE = re.compile(rb"(\d{1,10})[\x00\t\n\x0c\r ]+(\d{1,5})[\x00\t\n\x0c\r ]+obj(?![A-Za-z])")
_WS = b"\x00\t\n\x0c\r "
_REGULAR_RE = re.compile(rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]+")
_NAME_ESCAPE_RE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STRING_RE = re.compile(rb"[()\\]")
_MAX_TOKENS = 4096  # per object: a stream dictionary has tens
_MAX_DEPTH = 16
_MAX_CANDIDATES = 8  # definitions of one object number considered
_KEEP_OBJSTM = 16 * 1024 * 1024  # decoded bytes of one object stream parsed for objects


class Name(str):
    pass


@dataclass(frozen=True)
class Ref:
    num: int


class _Keyword(str):
    pass


class _TooBig(Exception):
    pass


@dataclass
class StreamObject:
    num: int
    dictionary: dict
    start: int  # offset of the keyword ``stream``'s end in the scanned bytes


@dataclass
class Scan:
    objects: dict[int, list] = field(default_factory=dict)  # number → every definition found
    streams: list[StreamObject] = field(default_factory=list)
    # Bytes the lexers may walk through strings and comments, all objects
    # together: an unterminated string per object must not make this quadratic.
    work: int = 0

    def add(self, num: int, value) -> None:
        found = self.objects.setdefault(num, [])
        if len(found) < _MAX_CANDIDATES:
            found.append(value)

    def resolve(self, value, depth: int = 0) -> list:
        """Every value ``value`` may stand for (one, unless it is a reference with several definitions)."""
        if not isinstance(value, Ref):
            return [value]
        if depth > 4:
            return []
        out = []
        for candidate in self.objects.get(value.num, []):
            out.extend(self.resolve(candidate, depth + 1))
        return out[:_MAX_CANDIDATES]

    def filter_chains(self, dictionary: dict) -> list[tuple[list[str], int]]:
        """Each ``(filter names, LZW EarlyChange)`` the stream's /Filter may mean."""
        chains: list[tuple[list[str], int]] = []
        early = 1
        for parms in self.resolve(dictionary.get("/DecodeParms", dictionary.get("/DP"))):
            for p in parms if isinstance(parms, list) else [parms]:
                for d in self.resolve(p):
                    if isinstance(d, dict) and d.get("/EarlyChange") == 0:
                        early = 0
        for value in self.resolve(dictionary.get("/Filter", dictionary.get("/F"))):
            if isinstance(value, Name):
                chains.append(([str(value)], early))
            elif isinstance(value, list):
                names: list[list[str]] = [[]]
                for item in value[:8]:
                    options = [str(v) for v in self.resolve(item) if isinstance(v, Name)] or [""]
                    names = [n + [o] for n in names for o in options][:_MAX_CANDIDATES]
                chains.extend((n, early) for n in names)
        return chains[:_MAX_CANDIDATES]


def scan(data: bytes, *, max_objects: int) -> Scan:
    """Every ``N G obj`` in ``data``, parsed; stream objects listed with where their keyword ends."""
    from .budget import limit_exceeded

    result = Scan(work=4 * len(data) + (1 << 20))
    count = 0
    for m in _OBJ_RE.finditer(data):
        count += 1
        if count > max_objects:
            raise limit_exceeded(f"PDF内部对象数量异常（超过{max_objects}个）")
        lexer = _Lexer(data, m.end(), result)
        try:
            value = lexer.value()
        except (_TooBig, ValueError, IndexError):
            continue
        num = int(m.group(1))
        result.add(num, value)
        if isinstance(value, dict) and lexer.keyword_next(b"stream"):
            result.streams.append(StreamObject(num, value, lexer.pos))


    return result


def add_object_stream(result: Scan, dictionary: dict, content: bytes, max_objects: int) -> None:
    """Add the objects packed in a decoded object stream (``/Type /ObjStm``) to ``result``."""
    content = content[:_KEEP_OBJSTM]
    n, first = dictionary.get("/N"), dictionary.get("/First")
    if not isinstance(n, int) or not isinstance(first, int) or n < 0 or first < 0:
        return
    header = _Lexer(content, 0, result)
    pairs = []
    try:
        for _ in range(min(n, max_objects)):
            num, offset = header.value(), header.value()
            if not (isinstance(num, int) and isinstance(offset, int)):
                break
            pairs.append((num, offset))
    except (_TooBig, ValueError, IndexError):
        pass
    for num, offset in pairs:
        try:
            result.add(num, _Lexer(content, first + offset, result).value())
        except (_TooBig, ValueError, IndexError):
            continue


class _Lexer:
    """Just enough of the PDF syntax for dictionaries, arrays, names, numbers and references."""

    def __init__(self, data: bytes, pos: int, scan: Scan):
        self.data = data
        self.pos = pos
        self.tokens = 0
        self.scan = scan

    def _walked(self, n: int) -> None:
        self.scan.work -= n
        if self.scan.work < 0:
            from .budget import limit_exceeded

            raise limit_exceeded("PDF结构异常")

    def _skip(self) -> None:
        data, n = self.data, len(self.data)
        while self.pos < n:
            c = data[self.pos]
            if c in _WS:
                self.pos += 1
            elif c == 0x25:  # % comment to end of line
                end = min((i for i in (data.find(b"\n", self.pos), data.find(b"\r", self.pos)) if i >= 0), default=n)
                self._walked(end - self.pos)
                self.pos = end
            else:
                return

    def keyword_next(self, word: bytes) -> bool:
        self._skip()
        if self.data.startswith(word, self.pos):
            self.pos += len(word)
            return True
        return False

    def value(self, depth: int = 0):
        self.tokens += 1
        if self.tokens > _MAX_TOKENS or depth > _MAX_DEPTH:
            raise _TooBig
        self._skip()
        data, pos = self.data, self.pos
        if pos >= len(data):
            raise IndexError
        c = data[pos : pos + 1]
        if data.startswith(b"<<", pos):
            self.pos += 2
            out: dict = {}
            while True:
                self._skip()
                if self.data.startswith(b">>", self.pos):
                    self.pos += 2
                    return out
                key = self.value(depth + 1)
                if not isinstance(key, Name):
                    if isinstance(key, _Keyword) and key in ("endobj", "stream"):
                        raise ValueError("unterminated dictionary")
                    continue
                out[str(key)] = self.value(depth + 1)
        if c == b"[":
            self.pos += 1
            items: list = []
            while True:
                self._skip()
                if self.data.startswith(b"]", self.pos):
                    self.pos += 1
                    return items
                item = self.value(depth + 1)
                if isinstance(item, _Keyword) and item in ("endobj", "stream"):
                    raise ValueError("unterminated array")
                items.append(item)
        if c == b"/":
            m = _REGULAR_RE.match(data, pos + 1)
            raw = m.group() if m else b""
            self.pos = pos + 1 + len(raw)
            raw = _NAME_ESCAPE_RE.sub(lambda e: bytes([int(e.group(1), 16)]), raw)
            return Name("/" + raw.decode("latin-1"))
        if c == b"(":
            self._string()
            return b""
        if c == b"<":
            end = data.find(b">", pos)
            self._walked((end if end >= 0 else len(data)) - pos)
            if end < 0:
                raise ValueError("unterminated hex string")
            self.pos = end + 1
            return b""
        if c in (b")", b">", b"]", b"{", b"}"):
            self.pos += 1
            return _Keyword(c.decode())
        m = _REGULAR_RE.match(data, pos)
        word = m.group()
        self.pos = m.end()
        if re.fullmatch(rb"[+-]?\d+", word):
            number = int(word)
            # ``N G R`` is a reference: look ahead without consuming otherwise.
            save = self.pos
            self._skip()
            m2 = _REGULAR_RE.match(data, self.pos)
            if m2 and m2.group().isdigit():
                after = m2.end()
                self.pos = after
                self._skip()
                if data.startswith(b"R", self.pos) and not _REGULAR_RE.match(data, self.pos + 1):
                    self.pos += 1
                    return Ref(number)
            self.pos = save
            return number
        try:
            return float(word)
        except ValueError:
            return _Keyword(word.decode("latin-1"))

    def _string(self) -> None:
        depth = 0
        for m in _STRING_RE.finditer(self.data, self.pos):
            ch = m.group()
            if ch == b"\\":
                continue  # handled by skipping the escaped byte below
            if ch == b"(":
                if m.start() > 0 and self._escaped(m.start()):
                    continue
                depth += 1
            else:
                if self._escaped(m.start()):
                    continue
                depth -= 1
                if depth == 0:
                    self._walked(m.end() - self.pos)
                    self.pos = m.end()
                    return
        self._walked(len(self.data) - self.pos)
        raise ValueError("unterminated string")

    def _escaped(self, index: int) -> bool:
        backslashes = 0
        while index - backslashes - 1 >= 0 and self.data[index - backslashes - 1] == 0x5C:
            backslashes += 1
        return backslashes % 2 == 1
