"""The five published samples, scored with the scorer's own comparison."""
import importlib.util
import json
import re

import pytest

from notices.parsing.structure import parse_text

from .builders import GOLD, SAMPLES, SHARED

SCORER = SHARED / "tools" / "score_parse.py"


def _scorer(fold=False):
    if not SCORER.exists():
        pytest.skip(f"the scorer is not at {SCORER}")
    spec = importlib.util.spec_from_file_location("score_parse_for_parsing_tests", SCORER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    if fold:
        from opencc import OpenCC

        module.FOLD = OpenCC("t2s").convert
    return module


def _gold(path):
    return json.loads((GOLD / (path.stem + ".json")).read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem[:3] for p in SAMPLES])
def test_every_sample_matches_its_gold_exactly(path):
    result = _scorer().score_one(_gold(path), parse_text(path.read_text(encoding="utf-8")).to_dict())
    assert result["notes"] == []
    matched, wanted, found = result["issues"]
    assert matched == wanted == found


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem[:3] for p in SAMPLES])
def test_traditional_character_versions_of_the_samples_parse_as_well(path):
    from opencc import OpenCC

    traditional = OpenCC("s2t").convert(path.read_text(encoding="utf-8"))
    parsed = parse_text(traditional)
    result = _scorer(fold=True).score_one(_gold(path), parsed.to_dict())
    assert result["notes"] == []
    # the notice's own (traditional) characters are kept in what we return
    assert parsed.issues[0].title == OpenCC("s2t").convert(parse_text(path.read_text(encoding="utf-8")).issues[0].title)


@pytest.mark.parametrize("width", [24, 36, 50])
@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem[:3] for p in SAMPLES])
def test_samples_hard_wrapped_like_pdf_output_with_page_numbers_still_parse(path, width):
    out = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        line = line.strip().replace("[bookmark: ", "").split("]")[-1]
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    paged = []
    for i, line in enumerate(out):
        if i and i % 40 == 0:
            paged += ["", f"- {i // 40} -", ""]
        paged.append(line)
    result = _scorer().score_one(_gold(path), parse_text("\n".join(paged)).to_dict())
    assert result["notes"] == []


def test_the_sample_that_declares_32_completed_but_lists_31_is_flagged():
    path = next(p for p in SAMPLES if p.stem.startswith("003"))
    parsed = parse_text(path.read_text(encoding="utf-8"))
    codes = {w.code: w.message for w in parsed.warnings}
    assert parsed.declared.completed == 32
    assert sum(1 for i in parsed.issues if i.status == "completed") == 31
    assert "declared_completed_mismatch" in codes
    assert "32" in codes["declared_completed_mismatch"] and "31" in codes["declared_completed_mismatch"]


def test_sample_statistics_are_reported():
    path = next(p for p in SAMPLES if p.stem.startswith("003"))
    stats = {(s.label, s.value, s.unit) for s in parse_text(path.read_text(encoding="utf-8")).statistics}
    assert ("制定规章制度", 29, "项") in stats
    assert ("约谈教育干部", 299, "人") in stats
    assert ("通报批评", 16, "人") in stats


_FULL = str.maketrans("0123456789", "０１２３４５６７８９")
_PERTURBATIONS = {
    "numbers with 、": lambda t: re.sub(r"(?m)^(\d+)[.．、]\s*", r"\1、", t),
    "full-width numbers": lambda t: re.sub(r"(?m)^(\d+)[.．、]", lambda m: m.group(1).translate(_FULL) + "．", t),
    "numbers in brackets": lambda t: re.sub(r"(?m)^(\d+)[.．、]\s*", r"（\1）", t),
    "half-width category brackets": lambda t: re.sub(r"(?m)^（([一二三四五六七八九十]+)）", r"(\1)", t),
    "bold headings": lambda t: re.sub(r"(?m)^((?:（[一二三四]）|\d+[.、]).*)$", r"**\1**", t),
    "indented paragraphs": lambda t: re.sub(r"(?m)^", "\u3000\u3000", t),
    "windows line ends": lambda t: t.replace("\n", "\r\n"),
}


@pytest.mark.parametrize("name", list(_PERTURBATIONS))
@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem[:3] for p in SAMPLES])
def test_samples_with_other_numbering_styles_and_marks_still_parse(path, name):
    text = _PERTURBATIONS[name](path.read_text(encoding="utf-8"))
    result = _scorer().score_one(_gold(path), parse_text(text).to_dict())
    assert result["notes"] == []
