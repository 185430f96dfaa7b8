"""Legacy Word (.doc/.wps through LibreOffice) and OFD read back as the same notice as the plain text.

The .doc tests need LibreOffice: without it they skip with that reason
(``.ci/run`` installs it and forbids skips); the message a user then gets is
tested on its own, on any machine.
"""
from __future__ import annotations

import functools
import io
import zipfile

import pytest

from notices.parsing.errors import NoticeFileError
from notices.parsing.extract import extract_text
from notices.parsing.extract.doc import MISSING

from . import builders
from .support import parse_view, squash, structure_parser

needs_libreoffice = pytest.mark.skipif(
    builders.soffice() is None, reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
)


@functools.lru_cache(maxsize=None)
def _doc(text: str) -> bytes:
    return builders.to_doc(text)


def _same_notice(extracted: str, original: str) -> None:
    assert squash(extracted) == squash(original)
    parse_text = structure_parser()
    assert parse_view(parse_text, extracted) == parse_view(parse_text, original)


# --- .doc / .wps ------------------------------------------------------------------------


@needs_libreoffice
def test_a_word_97_doc_of_the_notice_is_converted_and_parses_the_same(sample):
    path, text = sample
    data = _doc(text)
    assert data.startswith(b"\xd0\xcf\x11\xe0")
    result = extract_text(data, path.stem + ".doc")
    assert (result.format, result.text_source) == ("doc", "converted")
    _same_notice(result.text, text)


@needs_libreoffice
def test_a_wps_file_is_read_like_the_doc_it_is(sample):
    path, text = sample
    result = extract_text(_doc(text), path.stem + ".wps")
    assert result.format == "doc"
    _same_notice(result.text, text)


@needs_libreoffice
def test_a_corrupt_doc_fails_with_a_clear_chinese_message():
    data = bytearray(_doc("关于巡察整改进展情况的通报\n一、整改情况\n1.已完成整改。"))
    data[600:] = bytes(len(data) - 600)  # keep the OLE header, wipe the rest
    with pytest.raises(NoticeFileError) as info:
        extract_text(bytes(data), "通报.doc")
    assert info.value.code == "corrupt"
    assert "已损坏" in info.value.message and ".docx" in info.value.message


def test_the_converter_runs_without_network_and_with_macros_forbidden(tmp_path):
    # A stand-in for soffice that tries to reach a server on this machine, records what
    # profile it was given, then writes the .docx LibreOffice would have written.
    import socket
    import sys
    import threading

    from notices.parsing.extract import doc

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(5)
    reached: list[bool] = []

    def accept():
        try:
            server.accept()
            reached.append(True)
        except OSError:
            pass

    threading.Thread(target=accept, daemon=True).start()
    docx_path = tmp_path / "made.docx"
    docx_path.write_bytes(builders.to_docx("关于巡察整改进展情况的通报")[0])
    fake = tmp_path / "soffice"
    fake.write_text(f"""#!{sys.executable}
import pathlib, shutil, socket, sys
args = sys.argv[1:]
profile = [a for a in args if a.startswith("-env:UserInstallation=file://")][0].split("file://", 1)[1]
pathlib.Path({str(tmp_path / "profile.xcu")!r}).write_text(
    pathlib.Path(profile, "user", "registrymodifications.xcu").read_text())
try:
    socket.create_connection(("127.0.0.1", {server.getsockname()[1]}), timeout=2).close()
except OSError:
    pass
out = args[args.index("--outdir") + 1]
shutil.copy({str(docx_path)!r}, pathlib.Path(out, pathlib.Path(args[-1]).stem + ".docx"))
""")
    fake.chmod(0o755)
    converted = doc.convert_to_docx(b"\xd0\xcf\x11\xe0", soffice=str(fake), timeout=30)
    server.close()
    assert converted == docx_path.read_bytes()
    assert reached == [], "the converter reached the network"
    profile = (tmp_path / "profile.xcu").read_text()
    assert '"MacroSecurityLevel" oor:op="fuse"><value>3<' in profile
    assert '"DisableMacrosExecution" oor:op="fuse"><value>true<' in profile


def test_without_libreoffice_a_doc_fails_with_the_install_message_and_no_retry(monkeypatch):
    monkeypatch.setenv("RECTIFY_SOFFICE", "")
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 1000
    with pytest.raises(NoticeFileError) as info:
        extract_text(ole, "通报.doc")
    assert info.value.message == MISSING == "服务器未安装 .doc 转换组件，请上传 .docx 或 PDF，或联系管理员"
    assert info.value.code == "converter_missing"


def test_a_conversion_that_hangs_is_killed_at_the_timeout(monkeypatch, tmp_path):
    from notices.parsing.extract import doc

    hang = tmp_path / "soffice"
    hang.write_text("#!/bin/sh\nsleep 30\n")
    hang.chmod(0o755)
    with pytest.raises(NoticeFileError) as info:
        doc.convert_to_docx(b"\xd0\xcf\x11\xe0", soffice=str(hang), timeout=1)
    assert info.value.code == "convert_timeout"
    assert "超时" in info.value.message


# --- OFD -----------------------------------------------------------------------------------


def test_an_ofd_of_the_notice_parses_the_same(sample):
    path, text = sample
    result = extract_text(builders.to_ofd(text), path.stem + ".ofd")
    assert result.format == "ofd"
    assert "- 1 -" not in result.text  # page numbers are dropped
    _same_notice(result.text, text)


def test_an_ofd_named_anything_is_recognised_by_its_content():
    result = extract_text(builders.to_ofd("关于巡察整改进展情况的通报\n1.已完成整改。"), "通报.zip")
    assert result.format == "ofd"


@pytest.mark.parametrize("damage", ["truncated", "no_document", "bad_xml"])
def test_a_corrupt_ofd_fails_with_a_clear_chinese_message(damage):
    data = builders.to_ofd("关于巡察整改进展情况的通报\n1.已完成整改。")
    if damage == "truncated":
        data = data[: len(data) // 2]
    else:
        src = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                if damage == "no_document" and info.filename.endswith("Document.xml"):
                    continue
                body = src.read(info)
                if damage == "bad_xml" and "Page_0" in info.filename:
                    body = body[: len(body) // 2]
                dst.writestr(info, body)
        data = out.getvalue()
    with pytest.raises(NoticeFileError) as info:
        extract_text(data, "通报.ofd")
    assert info.value.code == "corrupt"
    assert "OFD文件已损坏" in info.value.message


def test_ofd_text_codes_with_explicit_advances_and_a_transform_are_placed_right():
    from notices.parsing.extract.ofd import _deltas

    assert _deltas("g 3 4.2 5 1", 5, 4.0) == [4.2, 4.2, 4.2, 5.0, 1.0]
    assert _deltas(None, 2, 4.0) == [4.0, 4.0]
