"""The parser on notices written for these tests, not taken from the samples.

Each ``notices/NAME.txt`` follows a layout seen in published notices but
absent from ``../shared/notices`` (problem/整改情况 pairs with 需长期坚持, issues
grouped under 已完成整改的问题 / 正在整改的问题 with （一） numbering, numbered
立行立改 items, indented signatures).  ``gold/NAME.json`` is hand-written gold in the
scorer's format (kept apart from the notices because the scorer opens the first
``NAME.*`` it finds: ``score_parse.py --notices tests/generalization/notices
--gold tests/generalization/gold``), and the scorer's own comparison is used, so these guard the
patterns rather than the five sample files.
"""
import importlib.util
import json
from pathlib import Path

import pytest

from notices.parsing import parse_bytes

HERE = Path(__file__).resolve().parent
SCORER = HERE.parents[2] / "shared" / "tools" / "score_parse.py"
CASES = sorted((HERE / "notices").glob("*.txt"))


def _scorer():
    if not SCORER.exists():
        pytest.skip(f"the scorer is not at {SCORER}")
    spec = importlib.util.spec_from_file_location("score_parse", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_unseen_layout_parses_exactly(path):
    gold = json.loads((HERE / "gold" / f"{path.stem}.json").read_text(encoding="utf-8"))
    _, parsed = parse_bytes(path.read_bytes(), path.name)
    result = _scorer().score_one(gold, parsed.to_dict())
    assert result["notes"] == []
    matched, wanted, found = result["issues"]
    assert matched == wanted == found

