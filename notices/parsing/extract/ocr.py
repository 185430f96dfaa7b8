"""OCR of page images (scanned PDFs, photos) with RapidOCR's PP-OCRv4 Chinese models.

The models ship inside the ``rapidocr-onnxruntime`` wheel (Apache-2.0, like
the PaddleOCR models it packages) and are loaded from site-packages: nothing
is downloaded at run time.

Per page: a red seal is washed out (its pixels read through the red
channel, so the black text under it stays and the seal's own ring of text
does not join the notice); the page is turned upright (lines standing on
end mean a 90° turn; the direction classifier tells upside-down); the
engine finds text boxes and reads them; boxes are grouped into lines in the
page's own skew, and the lines go through the same paragraph rebuilding as
PDF text (``layout``).  The engine's mean confidence, weighted by characters,
is reported with the text.
"""
from __future__ import annotations

import logging
import math
import re
import statistics
import threading
from dataclasses import dataclass, field

from ..errors import NoticeFileError
from .base import ExtractContext, Limits
from .layout import Line, Page, lead_chars

logger = logging.getLogger(__name__)

# Long side of the image the engine sees: A4 at 200 dpi is 1654×2339; the
# detector works at up to 2000 px anyway.
MAX_SIDE = 2000
MIN_SCORE = 0.5  # lines the recogniser is less sure of are dropped (mostly specks)

UNAVAILABLE = "服务器的文字识别（OCR）组件无法加载，扫描件和图片暂时无法识别，请联系管理员；原文件已保存，修复后可重新解析"

_engine = None
_engine_lock = threading.Lock()


def too_many_pages_message(pages: int, limit: int) -> str:
    return f"扫描件共{pages}页，超过了每个文件最多识别{limit}页的上限，请拆分成多个文件上传，或上传文字版（Word、PDF）"


def too_many_pixels(pixels: int | None, limit: int) -> NoticeFileError:
    size = f"约{pixels / 1e6:.0f}百万像素，" if pixels else ""
    return NoticeFileError(
        f"图片尺寸过大（{size}上限{limit / 1e6:.0f}百万像素），请缩小后或以PDF扫描件重新上传",
        code="ocr_too_many_pixels",
    )


@dataclass
class Recognised:
    pages: list[Page] = field(default_factory=list)
    confidence: float | None = None
    warnings: list[str] = field(default_factory=list)
    _weights: list[tuple[float, int]] = field(default_factory=list)

    def add(self, page: Page, scores: list[tuple[float, int]]) -> None:
        self.pages.append(page)
        self._weights += scores
        total = sum(n for _s, n in self._weights)
        self.confidence = round(sum(s * n for s, n in self._weights) / total, 3) if total else None


