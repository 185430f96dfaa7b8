"""Legacy binary Word (.doc) and WPS (.wps): converted to .docx by LibreOffice, then read as .docx.

No pure-Python reader handles real-world .doc reliably, so LibreOffice
(headless) converts, in the worker:

- one conversion at a time per worker process (a lock), with a timeout
  after which the whole process group is killed;
- a fresh private profile per conversion, whose settings forbid macros
  (highest security level, execution disabled, VBA neither loaded nor run)
  and never update links; the profile is deleted afterwards;
- no network: inside a new network namespace (``unshare``) where the
  kernel allows one, and always with proxies pointing nowhere.

Where LibreOffice is not installed the upload is kept and fails with a
message that says so (``converter_missing``); an administrator installs it
and re-parses.  HTML or .docx content with a .doc name never reaches this
module: ``sniff`` routes it by content.
"""
from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from ..errors import NoticeFileError
from .base import DEFAULT_CONTEXT, ExtractContext, ExtractedText

FORMAT = "doc"

MISSING = "服务器未安装 .doc 转换组件，请上传 .docx 或 PDF，或联系管理员"
_CORRUPT = "旧版Word（.doc）或WPS文件已损坏，无法转换，请在Word或WPS中打开并另存为.docx后上传"
_TIMEOUT = "旧版Word（.doc）或WPS文件转换超时（文件可能过大或结构异常），已停止解析，请另存为.docx或PDF后上传"

_STREAM_HINTS = (
    ("WordDocument".encode("utf-16-le"), "旧版Word（.doc）或WPS文字文件"),
    ("Workbook".encode("utf-16-le"), "旧版Excel（.xls）文件"),
    ("PowerPoint Document".encode("utf-16-le"), "旧版PowerPoint（.ppt）文件"),
)

logger = logging.getLogger(__name__)
_LOCK = threading.Lock()
_unshare_works: bool | None = None

# The private profile's settings (LibreOffice's registry format).
_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Filter/Import/VBA"><prop oor:name="Load" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Filter/Import/VBA"><prop oor:name="Executable" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc"><prop oor:name="FirstRun" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


def soffice_path() -> str | None:
    """LibreOffice's command, or ``None`` when it is not installed."""
    override = os.environ.get("RECTIFY_SOFFICE")
    if override is not None:
        return override or None  # RECTIFY_SOFFICE= (empty) pretends it is missing
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    default = Path("/usr/lib/libreoffice/program/soffice")
    return str(default) if default.exists() else None


def extract(data: bytes, ctx: ExtractContext = DEFAULT_CONTEXT) -> ExtractedText:
    if "EncryptedPackage".encode("utf-16-le") in data:
        # A password-protected .docx/.xlsx is stored inside an OLE container.
        raise NoticeFileError("该Office文件设置了打开密码，无法读取，请取消密码后重新上传", code="encrypted")
    kind = "旧版Office文件"
    for marker, label in _STREAM_HINTS:
        if marker in data:
            kind = label
            break
    if "Word" not in kind and kind != "旧版Office文件":
        raise NoticeFileError(
            f"上传的是{kind}，无法作为通报读取。请上传Word（.docx/.doc）、PDF、OFD、网页、文本或扫描图片",
            code="unsupported_format",
        )
    soffice = soffice_path()
    if soffice is None:
        raise NoticeFileError(MISSING, code="converter_missing")
    converted = convert_to_docx(data, soffice=soffice, timeout=ctx.limits.convert_timeout,
                                memory_mb=ctx.limits.convert_memory_mb)

    from . import docx

    try:
        result = docx.extract(converted, ctx)
    except NoticeFileError as exc:
        if exc.code in ("corrupt", "truncated"):
            raise NoticeFileError(_CORRUPT, code="corrupt") from exc
        raise
    result.format = FORMAT
    result.text_source = "converted"
    return result


def convert_to_docx(data: bytes, *, soffice: str, timeout: float, memory_mb: int = 0) -> bytes:
    """The .docx LibreOffice makes of ``data``; one at a time in this process."""
    with _LOCK:
        work = Path(tempfile.mkdtemp(prefix="rectify-soffice-"))
        try:
            return _convert(data, soffice, timeout, work, memory_mb)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def _convert(data: bytes, soffice: str, timeout: float, work: Path, memory_mb: int = 0) -> bytes:
    profile = work / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
    source = work / "notice.doc"  # LibreOffice detects the real type by content; .wps is Word too
    source.write_bytes(data)
    out = work / "out"
    out.mkdir()
    command = [
        soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(source),
    ]
    if _can_unshare():
        command = ["unshare", "--net", "--map-root-user", *command]
    if memory_mb > 0 and shutil.which("prlimit"):
        # Its own address-space cap rather than the worker's (which it would inherit): set before exec,
        # so every process LibreOffice starts has it too.
        command = ["prlimit", f"--as={memory_mb * 1024 * 1024}", "--", *command]
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(work), "LANG": "C.UTF-8",
        "TMPDIR": str(work), "SAL_USE_VCLPLUGIN": "svp",
        "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "no_proxy": "",
    }
    process = subprocess.Popen(command, cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise NoticeFileError(_TIMEOUT, code="convert_timeout") from None
    finally:
        _kill(process)  # anything it left behind in its group
    result = out / "notice.docx"
    if process.returncode != 0 or not result.exists() or result.stat().st_size == 0:
        logger.warning("LibreOffice could not convert: rc=%s %s", process.returncode, output[-500:])
        raise NoticeFileError(_CORRUPT, code="corrupt")
    return result.read_bytes()


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def _can_unshare() -> bool:
    """Whether a network namespace can be made here (root, or unprivileged user namespaces)."""
    global _unshare_works
    if _unshare_works is None:
        try:
            _unshare_works = shutil.which("unshare") is not None and subprocess.run(
                ["unshare", "--net", "--map-root-user", "true"], capture_output=True, timeout=10
            ).returncode == 0
        except (OSError, subprocess.SubprocessError):
            _unshare_works = False
        if not _unshare_works:
            logger.warning("unshare is not available: LibreOffice runs without its own network namespace")
    return _unshare_works
