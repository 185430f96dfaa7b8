"""Hostile text against the parser: control characters, huge lines, every numbering style mixed.

``parse_text`` turns an internal crash into a ``parser_error`` warning, so
"never raises" is checked as "never needs that safety net": a hidden crash
fails here even though a user would only see a warning.  Each parse must
also stay within a CPU budget, so a pathological regex cannot hang a worker.
"""
import json
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notices.parsing import NoticeFileError, parse_bytes, parse_text
from notices.parsing.result import STATUSES

from . import corpus

CONTROL = [chr(c) for c in range(32)] + ["\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\u200b", "\u202e", "\ufffd"]
NUMBERING = ["一、", "十二、", "（一）", "(一)", "（十三）", "1.", "1、", "1．", "１２．", "（1）", "(12)", "①", "⑳", "Ⅰ、",
             "第一，", "第十二条", "一是", "二是", "问题一：", "9999.", "0.", "1.1.", "一、（一）1.（1）①"]
GENRE = ["整改落实情况：", "已完成整改", "正在整改", "长期坚持", "巡察", "反馈", "方面", "问题", "2024年", "13月", "32日",
         "公开期限：", "至", "下一步工作打算", "立行立改", "<script>alert(1)</script>", "'; DROP TABLE x; --", "%s", "{0}",
         "\\", "\n", "\r\n", "\n\n\n", "。", "　"]
CPU_BUDGET_S = 5.0


# One extremely long line of a repeated piece: where a careless regex backtracks.
huge_run = st.builds(lambda piece, n: piece * n, st.sampled_from(["整改", "1.", "一、", "（", "。", " ", "\t", "a"]),
                     st.integers(1_000, 30_000))
pieces = st.lists(
    st.one_of(st.sampled_from(CONTROL), st.sampled_from(NUMBERING), st.sampled_from(GENRE), st.text(max_size=12)),
    max_size=60,
)
hostile_text = st.builds(lambda before, run, after: "".join(before) + run + "".join(after),
                         pieces, st.one_of(st.just(""), huge_run), pieces)


def _check(parsed):
    assert "parser_error" not in {w.code for w in parsed.warnings}, parsed.warnings
    json.dumps(parsed.to_dict(), ensure_ascii=False)
    assert all(issue.status in STATUSES for issue in parsed.issues)
    if not parsed.is_rectification_notice:
        assert parsed.issues == []  # nothing invented from a text that is not a notice


def _timed_parse(text):
    started = time.process_time()
    parsed = parse_text(text)
    spent = time.process_time() - started
    assert spent < CPU_BUDGET_S, f"{spent:.1f}s of CPU for {len(text)} characters"
    return parsed


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hostile_text)
def test_the_structure_parser_never_crashes_on_hostile_text(text):
    _check(_timed_parse(text))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.tuples(st.integers(0, 10_000), hostile_text), max_size=6))
def test_hostile_fragments_inside_a_real_notice_never_crash_the_parser(insertions):
    text = corpus.NOTICE
    for position, fragment in insertions:
        position %= len(text) + 1
        text = text[:position] + fragment + text[position:]
    _check(_timed_parse(text))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(hostile_text, st.sampled_from(["utf-8", "gb18030", "utf-16-le", "utf-16"]))
def test_hostile_text_files_either_parse_or_are_refused_in_chinese(text, encoding):
    data = text.encode(encoding, errors="replace")
    try:
        _, parsed = parse_bytes(data, "通报.txt")
    except NoticeFileError as refused:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in refused.message), refused.message
    else:
        _check(parsed)


def test_a_long_run_of_spaces_is_stripped_in_linear_time():
    # Found by the test above: a quadratic space-stripping regex took 7 s for 20 000 spaces.
    text = corpus.NOTICE.replace("\n", "\n" + " " * 100_000 + "(12)\n", 1)
    _check(_timed_parse(text))
