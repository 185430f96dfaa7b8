"""Never raises, stays fast."""
import statistics
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from notices.parsing.structure import PARSER_VERSION, _parse, parse_text

from .builders import SAMPLES, notice, standard_body

# pieces of the genre, so generated text reaches deep into the parser
_PIECES = ["一、", "二、", "（一）", "(二)", "1.", "2、", "（1）", "①", "问题一：", "一是", "二是", "整改情况：", "已完成整改", "正在整改",
           "长期坚持", "。", "，", "：", "\n", "\n\n", "巡察", "整改", "方面", "下一步工作打算", "立行立改", "2025年", "3月", "11日", "至",
           "3月末", "中共", "委员会", "医院", "市委第三巡察组", "反馈", "公开期限：", "联系电话：0763-3126147", "@163.com", "“", "”",
           "**", "[bookmark: x]", "　", " ", "- 2 -", "個", "問題", "１２", "〇", "十"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=8)), max_size=80))
def test_the_parser_never_raises_on_genre_shaped_text(pieces):
    parsed = _parse("".join(pieces))
    assert parsed.parser_version == PARSER_VERSION
    parsed.to_dict()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=2000))
def test_the_parser_never_raises_on_arbitrary_text(text):
    _parse(text).to_dict()


def test_parse_text_turns_an_unexpected_failure_into_a_warning(monkeypatch):
    import notices.parsing.structure as structure

    def boom(text):
        raise RuntimeError("bug")

    monkeypatch.setattr(structure, "_parse", boom)
    parsed = parse_text("任何文字")
    assert [w.code for w in parsed.warnings] == ["parser_error"]


def _cpu_ms(text, runs=7):
    times = []
    for _ in range(runs):
        t = time.process_time()
        _parse(text)
        times.append((time.process_time() - t) * 1000)
    return min(times)


def test_each_sample_parses_in_a_few_milliseconds():
    texts = [p.read_text(encoding="utf-8") for p in SAMPLES]
    _parse(texts[0])  # warm the regex cache
    times = [_cpu_ms(t) for t in texts]
    assert statistics.median(times) < 10, times
    assert max(times) < 20, times


def test_five_hundred_issues_and_very_long_lines_stay_fast():
    big = notice(standard_body(5, 100))
    assert _cpu_ms(big, 3) < 250
    long_line = notice("二、巡察反馈问题整改落实情况\n1.问题整改不到位。" + "一是加强学习，2024年7月1日召开会议；" * 4000 + "\n")
    assert _cpu_ms(long_line + "，" * 50000 + "\n" + "1" * 50000 + "\n" + "（" * 30000, 3) < 600


def test_control_characters_and_a_lone_traditional_character_do_not_break_the_parser():
    # found by hypothesis: t2s dropped the NUL and left an empty line behind
    assert _parse("個\r\x00").issues == []
    assert _parse("\x00\x01二、巡察反馈问題\x7f\n1.學習不深入。整改情況：已完成整改。").to_dict()


def test_a_section_without_numbered_items_does_not_treat_plain_lines_as_issues():
    # found by hypothesis: with no issue level, unnumbered lines matched "no kind"
    parsed = _parse("一、整改情况：\n市委第三巡察组")
    assert parsed.issues == []


def test_hostile_shapes_stay_linear():
    # a hard-wrapped megabyte without a full stop, endless unclosed bookmarks,
    # a short name repeated everywhere, dates filling the closing
    cases = [
        "\n".join(["巡察整改情况" * 6] * 20000),
        "巡察整改" + "[bookmark:" * 50000,
        "中共某市中医院委员会关于巡察整改的通报\n对市中医院开展巡察。\n" + "".join(f"甲{i}乙市中医院，" for i in range(10000)),
        "一、巡察整改\n1.问题。\n欢迎监督。" + "2024年1月1日，" * 20000,
        # found by the fuzz test: a heading of unclosed brackets (a status-title regex went quadratic)
        "一、巡察整改情况\n二、" + "整改" * 3000 + "（" * 15000 + "\n1.问题。整改情况：已完成。\n",
        "一、巡察整改情况\n" + "“" * 20000 + "\n1.问题。\n",
    ]
    for text in cases:
        assert _cpu_ms(text, 1) < 1500, text[:20]
