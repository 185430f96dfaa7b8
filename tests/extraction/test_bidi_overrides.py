"""U+202E and the other bidi controls (issue 13, item 7): removed at the extraction boundary in every format.

docs/RELIABILITY.md said so while titles and exports kept them.  Each
format's own extractor is shown to pass the character through (so the test
would notice a builder that lost it), then ``extract_text`` must remove it
with a warning, and no string of the parse — title, header fields, contacts,
categories, issues, measures — may hold one.
"""
from __future__ import annotations

import pytest

from notices.parsing import parse_text
from notices.parsing.extract import DEFAULT_CONTEXT, extract_text, get_extractor
from tests.reliability.corpus import synthetic_notice

from . import builders

RLO = "\u202e"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _notice_with_overrides() -> str:
    text = synthetic_notice(6, institution=f"清远市{RLO}中医院")
    text = text.replace("整改进展情况的通报", f"整改进展情况的{RLO}通报", 1)
    text = text.replace("联系电话：0763-3388123", f"联系电话：{RLO}0763-3388123")
    text = text.replace("第五巡察组", f"第五{RLO}巡察组")
    return text.replace("制度执行不到位", f"制度{RLO}执行不到位")


BUILD = {
    "txt": lambda t: (t.encode("utf-8"), "通报.txt"),
    "docx": lambda t: (builders.to_docx(t)[0], "通报.docx"),
    "html": lambda t: (builders.to_html(t), "通报.html"),
    "pdf": lambda t: (builders.to_pdf(t), "通报.pdf"),
    "ofd": lambda t: (builders.to_ofd(t), "通报.ofd"),
}


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("fmt", sorted(BUILD))
def test_a_right_to_left_override_reaches_no_parsed_string_in_any_format(fmt):
    text = _notice_with_overrides()
    data, name = BUILD[fmt](text)
    assert RLO in get_extractor(fmt)(data, DEFAULT_CONTEXT).text  # the file really carries it
    extracted = extract_text(data, name)
    assert RLO not in extracted.text
    assert any("双向文字控制符" in w for w in extracted.warnings)
    parsed = parse_text(extracted.text).to_dict()
    assert "清远市中医院" in parsed["institution"]
    assert "整改进展情况的通报" in parsed["title"]
    assert "0763-3388123" in parsed["contacts"]["phones"]
    strings = list(_strings(parsed))
    assert not [s for s in strings if set(BIDI) & set(s)]

