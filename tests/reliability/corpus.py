"""The bad-input corpus: every hostile or odd upload a hospital could send, built at test time.

Each case is a function returning a ``Case``: the file name and bytes as
uploaded, and what must become of it — ``parsed`` (possibly with a warning
code that must be present), ``failed`` with a stable error code (the
message is Chinese), or ``refused`` at the door with a Chinese message and
nothing stored.  Nothing binary is committed; docx and pdf files are drawn
with the same builders the extraction tests use.
"""
from __future__ import annotations

import functools
import io
import random
import zipfile
from dataclasses import dataclass, field

from tests.extraction import builders


@dataclass(frozen=True)
class Case:
    filename: str
    data: bytes
    outcome: str  # "parsed", "failed" or "refused"
    code: str = ""  # error code when failed; a warning code that must appear when parsed
    issues: int | None = None  # how many issues a parsed case must give (None: not asserted)
    alt_codes: tuple[str, ...] = field(default=())  # other acceptable error codes (truncation is detected either way)


CN = "一二三四五六七八九"


def synthetic_notice(n_issues: int = 12, *, extra: str = "", institution: str = "清远市中医院") -> str:
    """A notice in the genre's usual layout with ``n_issues`` numbered issues in at most nine categories.

    ``extra`` is inserted into the first issue's 整改落实情况, where hostile content
    would end up if a hospital pasted it.
    """
    per_category = -(-n_issues // 9)
    lines = [
        f"{institution}关于市委第五巡察组巡察反馈意见", "整改进展情况的通报",
        f"根据市委统一部署，2024年1月8日至3月8日，市委第五巡察组对{institution}党委开展了常规巡察。"
        f"2024年3月28日，巡察组向{institution}党委反馈了巡察意见。按照巡察工作有关要求，现将巡察整改进展情况予以公布。",
        "一、党委组织落实整改情况", "医院党委成立整改工作领导小组，逐项明确责任。",
        "二、巡察反馈意见整改落实情况",
    ]
    number = 0
    for category in range(9):
        if number >= n_issues:
            break
        lines.append(f"（{CN[category]}）关于第{category + 1}方面的问题")
        for _ in range(per_category):
            if number >= n_issues:
                break
            number += 1
            lines.append(f"{number}.第{number}项制度执行不到位的问题。")
            lines.append(f"整改落实情况：已完成整改。一是于2024年6月{number % 28 + 1}日修订了第{number}项制度。"
                         f"二是组织专题学习{number}次。{extra if number == 1 else ''}")
    lines += [
        "三、下一步工作打算", "医院党委将持续巩固整改成果。",
        "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0763-3388123；电子邮箱：qyzyy@163.com。",
        f"中共{institution}委员会", "2024年7月1日",
    ]
    return "\n".join(lines)


NOTICE = synthetic_notice()
BOMB_INFLATED = 128 * 1024 * 1024


# --- refused at the door ------------------------------------------------------------
def empty_file() -> Case:
    return Case("通报.txt", b"", "refused", "empty")


# --- failed with a Chinese message ---------------------------------------------------
def binary_noise_named_txt() -> Case:
    return Case("通报.txt", random.Random(7).randbytes(16384), "failed", "binary")


def error_page_named_pdf() -> Case:
    page = b"<!DOCTYPE html><html><head><title>404</title></head><body><h1>404 Not Found</h1></body></html>"
    return Case("巡察整改通报.pdf", page, "failed", "format_mismatch")


def truncated_docx() -> Case:
    data = builders.to_docx(NOTICE)[0]
    return Case("通报.docx", data[: len(data) // 2], "failed", "truncated", alt_codes=("corrupt",))


def truncated_pdf() -> Case:
    data = builders.to_pdf(NOTICE)
    return Case("通报.pdf", data[: len(data) // 2], "failed", "truncated", alt_codes=("corrupt",))


def encrypted_pdf() -> Case:
    return Case("通报.pdf", builders.encrypted_pdf(builders.to_pdf(NOTICE), user_password="s3cret"), "failed",
                "encrypted")


def scanned_pdf_without_text() -> Case:
    return Case("扫描件.pdf", builders.drawing_only_pdf(), "failed", "no_text_layer")


def docx_zip_bomb() -> Case:
    """A real bomb: 128 MB of zeros deflated to about 130 KB, inside a docx-shaped zip."""
    return Case("通报.docx", zip_bomb(BOMB_INFLATED), "failed", "zip_bomb")


def docx_declaring_a_huge_member() -> Case:
    return Case("通报.docx", builders.declared_huge_docx(), "failed", "zip_bomb")


# --- parsed, perhaps with a warning ---------------------------------------------------
def notice_page_named_pdf() -> Case:
    return Case("巡察整改通报.pdf", builders.to_html(NOTICE), "parsed", "extraction", issues=12)


def gb18030_text() -> Case:
    return Case("通报.txt", NOTICE.encode("gb18030"), "parsed", issues=12)


def big5_text() -> Case:
    return Case("通報.txt", builders.traditional(NOTICE).encode("big5"), "parsed", issues=12)


def utf16_with_bom() -> Case:
    return Case("通报.txt", builders.encode(NOTICE, "utf-16"), "parsed", issues=12)


def utf16_le_without_bom() -> Case:
    return Case("通报.txt", NOTICE.encode("utf-16-le"), "parsed", issues=12)


def utf16_be_without_bom() -> Case:
    return Case("通报.txt", NOTICE.encode("utf-16-be"), "parsed", issues=12)


def not_a_rectification_notice() -> Case:
    text = ("关于调整门诊时间的通知\n各科室：\n自2024年7月1日起，我院门诊时间调整为上午8:00至12:00，"
            "下午14:30至17:30。请各科室做好患者解释工作。\n医务科\n2024年6月20日")
    return Case("通知.txt", text.encode(), "parsed", "not_rectification_notice", issues=0)


def five_hundred_issues() -> Case:
    return Case("通报.txt", synthetic_notice(500).encode(), "parsed", issues=500)


def extremely_long_lines() -> Case:
    """A 1.5 MB line with no break at all, as a broken export produces, inside an otherwise good notice."""
    return Case("通报.txt", synthetic_notice(12, extra="整改" * (256 * 1024)).encode(), "parsed", issues=12)


def control_characters() -> Case:
    soup = "".join(chr(c) for c in range(32) if chr(c) not in "\n\r\t") + "\x7f\u200b\ufeff\u202e"
    text = NOTICE.replace("。", "。" + soup, 3)
    return Case("通报.txt", text.encode(), "parsed", issues=12)


def pdf_bomb_without_cross_reference_table() -> Case:
    """ASCII85+Flate, 320 MB of spaces in 0.4 MB, in a file whose xref is missing (PDFium rebuilds it; pypdf did not)."""
    body, filters = builders.bomb_stream("ascii85_flate", 320 * 1024 * 1024)
    return Case("通报.pdf", builders.pdf_with_stream(body, filters, xref="missing"), "failed", "limit_exceeded")


def docx_declaring_95_mb_of_xml() -> Case:
    """The reported 0.88 MB .docx: 95 MB of honest-looking XML at ~130:1, under the old ratio check."""
    return Case("通报.docx", builders.compressible_docx(95 * 1024 * 1024), "failed", "limit_exceeded")


def html_of_nested_tags() -> Case:
    """The reported 18 MB page of nested tags (86 s and 3 GB before the size cap)."""
    return Case("通报.html", builders.nested_tags_html(18 * 1024 * 1024 // 11), "failed", "limit_exceeded")


def script_and_sql_in_the_text() -> Case:
    hostile = ("<script>alert('xss')</script><img src=x onerror=alert(1)>"
               "'; DROP TABLE notices_notice; -- \" OR 1=1 --")
    return Case("通报.txt", synthetic_notice(12, extra=hostile).encode(), "parsed", issues=12)


CASES = {
    fn.__name__: fn
    for fn in (
        empty_file, binary_noise_named_txt, error_page_named_pdf, truncated_docx, truncated_pdf, encrypted_pdf,
        scanned_pdf_without_text, docx_zip_bomb, docx_declaring_a_huge_member, notice_page_named_pdf,
        gb18030_text, big5_text, utf16_with_bom, utf16_le_without_bom, utf16_be_without_bom,
        not_a_rectification_notice, five_hundred_issues, extremely_long_lines, control_characters,
        script_and_sql_in_the_text, pdf_bomb_without_cross_reference_table, docx_declaring_95_mb_of_xml,
        html_of_nested_tags,
    )
}


# --- builders of the large things ------------------------------------------------------
@functools.lru_cache(maxsize=2)
def zip_bomb(inflated: int) -> bytes:
    """A docx-shaped zip whose document.xml inflates to ``inflated`` bytes, written without holding them."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/_rels/document.xml.rels", "<Relationships/>")
        chunk = b"\0" * (1024 * 1024)
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(inflated // len(chunk)):
                member.write(chunk)
    return out.getvalue()
