"""``apply_corrections``: the pure layer that re-applies staff corrections to any parse of the same text."""
import datetime as dt

from notices.parsing.corrections import (
    ADD_ISSUE,
    APPLIED,
    HEADER,
    INSTITUTION,
    ISSUE,
    MERGE,
    NOT_ISSUE,
    REDUNDANT,
    SPLIT,
    STALE,
    CorrectionSpec,
    apply_corrections,
    content_key,
    issue_key,
    parsed_from_dict,
    review_fingerprint,
)
from notices.parsing.result import IssueSection, OutlineEntry, ParsedCategory, ParsedIssue, ParsedNotice


def _issue(number, title, status="not_stated", category="一", text=None, evidence="", measures=()):
    return ParsedIssue(category=category, number=str(number), title=title, text=text or f"{number}.{title}。",
                       status=status, status_evidence=evidence, order=0, measures=list(measures))


def _notice(*issues, **header):
    return ParsedNotice(parser_version="t", institution="清远市中医院", feedback_date=dt.date(2024, 3, 28),
                        categories=[ParsedCategory("一", "关于党建方面", 0), ParsedCategory("二", "关于医保方面", 1)],
                        issues=list(issues), **header)


def _spec(n, kind, target="", **payload):
    return CorrectionSpec(id=n, kind=kind, target=target, payload=payload)


def test_a_status_correction_finds_its_issue_again_in_a_reparse_that_reorders_and_renumbers_nothing_else():
    first = _notice(_issue(1, "理论学习不深入"), _issue(2, "财务管理不规范"))
    fix = _spec(1, ISSUE, issue_key(first.issues[1]), status="completed", status_evidence="已完成整改。")
    # The same text parsed again, with an issue the new parser version now also finds before it.
    again = _notice(_issue(1, "理论学习不深入"), _issue(5, "新识别的问题", category="二"), _issue(2, "财务管理不规范"))
    result, outcomes = apply_corrections(again, [fix])
    assert [(i.title, i.status) for i in result.issues] == [
        ("理论学习不深入", "not_stated"), ("新识别的问题", "not_stated"), ("财务管理不规范", "completed")]
    assert [i.order for i in result.issues] == [0, 1, 2]
    assert outcomes[0].state == APPLIED and outcomes[0].issue_key == issue_key(result.issues[2])


def test_the_key_falls_back_on_the_title_when_the_number_changed_but_never_guesses_between_two():
    fix = _spec(1, ISSUE, "一/2/财务管理不规范", status="in_progress", status_evidence="正在整改。")
    renumbered = _notice(_issue(3, "财务管理不规范的问题"))  # 「…的问题」 tail and another number: the same issue
    result, [outcome] = apply_corrections(renumbered, [fix])
    assert outcome.state == APPLIED and result.issues[0].status == "in_progress"

    twice = _notice(_issue(3, "财务管理不规范"), _issue(4, "财务管理不规范", category="二"))
    result, [outcome] = apply_corrections(twice, [fix])
    assert outcome.state == STALE and "找不到" in outcome.message
    assert [i.status for i in result.issues] == ["not_stated", "not_stated"]  # nothing applied by a guess


def test_a_correction_whose_issue_is_gone_is_stale_and_the_others_still_apply():
    parsed = _notice(_issue(1, "理论学习不深入"))
    gone = _spec(1, NOT_ISSUE, "一/9/已删除的问题")
    header = _spec(2, HEADER, feedback_date="2024-04-01", inspection_group="市委第五巡察组")
    result, outcomes = apply_corrections(parsed, [gone, header])
    assert [o.state for o in outcomes] == [STALE, APPLIED]
    assert (result.feedback_date, result.inspection_group) == (dt.date(2024, 4, 1), "市委第五巡察组")


