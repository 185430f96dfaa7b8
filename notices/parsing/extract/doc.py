"""Legacy binary Word (.doc/.wps, OLE2 compound files): refused with instructions.

No pure-Python reader handles real-world .doc reliably and LibreOffice cannot
be assumed on the server, so the uploader is asked to re-save the file.
HTML or .docx content with a .doc name never reaches this module: ``sniff``
routes it by content.
"""
from __future__ import annotations

from ..errors import NoticeFileError
from .base import ExtractedText

FORMAT = "doc"

_STREAM_HINTS = (
    ("WordDocument".encode("utf-16-le"), "旧版Word（.doc）或WPS文字文件"),
    ("Workbook".encode("utf-16-le"), "旧版Excel（.xls）文件"),
    ("PowerPoint Document".encode("utf-16-le"), "旧版PowerPoint（.ppt）文件"),
)


def extract(data: bytes) -> ExtractedText:
    if "EncryptedPackage".encode("utf-16-le") in data:
        # A password-protected .docx/.xlsx is stored inside an OLE container.
        raise NoticeFileError("该Office文件设置了打开密码，无法读取，请取消密码后重新上传", code="encrypted")
    kind = "旧版Office文件"
    for marker, label in _STREAM_HINTS:
        if marker in data:
            kind = label
            break
    if "Word" in kind or kind == "旧版Office文件":
        raise NoticeFileError(
            f"暂不支持{kind}。请在Word或WPS中打开，选择“另存为”Word文档（.docx）或PDF后重新上传",
            code="legacy_doc",
        )
    raise NoticeFileError(
        f"上传的是{kind}，无法作为通报读取。请上传文本（.txt）、Word（.docx）、PDF（.pdf）或网页（.html）",
        code="unsupported_format",
    )
