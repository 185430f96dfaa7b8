"""Parse memory benchmark: what one parse needs, beside the worker's memory caps (issue 13).

    .venv/bin/python bench/parse_memory_bench.py [--ocr-pages 1 3 6] [--no-doc]

Each case runs in a fresh Python process (as a fresh pool process would):
extract + parse of one file, then the process's peak address space
(``VmPeak``, what ``RLIMIT_AS`` limits) and peak resident memory (``VmHWM``)
from ``/proc/self/status``, its CPU time, and the children's peak resident
memory (LibreOffice for .doc). The caps they must fit under are printed
beside them: ``RECTIFY_WORKER_MEMORY_MB`` (address space of a pool process),
``NOTICE_CONVERT_MEMORY_MB`` (LibreOffice's own) and ``RECTIFY_WORKER_MAX_RSS_MB``
(resident memory after which a pool process is replaced).

Cases: the 3,000-issue synthetic .txt, a sample as .doc (needs LibreOffice),
and a sample printed and scanned as a PDF of N page images (OCR; needs a
Chinese font).  No Django, no database.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

_CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
kind, arg = sys.argv[2], int(sys.argv[3])
from tests.extraction import builders
from tests.extraction.support import SAMPLE_PATHS, sample_text
from tests.reliability import corpus
if kind == "txt":
    data, name = corpus.synthetic_notice(arg).encode(), "notice.txt"
elif kind == "doc":
    data, name = builders.to_doc(sample_text(SAMPLE_PATHS[1])), "notice.doc"
else:
    text = builders.printed(sample_text(SAMPLE_PATHS[1]))
    pages = builders.print_pages(text * 3)[:arg]
    data, name = builders.images_to_pdf(pages), "scan.pdf"
from notices.parsing import parse_bytes
cpu = time.process_time()
try:
    extracted, parsed = parse_bytes(data, name)
    outcome = f"{len(parsed.issues)} issues"
except Exception as exc:
    outcome = f"{type(exc).__name__}: {str(exc)[:60]}"
status = dict(line.split(":", 1) for line in open("/proc/self/status"))
print(json.dumps({"bytes": len(data), "outcome": outcome, "cpu_s": round(time.process_time() - cpu, 1),
                  "vm_peak_mb": int(status["VmPeak"].split()[0]) // 1024,
                  "vm_hwm_mb": int(status["VmHWM"].split()[0]) // 1024,
                  "children_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024}))
"""


def run(kind: str, arg: int) -> dict:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(REPO), kind, str(arg)], capture_output=True, text=True,
                         cwd=REPO, timeout=1800)
    if out.returncode != 0:
        return {"outcome": f"crashed: {out.stderr.strip().splitlines()[-1:]}"}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ocr-pages", type=int, nargs="*", default=[1, 3, 6])
    parser.add_argument("--no-doc", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectify_site.settings")
    import django

    django.setup()
    from django.conf import settings

    from bench._common import machine

    print(machine())
    print(f"caps: pool process address space {settings.RECTIFY_WORKER_MEMORY_MB} MB, LibreOffice "
          f"{settings.NOTICE_CONVERT_MEMORY_MB} MB, resident before a pool process is replaced "
          f"{settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD // 1024} MB")
    cases = [("txt", 3000, "3,000-issue .txt")]
    if not args.no_doc:
        cases.append(("doc", 0, "sample as .doc (LibreOffice)"))
    cases += [("ocr", n, f"scan, {n} page(s) OCR") for n in args.ocr_pages]
    print(f"{'case':32} {'bytes':>9} {'VmPeak MB':>10} {'VmHWM MB':>9} {'child RSS':>9} {'CPU s':>6}  outcome")
    for kind, arg, label in cases:
        r = run(kind, arg)
        print(f"{label:32} {r.get('bytes', 0):>9} {r.get('vm_peak_mb', 0):>10} {r.get('vm_hwm_mb', 0):>9} "
              f"{r.get('children_rss_mb', 0):>9} {r.get('cpu_s', 0):>6}  {r['outcome']}", flush=True)


if __name__ == "__main__":
    main()
