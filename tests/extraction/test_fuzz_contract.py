"""Whatever bytes arrive, extraction returns non-empty text or raises NoticeFileError — nothing else."""
from __future__ import annotations

import functools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notices.parsing.errors import NoticeFileError
from notices.parsing.extract import extract_text

from . import builders

NAMES = ["通报.txt", "通报.docx", "通报.pdf", "通报.html", "通报.doc", "通报", "通报.xyz"]
TEXT = "关于巡察整改进展情况的通报\n一、党委履行整改主体责任情况\n1.学习内容不聚焦。整改落实情况：已完成整改。\n" * 3


@functools.lru_cache(maxsize=None)
def _valid(kind: str) -> bytes:
    if kind == "docx":
        return builders.to_docx(TEXT, auto_numbering=True)[0]
    if kind == "pdf":
        return builders.to_pdf(TEXT)
    if kind == "html":
        return builders.to_html(TEXT)
    return TEXT.encode("gb18030")


def _holds_contract(data: bytes, name: str) -> None:
    try:
        result = extract_text(data, name)
    except NoticeFileError as error:
        assert error.message and error.code
        return
    assert result.text.strip()
    assert result.format in ("txt", "docx", "pdf", "html", "doc")
    assert "\x00" not in result.text and "\r" not in result.text


_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(st.binary(max_size=3000), st.sampled_from(NAMES))
def test_random_bytes_under_any_name_never_escape_as_another_exception(data, name):
    _holds_contract(data, name)


@_SETTINGS
@given(
    st.sampled_from(["docx", "pdf", "html", "txt"]),
    st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8),
    st.floats(0.05, 1.0),
    st.sampled_from(NAMES[:4]),
)
def test_damaged_copies_of_valid_files_never_escape_as_another_exception(kind, flips, keep, name):
    data = bytearray(_valid(kind))
    for where, value in flips:
        data[int(where * len(data))] = value
    _holds_contract(bytes(data[: max(1, int(len(data) * keep))]), name)
