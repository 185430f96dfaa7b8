"""Plain text: find the encoding, never guess silently.

Order: byte-order marks; UTF-16/32 without BOM when the bytes are full of
NULs; strict UTF-8; then the legacy Chinese encodings (GB18030, Big5),
ranked by how plausible the decoded text is as Chinese, with
``charset-normalizer``'s opinion taken into account.  The chosen encoding is
always recorded; a Chinese warning is added when the choice was not clear-cut.
"""
from __future__ import annotations

import codecs
import re

from ..errors import NoticeFileError
from ._text import chinese_plausibility, normalize_text
from .base import DEFAULT_CONTEXT, ExtractContext, ExtractedText

FORMAT = "txt"

# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (b"\x84\x31\x95\x33", "gb18030"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Score above which a legacy decoding is accepted without a warning, and below
# which it is not accepted at all (the bytes are then not Chinese text).
_SURE = 0.97
_PLAUSIBLE = 0.80

_BINARY_MESSAGE = "文件不是可识别的文本（内容像是二进制数据或无法识别的编码），请上传UTF-8或GBK编码的文本文件，或Word（.docx）/PDF文件"


def extract(data: bytes, ctx: ExtractContext = DEFAULT_CONTEXT) -> ExtractedText:
    text, encoding, warnings = decode_text(data)
    return ExtractedText(text=normalize_text(text), format=FORMAT, encoding=encoding, warnings=warnings)


def decode_text(data: bytes, *, declared: str | None = None) -> tuple[str, str, list[str]]:
    """Decode ``data`` to ``str``; returns ``(text, encoding, warnings)`` or raises.

    ``declared`` is an encoding the container claims (an HTML meta charset):
    it is tried right after the byte-order marks and kept if it decodes
    strictly to plausible text.
    """
    if not data:
        raise NoticeFileError("文件是空的，请检查后重新上传", code="empty")

    for bom, encoding in _BOMS:
        if data.startswith(bom):
            label = encoding + "-sig" if encoding == "utf-8" else encoding
            body = data[len(bom) :]
            try:
                return body.decode(encoding), label, []
            except UnicodeDecodeError:
                # A few bad units (a file cut mid-character) are damage, not a wrong BOM.
                lenient = body.decode(encoding, errors="replace")
                bad = lenient.count("\ufffd")
                if bad <= 8 and bad * 200 <= len(lenient):
                    return lenient, label, [
                        f"文件按{_label(encoding)}读取，但有{bad}处字节无效（已替换为“\ufffd”），文件可能不完整或已损坏，请核对"
                    ]
                raise NoticeFileError(
                    f"文件开头标明为{_label(encoding)}编码，但内容无法按此编码读取（文件可能已损坏），请重新保存为UTF-8文本后上传",
                    code="encoding",
                ) from None

    warnings: list[str] = []

    if declared:
        try:
            text = data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            warnings.append(f"网页声明的编码（{declared}）与内容不符，已自动识别编码")
        else:
            if declared.replace("_", "-").lower() in ("utf-8", "utf8", "ascii", "us-ascii"):
                return text, "utf-8", warnings
            score, _ = chinese_plausibility(text)
            if score >= _PLAUSIBLE:
                return text, declared, warnings
            warnings.append(f"网页声明的编码（{declared}）解码后不像中文，已自动识别编码")

    nul = data.count(0)
    if nul:
        # NULs: UTF-16/32 without a BOM (or binary).  Strict UTF-8 would
        # happily accept ASCII-in-UTF-16, so this must come first.
        guess = _guess_wide(data)
        if guess is not None:
            text, encoding, certain = guess
            if not certain:
                warnings.append(f"文件未标明编码，已按{_label(encoding)}读取，请核对文字是否正确")
            return text, encoding, warnings
        if nul * 20 >= len(data):
            raise NoticeFileError(_BINARY_MESSAGE, code="binary")

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_binary(text):
            raise NoticeFileError(_BINARY_MESSAGE, code="binary")
        return text, "utf-8", warnings

    # UTF-8 with a handful of bad bytes (a file cut mid-character, one damaged
    # byte) is still UTF-8: a GBK file would fail on nearly every hanzi.
    lenient = data.decode("utf-8", errors="replace")
    bad = lenient.count("\ufffd")
    if bad and bad <= 8 and bad * 200 <= len(lenient) and not _looks_binary(lenient):
        score, han = chinese_plausibility(lenient)
        if score >= _PLAUSIBLE and han:
            warnings.append(f"文件按UTF-8读取，但有{bad}处字节无效（已替换为“\ufffd”），文件可能不完整或已损坏，请核对")
            return lenient, "utf-8", warnings

    text, encoding, more = _guess_legacy(data)
    return text, encoding, warnings + more


