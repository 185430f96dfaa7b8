"""Parse benchmark: extract + structure-parse each sample notice, in process.

    .venv/bin/python bench/parse_bench.py [--reps N] [--no-formats] [--no-ocr]

For every sample notice in ../shared/notices it times ``extract_text`` +
``parse_text`` (what an upload costs, minus Django and the database) over N
repetitions after a warm-up, and prints the median, the 95th percentile and
the throughput beside a floor: reading the file and running one regular
expression over its text, the least any parser must do.  A synthetic 40 KB
notice checks the size target, and (unless --no-formats) one notice is also
timed as .docx, .html, .pdf, .ofd and .doc to show what the format costs.
Two more tables (unless --no-formats): the PDF text reader (PDFium) beside
pdfminer.six on the same five sample PDFs, as a ratio; and OCR of one
sample printed, sealed and scanned at 200 dpi, in seconds per page
(unless --no-ocr).

No Django, no database: only ``notices.parsing``.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from notices.parsing import parse_text  # noqa: E402
from notices.parsing.extract import extract_text  # noqa: E402

SAMPLES = sorted((REPO.parent / "shared" / "notices").glob("*.txt"))
FLOOR_RE = re.compile(r"^[（(]?[一二三四五六七八九十\d]+[、.．)）]", re.M)

TARGET_MEDIAN_MS = 10.0
TARGET_40K_MS = 20.0
TARGET_1000_ISSUES_MS = 1000.0


def district_notice(issues: int = 1000, per_category: int = 100) -> str:
    """A district-wide notice: categories of numbered problems, each with its 整改情况 and measures."""
    from notices.parsing.structure.numerals import int_to_cn

    lines = ["中共某某区卫生健康局党组关于区委巡察整改进展情况的通报",
             "根据区委统一部署，2025年3月3日至5月30日，区委第二巡察组对区卫生健康局党组开展了巡察。"
             "2025年7月1日反馈了巡察意见。现将巡察整改进展情况予以公布。",
             "一、整改工作组织情况", "局党组召开专题会议研究部署整改工作。", "二、巡察反馈问题整改情况"]
    for k in range(issues):
        if k % per_category == 0:
            c = k // per_category
            lines.append(f"（{int_to_cn(c + 1)}）关于第{c + 1}方面的问题")
        status = "已完成整改" if k % 3 else "正在整改，计划于2026年6月底前完成"
        lines.append(f"{k + 1}.第{k + 1}家卫生院药品耗材管理不规范。整改情况：{status}。一是建立台账，二是开展自查，三是约谈相关人员。")
    lines += ["三、下一步工作打算", "持续巩固整改成果。", "公开期限：2025年10月8日至10月22日。联系电话：0371-66660000。",
              "中共某某区卫生健康局党组", "2025年10月8日"]
    return "\n".join(lines) + "\n"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


CLOCK = time.perf_counter_ns


def timed(fn, reps: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    clock = CLOCK
    for _ in range(reps):
        t0 = clock()
        fn()
        out.append((clock() - t0) / 1e6)
    return out


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def row(label: str, size: int, times: list[float], split: tuple[float, float] | None, floor: list[float] | None):
    med = statistics.median(times)
    mbps = size / 1e6 / (med / 1e3)
    split_txt = f"{split[0]:8.2f} {split[1]:8.2f}" if split else f"{'':8} {'':8}"
    floor_txt = ""
    if floor is not None:
        fmed = statistics.median(floor)
        floor_txt = f"{fmed:8.3f} {size / 1e6 / (fmed / 1e3):8.1f} {med / fmed:6.0f}x"
    return f"{label:<26} {size / 1024:6.1f} {med:8.2f} {p95(times):8.2f} {mbps:7.2f} {split_txt}  {floor_txt}", med


def bench_file(path: Path | None, data: bytes, name: str, reps: int, split: bool = True):
    def run():
        parse_text(extract_text(data, name).text)

    times = timed(run, reps)
    parts = None
    if split:
        text = extract_text(data, name).text
        extract_only = timed(lambda: extract_text(data, name), reps)
        parse_only = timed(lambda: parse_text(text), reps)
        parts = (statistics.median(extract_only), statistics.median(parse_only))
    floor = None
    if path is not None:
        def floor_fn():
            FLOOR_RE.findall(path.read_bytes().decode("utf-8"))

        floor = timed(floor_fn, reps)
    return times, parts, floor


def pdf_readers(builders, reps: int) -> None:
    """PDFium (what extract_text uses) beside pdfminer.six's layout analysis (what it used), same PDFs."""
    import io

    from pdfminer.high_level import extract_text as pdfminer_text

    from notices.parsing.extract import pdf

    print()
    print(f"{'PDF text reader':<26} {'KB':>6} {'pdfium':>8} {'pdfminer':>8} {'ratio':>7}")
    total_new = total_old = 0.0
    for path in SAMPLES:
        data = builders.to_pdf(path.read_text("utf-8"))
        new = statistics.median(timed(lambda: pdf.extract(data), reps))
        old = statistics.median(timed(lambda: pdfminer_text(io.BytesIO(data)), max(3, reps // 5), warmup=1))
        total_new, total_old = total_new + new, total_old + old
        print(f"{path.name[:24] + '.pdf':<26} {len(data) / 1024:6.1f} {new:8.2f} {old:8.2f} {old / new:6.1f}x")
    print(f"{'all five':<26} {'':6} {total_new:8.2f} {total_old:8.2f} {total_old / total_new:6.1f}x")


def ocr_row(builders) -> None:
    """One sample printed, sealed, scanned at 200 dpi, then read by OCR: seconds per page."""
    from notices.parsing.extract import ocr

    ocr.engine()  # model loading is once per worker process, not per notice
    sample = SAMPLES[1]
    data = builders.to_scanned_pdf(sample.read_text("utf-8"), seed=1)
    wall, cpu = time.perf_counter(), time.process_time()
    result = extract_text(data, "scan.pdf")
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print()
    print(f"{'scanned PDF (OCR)':<26} {'pages':>6} {'s/page':>8} {'cpu s/pg':>8} {'conf':>6}")
    print(f"{sample.name[:3] + ' 200 dpi, sealed':<26} {result.pages:6d} {wall / result.pages:8.2f} "
          f"{cpu / result.pages:8.2f} {result.ocr_confidence:6.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--reps", type=int, default=200)
    ap.add_argument("--no-formats", action="store_true", help="skip the docx/html/pdf/ofd/doc, PDF reader and OCR timings")
    ap.add_argument("--no-ocr", action="store_true", help="skip the scanned-PDF (OCR) row")
    ap.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="wall: what an upload waits (default); cpu: this process's CPU time, steadier on a busy machine",
    )
    args = ap.parse_args()
    global CLOCK
    CLOCK = time.perf_counter_ns if args.clock == "wall" else time.process_time_ns
    if not SAMPLES:
        print(f"no sample notices under {REPO.parent / 'shared' / 'notices'}", file=sys.stderr)
        return 2

    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    print(f"python:  {platform.python_implementation()} {platform.python_version()}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    print(f"load:    {load} (1/5/15 min) at start")
    print(f"reps:    {args.reps} per sample after 3 warm-up runs; times in ms ({args.clock} clock)")
    print("columns: median/p95 of extract+parse; extract and parse medians timed separately;")
    print("         floor = read the file + one regular expression over its text")
    print()
    header = (
        f"{'notice (extract+parse)':<26} {'KB':>6} {'median':>8} {'p95':>8} {'MB/s':>7} {'extract':>8} {'parse':>8}"
        f"  {'floor':>8} {'MB/s':>8} {'ratio':>7}"
    )
    print(header)
    print("-" * len(header))
    ok = True
    for path in SAMPLES:
        data = path.read_bytes()
        times, parts, floor = bench_file(path, data, path.name, args.reps)
        line, med = row(path.name[:24], len(data), times, parts, floor)
        ok &= med < TARGET_MEDIAN_MS
        print(line)

    # A 40 KB notice: the longest sample, continued with another's feedback part.
    longest = max(SAMPLES, key=lambda p: p.stat().st_size).read_text("utf-8")
    filler = SAMPLES[1].read_text("utf-8")
    text = longest
    for line_ in filler.split("\n"):
        if len(text.encode("utf-8")) >= 40 * 1024:
            break
        text += "\n" + line_
    data = text.encode("utf-8")
    times, parts, _ = bench_file(None, data, "synthetic-40k.txt", args.reps)
    line, med40 = row("synthetic 40 KB notice", len(data), times, parts, None)
    print(line)
    ok &= med40 < TARGET_40K_MS

    # A district-wide notice listing 1,000 problems: the outline and classification stay linear.
    big = district_notice().encode("utf-8")
    times, parts, _ = bench_file(None, big, "district-1000.txt", max(3, args.reps // 40))
    line, med_big = row("1,000-issue notice", len(big), times, parts, None)
    print(line)
    ok &= med_big < TARGET_1000_ISSUES_MS

    if not args.no_formats:
        print()
        print(f"{'same notice, other formats':<26} {'KB':>6} {'median':>8} {'p95':>8} {'MB/s':>7} {'extract':>8} {'parse':>8}")
        try:
            sys.path.insert(0, str(REPO / "tests"))
            from extraction import builders  # test-time builders (reportlab is a dev dependency)
        except ImportError as exc:
            print(f"(skipped: {exc})")
        else:
            sample = SAMPLES[1]
            notice = sample.read_text("utf-8")
            variants = [
                ("gb18030.txt", notice.encode("gb18030"), args.reps),
                ("utf-16.txt", b"\xff\xfe" + notice.encode("utf-16-le"), args.reps),
                (".docx (auto-numbered)", builders.to_docx(notice, auto_numbering=True)[0], max(10, args.reps // 10)),
                (".html (site page)", builders.to_html(notice), max(10, args.reps // 10)),
                (".pdf (STSong CID font)", builders.to_pdf(notice), max(10, args.reps // 10)),
                (".ofd (GB/T 33190)", builders.to_ofd(notice), max(10, args.reps // 10)),
            ]
            if builders.soffice():
                variants.append((".doc (via LibreOffice)", builders.to_doc(notice), 3))
            for label, data, reps in variants:
                suffix = label.split(" ")[0] if label.startswith(".") else "." + label.split(".")[-1]
                times, parts, _ = bench_file(None, data, "x" + suffix, reps)
                print(row(f"{sample.name[:3]} {label}", len(data), times, parts, None)[0])
            pdf_readers(builders, max(5, args.reps // 20))
            if not args.no_ocr:
                ocr_row(builders)

    print()
    verdict = "met" if ok else "NOT met"
    print(f"targets (median < {TARGET_MEDIAN_MS:.0f} ms per sample, 40 KB < {TARGET_40K_MS:.0f} ms, "
          f"1,000 issues < {TARGET_1000_ISSUES_MS:.0f} ms): {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
