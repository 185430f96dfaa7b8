"""Hospital A's problems (the review data set) and evidence files of every accepted kind, made here."""
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.review.conftest import progress, today  # noqa: F401  (the same two hospitals as the review tests)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _ooxml(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(main_part, "<document/>")
    return buffer.getvalue()


def evidence_file(name="整改佐证.pdf", content=None) -> SimpleUploadedFile:
    ext = name.rsplit(".", 1)[-1].lower()
    if content is None:
        content = {"pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG, "docx": _ooxml("word/document.xml"),
                   "xlsx": _ooxml("xl/workbook.xml")}.get(ext, b"plain text")
    return SimpleUploadedFile(name, content)


@pytest.fixture
def issue_a(progress):
    """Hospital A's overdue 医保 problem, which the notice says is still in progress."""
    return progress["a"]["overdue_insurance"]


@pytest.fixture
def done_a(progress):
    """Hospital A's problem the notice claims completed."""
    return progress["a"]["done_insurance"]