def _label(encoding: str) -> str:
    return {
        "utf-8": "UTF-8",
        "utf-8-sig": "UTF-8",
        "utf-16-le": "UTF-16（小端）",
        "utf-16-be": "UTF-16（大端）",
        "utf-32-le": "UTF-32（小端）",
        "utf-32-be": "UTF-32（大端）",
        "gb18030": "GB18030（GBK）",
        "big5": "Big5（繁体）",
        "cp950": "Big5（繁体）",
        "big5hkscs": "Big5-HKSCS（繁体）",
    }.get(encoding, encoding)


def _looks_binary(text: str) -> bool:
    """Valid UTF-8 can still be noise: lots of control characters means binary."""
    sample = text[:8192]
    return len(_BINARY_CHARS_RE.findall(sample)) * 10 > len(sample)


_BINARY_CHARS_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def _guess_wide(data: bytes) -> tuple[str, str, bool] | None:
    """UTF-16/32 without BOM: decode each way and keep the one that reads as Chinese."""
    candidates = []
    for encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        unit = 4 if "32" in encoding else 2
        if len(data) % unit:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score, _ = chinese_plausibility(text)
        candidates.append((score, encoding, text))
    if not candidates:
        return None
    candidates.sort(key=lambda c: c[0], reverse=True)
    score, encoding, text = candidates[0]
    if score < _PLAUSIBLE or _looks_binary(text):
        return None
    runner_up = candidates[1][0] if len(candidates) > 1 else 0.0
    certain = score >= _SURE and score - runner_up > 0.2
    return text, encoding, certain


_LEGACY = ("gb18030", "big5", "cp950", "big5hkscs")


def _guess_legacy(data: bytes) -> tuple[str, str, list[str]]:
    """GB18030 or Big5: rank strict decodings by plausibility, ask charset-normalizer too."""
    tried: dict[str, tuple[float, int, str]] = {}
    # UTF-16 without BOM and without any ASCII has no NULs to give it away.
    candidates = _LEGACY + (("utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ())
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score, han = chinese_plausibility(text)
        tried[encoding] = (score, han, text)
        if encoding == "big5" and score >= _SURE:
            break  # cp950/HKSCS are supersets: they would decode the same

    cn_guess = _charset_normalizer_guess(data)
    if cn_guess and cn_guess not in tried and cn_guess not in ("utf-8", "ascii"):
        try:
            text = data.decode(cn_guess)
        except (UnicodeDecodeError, LookupError):
            pass
        else:
            score, han = chinese_plausibility(text)
            tried[cn_guess] = (score, han, text)

    if not tried:
        raise NoticeFileError(_BINARY_MESSAGE, code="binary")

    # Prefer the plain codec on ties (big5 over its supersets, gb18030 first).
    ranked = sorted(tried.items(), key=lambda kv: kv[1][0], reverse=True)
    best_encoding, (best_score, best_han, best_text) = ranked[0]
    if best_score < _PLAUSIBLE or best_han == 0 or _looks_binary(best_text):
        raise NoticeFileError(_BINARY_MESSAGE, code="binary")

    warnings: list[str] = []
    rivals = [enc for enc, (score, _, text) in ranked[1:] if best_score - score < 0.05 and text != best_text]
    if best_score < _SURE or rivals:
        warnings.append(
            f"文件编码无法确定，已按{_label(best_encoding)}读取（可信度{best_score:.0%}），请核对文字是否有乱码"
        )
    elif cn_guess and _family(cn_guess) != _family(best_encoding):
        warnings.append(
            f"文件编码识别存在分歧，已按{_label(best_encoding)}读取，请核对文字是否有乱码"
        )
    return best_text, best_encoding, warnings


def _family(encoding: str) -> str:
    e = encoding.lower().replace("-", "_")
    if e in ("gb18030", "gbk", "gb2312", "cp936", "hz", "euc_cn"):
        return "gb"
    if e.startswith("big5") or e == "cp950":
        return "big5"
    return e


def _charset_normalizer_guess(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - pinned in requirements
        return None
    sample = data
    if len(data) > 16384:
        # Cut on a line end so no multi-byte character is split.
        cut = data.rfind(b"\n", 0, 16384)
        sample = data[: cut + 1] if cut > 0 else data[:16384]
    best = from_bytes(sample).best()
    if best is None:
        return None
    try:
        return codecs.lookup(best.encoding).name
    except LookupError:
        return None
