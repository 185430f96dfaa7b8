"""Show what the extractor sees in a file: ``python -m notices.parsing.extract FILE…``.

Prints the detected format, encoding and warnings to stderr and the text to
stdout; a refused file prints its Chinese message and the error code, and
the exit status is 1.  For debugging uploads; no Django needed.
"""
from __future__ import annotations

import sys
from pathlib import Path

from ..errors import NoticeFileError
from . import extract_text


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    status = 0
    for name in argv:
        path = Path(name)
        try:
            result = extract_text(path.read_bytes(), path.name)
        except NoticeFileError as exc:
            print(f"{name}: 拒绝 [{exc.code}] {exc.message}", file=sys.stderr)
            status = 1
            continue
        source = result.text_source + (f" confidence={result.ocr_confidence}" if result.ocr_confidence is not None else "")
        print(f"{name}: format={result.format} encoding={result.encoding} source={source} chars={len(result.text)}",
              file=sys.stderr)
        for warning in result.warnings:
            print(f"  警告：{warning}", file=sys.stderr)
        sys.stdout.write(result.text)
        if not result.text.endswith("\n"):
            sys.stdout.write("\n")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