def engine():
    """The shared recogniser (loaded once per process, from the wheel's own model files)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            try:
                import cv2  # noqa: F401  (OpenCV needs a few system libraries: say so if they are missing)
                from rapidocr_onnxruntime import RapidOCR
            except ImportError as exc:
                logger.error("OCR cannot load: %s", exc)
                raise NoticeFileError(UNAVAILABLE, code="ocr_unavailable") from exc
            ocr = RapidOCR(print_verbose=False)
            for holder in (ocr.text_det.infer, ocr.text_cls.infer, ocr.text_rec.session):
                holder.session = _session(holder.session._model_path)
            _engine = ocr
        return _engine


def _session(model_path: str):
    """An ONNX session that shares the CPU politely: at most two threads, and none spin while idle.

    (Spinning threads are onnxruntime's default; on a machine where other
    processes want the cores too they make every page several times slower.)
    """
    import os

    from onnxruntime import GraphOptimizationLevel, InferenceSession, SessionOptions

    options = SessionOptions()
    options.log_severity_level = 4
    options.enable_cpu_mem_arena = False
    options.graph_optimization_level = GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = max(1, min(2, os.cpu_count() or 1))
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return InferenceSession(model_path, sess_options=options, providers=["CPUExecutionProvider"])


# --- entry points -----------------------------------------------------------------------


def recognise_pdf_pages(document, indexes: list[int], ctx: ExtractContext) -> Recognised:
    """Render and recognise the given pages of a PDFium document."""
    limits = ctx.limits
    result = Recognised()
    ctx.report(0, len(indexes))
    for done, index in enumerate(indexes, start=1):
        page = document[index]
        try:
            width, height = page.get_size()
            scale = limits.ocr_dpi / 72
            if width * height * scale * scale > limits.max_pixels:
                # A poster-sized page: render it smaller rather than bigger than the budget.
                scale = math.sqrt(limits.max_pixels / max(width * height, 1.0))
            bitmap = page.render(scale=scale)
            try:
                image = bitmap.to_numpy().copy()
                mode = bitmap.mode
            finally:
                bitmap.close()
        finally:
            page.close()
        rgb = _to_rgb(image, mode)
        result.add(*recognise(rgb))
        ctx.report(done, len(indexes))
    return result


def recognise_images(images, count: int, ctx: ExtractContext) -> Recognised:
    """Recognise RGB numpy images (one per page) as they come from ``images``."""
    result = Recognised()
    ctx.report(0, count)
    for done, rgb in enumerate(images, start=1):
        result.add(*recognise(rgb))
        ctx.report(done, count)
    return result


def check_pixels(width: int, height: int, limits: Limits) -> None:
    if width * height > limits.max_pixels:
        raise too_many_pixels(width * height, limits.max_pixels)


# --- one page ---------------------------------------------------------------------------


def recognise(rgb) -> tuple[Page, list[tuple[float, int]]]:
    """``(page, [(score, characters)…])`` for one RGB page image."""
    import cv2
    import numpy as np

    height, width = rgb.shape[:2]
    factor = min(1.0, MAX_SIDE / max(height, width))
    if factor < 1.0:
        rgb = cv2.resize(rgb, (round(width * factor), round(height * factor)), interpolation=cv2.INTER_AREA)
    bgr = np.ascontiguousarray(wash_out_seals(rgb)[:, :, ::-1])
    bgr, boxes = _upright(bgr)
    if not boxes:
        return (float(bgr.shape[1]), float(bgr.shape[0]), []), []
    ocr = engine()
    crops = ocr.get_crop_img_list(bgr, boxes)
    texts, _elapse = ocr.text_rec(crops, True)
    found = [(box, tidy(_spaced(rec)), float(rec[1])) for box, rec in zip(boxes, texts)
             if rec[0].strip() and rec[1] >= MIN_SCORE]
    lines = _lines(found)
    h = float(bgr.shape[0])
    page_lines = [
        Line(text, x0, x1, h - y1, h - y0, lead) for text, x0, x1, y0, y1, lead in lines
    ]
    return (float(bgr.shape[1]), h, page_lines), [(score, len(text)) for _b, text, score in found]


def _spaced(rec) -> str:
    """The recognised text with the spaces between Latin words and numbers put back.

    The recogniser drops spaces (「3221279 3223823」 comes out as one number);
    its word grouping still splits where the gap between characters was wide,
    so two groups of Latin letters or digits side by side get a space again.
    """
    text = rec[0]
    try:
        words = ["".join(word) for word in rec[2][1]]
    except (IndexError, TypeError):
        return text
    if "".join(words) != text:
        return text
    out = words[:1]
    for word in words[1:]:
        if out[-1][-1:].isascii() and out[-1][-1:].isalnum() and word[:1].isascii() and word[:1].isalnum():
            out.append(" ")
        out.append(word)
    return "".join(out)


# A speck of scanner dust next to punctuation comes back as a dot of its own
# (「，·认真」); no Chinese text has a dot right after a comma or full stop.
_SPECK_RE = re.compile(r"(?<=[，。、；：！？“”‘’（）《》])[·.．'‘’,](?=[\u4e00-\u9fff“‘（《\d])")
_DOUBLED_RE = re.compile(r"(?<=[，。、；：])[，、]+")
# 「3:提高…」: the recogniser often takes the full stop of a numbered heading for a colon.
_HEADING_COLON_RE = re.compile(r"^(\s*\d{1,2})[:：](?=[\u4e00-\u9fff])")


def tidy(text: str) -> str:
    """Undo the recogniser's commonest slips that change how a line parses, and nothing else."""
    text = _SPECK_RE.sub("", text)
    text = _DOUBLED_RE.sub("", text)
    return _HEADING_COLON_RE.sub(r"\1.", text)


