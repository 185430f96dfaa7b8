"""Decompression bombs (issue 13, item 2): each reported attack, at its reported size, fails once and cheaply.

The reported bypasses of the old guard — ``/Filter`` more than 512 bytes
before ``stream``, an indirect ``/Filter``, ``stream`` followed by CR only
(a 1 MB PDF inflating to 1 GiB took a worker to 2.1 GB), a 0.88 MB docx
declaring 95 MB of XML (31 s, 2.2 GB), an 18 MB HTML of nested tags (86 s,
3 GB) — are rebuilt here at full size and extracted in a child process
whose peak RSS is asserted.  The shape matrix below them runs at a lowered
limit: every filter a reader inflates whole, declared any way, in a file
whose cross-reference table is good, missing or wrong.
"""
from __future__ import annotations

import pytest

from notices.parsing.errors import NoticeFileError
from notices.parsing.extract import ExtractContext, Limits, extract_text

from . import builders
from .memory import extract_in_child

LIMIT = "文件过大或结构异常，已停止解析"
GiB = 1 << 30
MiB = 1 << 20
# The child's interpreter and libraries take ~50 MB before the file is read;
# an extraction may grow it by this much, against the gigabytes reported.
MAX_GROWTH = 160 * MiB


@pytest.mark.parametrize("shape", ["far_filter", "indirect_filter", "cr_only"])
def test_each_reported_pdf_bomb_of_one_gibibyte_is_refused_with_little_memory(shape, tmp_path):
    data = builders.flate_bomb_pdf(GiB, shape=shape)
    assert len(data) < 1.2 * MiB
    path = tmp_path / "通报.pdf"
    path.write_bytes(data)
    measured = extract_in_child(path, "通报.pdf")
    assert measured.code == "limit_exceeded", measured.message
    assert measured.message.startswith(LIMIT)
    assert measured.grown < MAX_GROWTH, f"grew {measured.grown / MiB:.0f} MB"


def test_the_reported_docx_declaring_95_mb_of_xml_is_refused_with_little_memory(tmp_path):
    data = builders.compressible_docx(95 * MiB)
    assert len(data) < MiB  # like the reported 0.88 MB file, and under the old 200:1 ratio check
    path = tmp_path / "通报.docx"
    path.write_bytes(data)
    measured = extract_in_child(path, "通报.docx")
    assert measured.code == "limit_exceeded", measured.message
    assert measured.message.startswith(LIMIT) and "document.xml" in measured.message
    assert measured.grown < MAX_GROWTH, f"grew {measured.grown / MiB:.0f} MB"


@pytest.mark.parametrize("depth", [18 * MiB // 11, 49_000], ids=["18MB", "49k-deep-under-the-tag-cap"])
def test_nested_html_is_refused_with_little_memory(depth, tmp_path):
    path = tmp_path / "通报.html"
    path.write_bytes(builders.nested_tags_html(depth))
    measured = extract_in_child(path, "通报.html")
    assert measured.code == "limit_exceeded", measured.message
    assert measured.message.startswith(LIMIT)
    assert ("嵌套" if depth == 49_000 else "8 MB") in measured.message  # by depth, not by running out of stack
    assert measured.grown < MAX_GROWTH, f"grew {measured.grown / MiB:.0f} MB"


def test_a_docx_of_a_million_empty_paragraphs_is_refused_before_a_tree_is_built(tmp_path):
    # 20 MB of XML, under the part size cap: as a tree it took 360 MB and 6 s.
    import io
    import random
    import zipfile

    rng = random.Random(1)
    body = b"".join(b'<w:p w:rsidR="%08X"/>' % rng.getrandbits(32) for _ in range(1_000_000))
    data, _ = builders.to_docx("关于巡察整改进展情况的通报")
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "word/document.xml":
                content = content.replace(b"</w:body>", body + b"</w:body>", 1)
            zf.writestr(info.filename, content)
    with pytest.raises(NoticeFileError) as info:
        extract_text(out.getvalue(), "通报.docx")
    assert info.value.code == "limit_exceeded"
    assert "标签" in info.value.message


# --- every shape, at a lowered limit ----------------------------------------------------

SMALL = ExtractContext(limits=Limits(max_inflated=4 * MiB))
KINDS = ["flate", "ascii85_flate", "asciihex_flate", "escaped_names", "lzw", "run_length"]


@pytest.mark.parametrize("xref", ["good", "missing", "wrong"])
@pytest.mark.parametrize("kind", KINDS)
def test_a_pdf_stream_past_the_budget_is_refused_whatever_its_filter_and_cross_reference_table(kind, xref):
    body, filters = builders.bomb_stream(kind, 8 * MiB)
    data = builders.pdf_with_stream(body, filters, xref=xref)
    with pytest.raises(NoticeFileError) as info:
        extract_text(data, "通报.pdf", SMALL)
    assert info.value.code == "limit_exceeded", info.value.message
    assert info.value.message.startswith(LIMIT)


@pytest.mark.parametrize("xref", ["good", "missing"])
def test_a_filter_array_kept_in_an_object_stream_is_found(xref):
    body, filters = builders.bomb_stream("ascii85_flate", 8 * MiB)
    data = builders.pdf_with_stream(body, filters, xref=xref, filter_in_object_stream=True)
    with pytest.raises(NoticeFileError) as info:
        extract_text(data, "通报.pdf", SMALL)
    assert info.value.code == "limit_exceeded", info.value.message


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_streams_under_the_budget_are_not_refused(kind):
    # The guard measures; it does not refuse a filter for its name.  (The
    # page has no text, so the file fails later, for that reason.)
    body, filters = builders.bomb_stream(kind, 2 * MiB)
    data = builders.pdf_with_stream(body, filters, xref="missing")
    with pytest.raises(NoticeFileError) as info:
        extract_text(data, "通报.pdf", SMALL)
    assert info.value.code != "limit_exceeded", info.value.message


def test_an_honest_pdf_with_a_broken_cross_reference_table_still_reads():
    data = builders.to_pdf("关于巡察整改进展情况的通报\n一、整改情况\n1.已完成整改。")
    broken = data[: data.rindex(b"startxref")] + b"startxref\n999999\n%%EOF\n"
    assert "已完成整改" in extract_text(broken, "a.pdf", SMALL).text