def test_not_an_issue_merge_and_split_reshape_the_issue_list():
    parsed = _notice(
        _issue(1, "理论学习不深入", text="1.理论学习不深入。一是制定计划。", measures=["制定计划"]),
        _issue(2, "一是制定计划", text="一是制定计划。"),  # a measure the parser took for an issue
        _issue(3, "制度不健全", text="3.制度不健全。已完成整改。4.采购不规范。正在整改中。",
               status="in_progress", evidence="正在整改中。"),
        _issue(5, "会议记录", text="5.会议记录。"), _issue(6, "会议记录不全", text="6.会议记录不全。"),
    )
    result, outcomes = apply_corrections(parsed, [
        _spec(1, NOT_ISSUE, issue_key(parsed.issues[1])),
        _spec(2, SPLIT, issue_key(parsed.issues[2]), at="4.采购不规范", number="4", title="采购不规范"),
        _spec(3, MERGE, issue_key(parsed.issues[3]), other=issue_key(parsed.issues[4])),
    ])
    assert all(o.state == APPLIED for o in outcomes)
    assert [(i.number, i.title, i.status) for i in result.issues] == [
        ("1", "理论学习不深入", "not_stated"), ("3", "制度不健全", "not_stated"), ("4", "采购不规范", "in_progress"),
        ("5", "会议记录", "not_stated")]
    assert result.issues[1].text == "3.制度不健全。已完成整改。"
    assert result.issues[2].text == "4.采购不规范。正在整改中。" and result.issues[2].status_evidence == "正在整改中。"
    assert result.issues[3].text == "5.会议记录。\n6.会议记录不全。"


def test_an_added_issue_is_placed_by_its_number_and_becomes_redundant_once_the_parser_finds_it():
    parsed = _notice(_issue(1, "理论学习不深入"), _issue(3, "制度不健全"), _issue(7, "医保违规", category="二"))
    add = _spec(1, ADD_ISSUE, category="一", number="2", title="组织生活不规范", text="2.组织生活不规范。",
                status="completed", status_evidence="已整改。")
    result, [outcome] = apply_corrections(parsed, [add])
    assert [i.number for i in result.issues] == ["1", "2", "3", "7"]
    assert outcome.state == APPLIED and result.issues[1].status == "completed"

    better = _notice(_issue(1, "理论学习不深入"), _issue(2, "组织生活不规范"), _issue(3, "制度不健全"))
    result, [outcome] = apply_corrections(better, [add])
    assert outcome.state == REDUNDANT and len(result.issues) == 3


def test_an_institution_correction_names_the_chosen_institution_and_drops_the_printed_aliases():
    parsed = _notice(institution_aliases=["市中心医院"])
    result, _ = apply_corrections(parsed, [_spec(1, INSTITUTION, institution_id=3, name="长沙市中心医院")])
    assert (result.institution, result.institution_aliases) == ("长沙市中心医院", [])


def test_the_stored_json_reads_back_into_the_same_dataclasses():
    parsed = _notice(_issue(1, "理论学习不深入", status="completed", evidence="已完成。"),
                     published_date=dt.date(2025, 4, 3))
    parsed = ParsedNotice(**{**parsed.__dict__, "issues": [ParsedIssue(
        **{**parsed.issues[0].__dict__, "sections": [IssueSection("整改措施", "一是…")], "reason": "编号标题"})],
        "outline": [OutlineEntry(line=3, depth=2, text="1.理论学习不深入", role="problem", reason="编号标题")]})
    assert parsed_from_dict(parsed.to_dict()) == parsed
    stored = parsed.to_dict()
    stored["issues"][0]["added_by_a_later_parser"] = 1  # a result stored by another parser version still reads
    assert parsed_from_dict(stored).issues[0].title == "理论学习不深入"


def test_the_content_key_ignores_spacing_and_punctuation_but_not_another_notice_of_the_same_inspection():
    txt = _notice(_issue(1, "理论学习不深入", text="1.理论学习 不深入。已完成整改！"), published_date=dt.date(2025, 4, 3))
    docx = _notice(_issue(1, "理论学习不深入", text="1．理论学习不深入，已完成整改。"), published_date=dt.date(2025, 4, 3))
    later = _notice(_issue(1, "理论学习不深入", text="1.理论学习不深入。持续巩固。"), published_date=dt.date(2025, 9, 1))
    assert content_key(txt) == content_key(docx) != content_key(later)
    assert review_fingerprint(txt) == review_fingerprint(later)  # same issues and statuses: nothing to re-review
    completed = _notice(_issue(1, "理论学习不深入", status="completed"))
    assert review_fingerprint(completed) != review_fingerprint(txt)
