"""Shared helpers for the extraction tests: samples, comparisons, parse views.

Nothing here needs Django: run these tests alone with
``.venv/bin/python -m pytest --confcutdir=tests/extraction -p no:django tests/extraction``.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES_DIR = REPO.parent / "shared" / "notices"
SAMPLE_PATHS = sorted(SAMPLES_DIR.glob("*.txt"))
SAMPLE_IDS = [p.name.split("_")[0] for p in SAMPLE_PATHS]

_WS = re.compile(r"\s+")

# Fields of ParsedNotice that say what the notice is; the comparison unit of
# the parse-equality tests (per-issue text is compared separately, whitespace-insensitively).
HEADER_FIELDS = (
    "title", "institution", "institution_aliases", "inspecting_body", "round", "inspection_group",
    "inspection_start", "inspection_end", "feedback_date", "published_date", "disclosure_start",
    "disclosure_end", "contacts", "declared", "is_rectification_notice",
)
VOLATILE = ("parser_version", "warnings")


def sample_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def squash(text: str) -> str:
    """Whitespace-insensitive form of a text."""
    return _WS.sub("", text)


def structure_parser():
    """The structure parser's ``parse_text``, or skip (visibly) while it does not exist yet."""
    try:
        from notices.parsing.structure import parse_text
    except ImportError as exc:
        pytest.skip(f"structure parser not available yet: {exc}")
    return parse_text


def parse_view(parse_text, text: str) -> dict:
    """What must not change when the same notice arrives in another format."""
    d = parse_text(text).to_dict()
    for key in VOLATILE:
        d.pop(key, None)
    return {
        "header": {k: d.get(k) for k in HEADER_FIELDS},
        "categories": [(c["number"], squash(c["title"])) for c in d["categories"]],
        "issues": [(i["category"], i["number"], squash(i["title"]), i["status"]) for i in d["issues"]],
        "issue_text": [squash(i["text"]) for i in d["issues"]],
        "immediate_items": [(squash(i["text"]), i["status"]) for i in d["immediate_items"]],
        "statistics": [(s["label"], s["value"], s["unit"]) for s in d["statistics"]],
    }


def full_view(parse_text, text: str) -> dict:
    d = parse_text(text).to_dict()
    for key in VOLATILE:
        d.pop(key, None)
    return d
