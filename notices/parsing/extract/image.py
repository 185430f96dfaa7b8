"""Scanned or photographed pages (.jpg/.png/.tif): OCR.

The image's declared size is checked before a pixel is decoded (and the
page count of a multi-page TIFF); the camera's EXIF orientation is applied,
then ``ocr`` turns the page upright if it still lies on its side.
"""
from __future__ import annotations

import io

from ..errors import NoticeFileError
from ._text import normalize_text
from .base import DEFAULT_CONTEXT, ExtractContext, ExtractedText
from .layout import assemble

FORMAT = "image"

_CORRUPT = "图片文件已损坏或格式无法识别，请重新拍照或扫描后上传（支持JPG、PNG、TIFF）"
_NO_TEXT = "图片中没有识别出文字（可能太模糊、太暗或不是通报页面），请重新拍照或扫描后上传"


def extract(data: bytes, ctx: ExtractContext = DEFAULT_CONTEXT) -> ExtractedText:
    from PIL import Image, UnidentifiedImageError

    from . import ocr

    limits = ctx.limits
    try:
        image = Image.open(io.BytesIO(data))
        frames = getattr(image, "n_frames", 1)
    except Image.DecompressionBombError as exc:  # Pillow's own check, on dimensions far past ours
        raise ocr.too_many_pixels(None, limits.max_pixels) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise NoticeFileError(_CORRUPT, code="corrupt") from exc
    if frames > limits.max_ocr_pages:
        raise NoticeFileError(ocr.too_many_pages_message(frames, limits.max_ocr_pages), code="ocr_too_many_pages")

    def pages():
        for index in range(frames):
            try:
                image.seek(index)
                ocr.check_pixels(*image.size, limits)
                yield _page_array(image)
            except NoticeFileError:
                raise
            except (OSError, ValueError, EOFError, Image.DecompressionBombError) as exc:
                raise NoticeFileError(_CORRUPT, code="corrupt") from exc

    recognised = ocr.recognise_images(pages(), frames, ctx)
    text = normalize_text(assemble(recognised.pages))
    if not text.strip():
        raise NoticeFileError(_NO_TEXT, code="no_text")
    return ExtractedText(text=text, format=FORMAT, warnings=recognised.warnings, pages=frames,
                         text_source="ocr", ocr_confidence=recognised.confidence)


def _page_array(image):
    """The current frame as an upright RGB array, decoded no larger than OCR needs."""
    import numpy as np
    from PIL import Image, ImageOps

    from .ocr import MAX_SIDE

    if image.format == "JPEG":
        # Decode a big photo at 1/2, 1/4… of its size straight away (less memory and time).
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))
    frame = ImageOps.exif_transpose(image)
    if frame.mode not in ("RGB", "L"):
        frame = frame.convert("RGBA") if "A" in frame.mode or frame.mode == "P" else frame.convert("RGB")
    if frame.mode == "RGBA":
        # Transparent pixels are paper, not black.
        background = Image.new("RGB", frame.size, (255, 255, 255))
        background.paste(frame, mask=frame.getchannel("A"))
        frame = background
    frame = frame.convert("RGB")
    frame.thumbnail((MAX_SIDE, MAX_SIDE))
    return np.asarray(frame)
