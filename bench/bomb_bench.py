"""Decompression bombs: each reported attack at full size, extracted in a fresh process.

    .venv/bin/python bench/bomb_bench.py

Prints, per attack: the outcome, peak RSS growth over the child's baseline
(interpreter and every extraction library loaded, file read) and wall time,
beside the targets (refused as ``limit_exceeded``; growth < 160 MB; < 5 s).
The same attacks are tests in ``tests/extraction/test_decompression_bombs.py``.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._common import machine  # noqa: E402
from tests.extraction import builders  # noqa: E402
from tests.extraction.memory import extract_in_child  # noqa: E402

MiB = 1 << 20
GiB = 1 << 30


def attacks():
    yield "pdf 1 GiB, /Filter 2 KB before stream", "a.pdf", lambda: builders.flate_bomb_pdf(GiB, shape="far_filter")
    yield "pdf 1 GiB, indirect /Filter", "a.pdf", lambda: builders.flate_bomb_pdf(GiB, shape="indirect_filter")
    yield "pdf 1 GiB, stream + CR only", "a.pdf", lambda: builders.flate_bomb_pdf(GiB, shape="cr_only")
    for kind in ("ascii85_flate", "asciihex_flate", "lzw"):
        yield (f"pdf 1 GiB, {kind}, no xref", "a.pdf",
               lambda kind=kind: builders.pdf_with_stream(*builders.bomb_stream(kind, GiB), xref="missing"))
    yield "docx declaring 95 MB of XML", "a.docx", lambda: builders.compressible_docx(95 * MiB)
    yield "html 18 MB of nested tags", "a.html", lambda: builders.nested_tags_html(18 * MiB // 11)
    yield "html 49k nested tags (under the tag cap)", "a.html", lambda: builders.nested_tags_html(49_000)


def main() -> None:
    print(machine())
    print(f"{'attack':44} {'file':>8} {'outcome':>16} {'growth':>9} {'time':>7}   targets: limit_exceeded, <160 MB, <5 s")
    with tempfile.TemporaryDirectory() as tmp:
        for label, name, build in attacks():
            data = build()
            path = Path(tmp) / name
            path.write_bytes(data)
            m = extract_in_child(path, name)
            print(f"{label:44} {len(data) / MiB:7.2f}M {m.code:>16} {m.grown / MiB:8.0f}M {m.seconds:6.2f}s")


if __name__ == "__main__":
    main()
