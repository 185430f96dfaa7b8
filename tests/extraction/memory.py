"""Peak memory of one extraction, measured in a child process (RSS, so C libraries count too).

tracemalloc sees only Python's allocator; PDFium, lxml and zlib allocate
outside it.  The child imports every extraction library first, records its
peak RSS, extracts the file, and reports the peak again.
"""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

_CHILD = r"""
import json, resource, sys, time
from notices.parsing.errors import NoticeFileError
from notices.parsing.extract import extract_text
import bs4, docx, lxml.etree, pypdf, pypdfium2  # noqa: F401 (the baseline includes every library)

def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

data = open(sys.argv[1], "rb").read()
base = peak()
started = time.monotonic()
try:
    extract_text(data, sys.argv[2])
    code, message = "parsed", ""
except NoticeFileError as exc:
    code, message = exc.code, exc.message
print(json.dumps({"code": code, "message": message, "base": base, "peak": peak(),
                  "seconds": time.monotonic() - started}))
"""


@dataclass
class Measured:
    code: str
    message: str
    base: int  # bytes of RSS before extracting (interpreter and libraries, file read)
    peak: int
    seconds: float

    @property
    def grown(self) -> int:
        return self.peak - self.base


def extract_in_child(path: Path, name: str, timeout: float = 120) -> Measured:
    """Extract ``path`` (uploaded as ``name``) in a fresh interpreter; refuses to wait past ``timeout``."""
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path), name], cwd=REPO, capture_output=True, text=True,
                         timeout=timeout, check=True)
    return Measured(**json.loads(out.stdout.strip().splitlines()[-1]))