def wash_out_seals(rgb):
    """Wash red seals out: the red ink becomes paper, black text under it stays.

    A seal is a roughly round red blob a few centimetres across; long red
    strips (a 红头 letterhead, a red rule) are left alone.
    """
    import cv2
    import numpy as np

    r = rgb[:, :, 0].astype(np.int16)
    gb = np.maximum(rgb[:, :, 1], rgb[:, :, 2]).astype(np.int16)
    red = ((r - gb) > 60) & (r > 110)
    if red.sum() < 200:
        return rgb
    height, width = red.shape
    ink = max(float(np.median(r[red])), 1.0)  # how bright pure seal ink is in the red channel
    # Grown enough to bridge a line of black text drawn across the ring (it splits the red in two).
    size = max(3, round(min(height, width) / 40))
    grown = cv2.dilate(red.astype(np.uint8), np.ones((size, size), np.uint8), iterations=2)
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(grown, connectivity=8)
    out = None
    for i in range(1, count):
        x, y, w, h, _area = stats[i]
        # undo the growth on every side (the box must not bleach black text beside the seal)
        x, y, w, h = x + 2 * (size // 2), y + 2 * (size // 2), w - 4 * (size // 2), h - 4 * (size // 2)
        if w <= 0 or h <= 0:
            continue
        if min(w, h) < min(height, width) * 0.06 or not 0.6 <= w / max(h, 1) <= 1.6:
            continue
        if out is None:
            out = rgb.copy()
        region = out[y : y + h, x : x + w]
        # Through the red channel, brightened so that pure seal ink reads as white paper: black
        # text under the seal stays dark (it is dark in every channel), its anti-aliased edges grey.
        red_channel = r[y : y + h, x : x + w]
        inked = (red_channel - gb[y : y + h, x : x + w]) > 12  # down to the faint pink edges of its strokes
        seen = np.clip(red_channel[inked].astype(np.float32) * (255.0 / ink), 0, 255).astype(np.uint8)
        region[inked] = seen[:, None]
    return rgb if out is None else out


def _upright(bgr):
    """Turn the page so its lines run left to right, top to bottom; returns ``(image, boxes)``."""
    import cv2

    ocr = engine()
    boxes = _detect(bgr)
    if boxes and _standing(boxes):
        bgr = cv2.rotate(bgr, cv2.ROTATE_90_CLOCKWISE)
        boxes = _detect(bgr)
    if boxes and _upside_down(bgr, boxes, ocr):
        bgr = cv2.rotate(bgr, cv2.ROTATE_180)
        boxes = _detect(bgr)
    return bgr, boxes


def _detect(bgr) -> list:
    boxes, _elapse = engine().text_det(bgr)
    if boxes is None or len(boxes) == 0:
        return []
    return list(boxes)


def _size(box) -> tuple[float, float]:
    (x0, y0), (x1, y1), _c, (x3, y3) = box[:4]
    return math.hypot(x1 - x0, y1 - y0), math.hypot(x3 - x0, y3 - y0)


def _standing(boxes) -> bool:
    """Most elongated boxes are taller than wide: the text runs down the image (a page turned 90°)."""
    tall = wide = 0
    for box in boxes:
        w, h = _size(box)
        if h > 2 * w:
            tall += 1
        elif w > 2 * h:
            wide += 1
    return tall > 2 * wide and tall >= 3


def _upside_down(bgr, boxes, ocr) -> bool:
    longest = sorted(boxes, key=lambda b: -_size(b)[0])[:24]
    crops = ocr.get_crop_img_list(bgr, longest)
    _imgs, results, _elapse = ocr.text_cls(crops)
    flipped = sum(1 for label, score in results if label == "180" and score > 0.8)
    return flipped * 2 > len(results)


def _lines(found) -> list[tuple[str, float, float, float, float, float]]:
    """Group recognised boxes into text lines, in the page's skew; ``(text, x0, x1, y0, y1, lead)`` in image pixels."""
    angles = []
    for box, _text, _score in found:
        (x0, y0), (x1, y1) = box[0], box[1]
        w, h = _size(box)
        if w > 3 * h:
            angles.append(math.atan2(y1 - y0, x1 - x0))
    angle = statistics.median(angles) if angles else 0.0
    cos, sin = math.cos(-angle), math.sin(-angle)

    items = []
    for box, text, _score in found:
        xs = [p[0] * cos - p[1] * sin for p in box]
        ys = [p[0] * sin + p[1] * cos for p in box]
        items.append([min(xs), max(xs), min(ys), max(ys), text])
    items.sort(key=lambda it: (it[2] + it[3]) / 2)

    rows: list[list[list]] = []
    for item in items:
        mid = (item[2] + item[3]) / 2
        if rows:
            row = rows[-1]
            top = statistics.median(it[2] for it in row)
            bottom = statistics.median(it[3] for it in row)
            if top <= mid <= bottom:
                row.append(item)
                continue
        rows.append([item])

    lines = []
    for row in rows:
        row.sort(key=lambda it: it[0])
        height = statistics.median(it[3] - it[2] for it in row)
        parts = [row[0][4]]
        for prev, item in zip(row, row[1:]):
            parts.append(" " if item[0] - prev[1] > 1.5 * height else "")
            parts.append(item[4])
        text = "".join(parts)
        x0, x1 = row[0][0], max(it[1] for it in row)
        y0, y1 = min(it[2] for it in row), max(it[3] for it in row)
        lines.append((text, x0, x1, y0, y1, _lead(text, x0, x1)))
    return lines


def _lead(text: str, x0: float, x1: float) -> float:
    """Estimated width of the line's first unbreakable token (hanzi are one em, Latin half)."""
    ems = sum(0.5 if ord(ch) < 0x2E80 else 1.0 for ch in text) or 1.0
    em = (x1 - x0) / ems
    n = lead_chars(text)
    if not n:
        return 0.0
    return em * (0.5 * n if ord(text[0]) < 0x2E80 else 1.0)


def _to_rgb(image, mode: str):
    import cv2

    if mode in ("BGRA", "BGRX"):
        return cv2.cvtColor(image, cv2.COLOR_BGRA2RGB)
    if mode == "BGR":
        return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    if mode == "L":
        return cv2.cvtColor(image, cv2.COLOR_GRAY2RGB)
    return image[:, :, :3]
