"""Header fields on synthetic notices: institution, bodies, rounds, groups, dates, contacts."""
import datetime as dt

from notices.parsing.structure import parse_text

from .builders import CLOSING, INTRO, notice, standard_body


def test_the_standard_header_is_read():
    p = parse_text(notice(standard_body()))
    assert p.institution == "某某市人民医院"
    assert p.inspecting_body == "市委"
    assert p.inspection_group == "市委第四巡察组"
    assert (p.inspection_start, p.inspection_end) == (dt.date(2024, 3, 11), dt.date(2024, 5, 10))
    assert p.feedback_date == dt.date(2024, 6, 20)
    assert p.published_date == dt.date(2024, 10, 8)
    assert (p.disclosure_start, p.disclosure_end) == (dt.date(2024, 10, 8), dt.date(2024, 10, 22))
    assert p.disclosure_text.startswith("公开期限")


def test_the_full_institution_name_is_found_from_a_short_name_and_a_signature():
    text = notice(standard_body(), title="市中医院关于巡察整改进展情况的通报",
                  intro=INTRO.replace("某某市人民医院", "市中医院"), signature="清远市中医院\n2025年4月7日")
    p = parse_text(text)
    assert p.institution == "清远市中医院" and "市中医院" in p.institution_aliases


def test_the_full_institution_name_is_found_from_a_mention_in_the_text():
    text = notice("二、巡察反馈问题整改落实情况\n1.制度不健全。整改情况：已完成整改。制定《清远市中医院印章管理办法》。\n",
                  title="", intro=INTRO.replace("某某市人民医院", "市中医院"), signature="")
    assert parse_text(text).institution == "清远市中医院"


def test_the_full_institution_name_is_found_from_the_postal_address():
    closing = "欢迎监督。邮政地址：清远市清城区桥北路10号。"
    text = notice(standard_body(), title="", intro=INTRO.replace("某某市人民医院", "市中医院"), closing=closing, signature="")
    assert parse_text(text).institution == "清远市中医院"


def test_a_committee_title_with_spaces_gives_the_institution():
    text = notice(standard_body(), title="中共辽阳市 中心医院 委员会文件\n辽阳市中心医院党组织 关于巡察整改情况对外通报",
                  intro=INTRO.replace("某某市人民医院", "中心医院"), signature="")
    assert parse_text(text).institution == "辽阳市中心医院"


def test_county_district_banner_and_provincial_bodies_and_inspection_teams():
    cases = [
        ("县委", "根据县委统一部署，2023年4月10日至6月2日，县委第二巡察组对县人民医院党委开展了常规巡察。", "县委第二巡察组"),
        ("区委", "根据区委统一部署，2025年8月4日至9月30日，区委第五巡察组对区中医院开展巡察。", "区委第五巡察组"),
        ("旗委", "根据十六届旗委第九轮巡察工作统一部署，2025年2月24日至4月30日，旗委第三巡察组对旗医院开展了巡察。", "旗委第三巡察组"),
        ("省委", "根据省委统一部署，2023年3月1日至4月30日，省委第三巡视组对省人民医院进行了巡视。", "省委第三巡视组"),
        ("市委", "根据市委统一部署，2023年9月11日至12月27日，第五巡察组向市中医院党委开展了巡察。", "第五巡察组"),
    ]
    for body, intro, group in cases:
        p = parse_text(notice(standard_body(), intro=intro))
        assert (p.inspecting_body, p.inspection_group) == (body, group), body


def test_the_round_is_read_from_the_title_or_the_opening():
    p = parse_text(notice(standard_body(), title="中共聊城市东昌府区中医院党委\n关于十四届区委第九轮巡察整改进展\n情况的通报"))
    assert p.round == "十四届区委第九轮"
    assert p.institution == "聊城市东昌府区中医院"
    assert p.title == "中共聊城市东昌府区中医院党委关于十四届区委第九轮巡察整改进展情况的通报"
    assert parse_text(notice(standard_body())).round is None


def test_contacts_are_phones_emails_and_postal_addresses_but_not_postcodes_or_times():
    closing = ("欢迎监督。公开期限：2025年11月24日至12月12日（15个工作日）。联系方式：0731-85668052（工作日8:00—12:00、14:30—17:30）；"
               "邮政信箱：长沙市雨花区韶山南路161号长沙市中心医院党委办公室（邮编：410007）。电子邮箱：ABC_1@163.com。手机：13800138000。")
    p = parse_text(notice(standard_body(), closing=closing))
    assert p.contacts.phones == ["0731-85668052", "13800138000"]
    assert p.contacts.emails == ["abc_1@163.com"]
    assert p.contacts.addresses == ["长沙市雨花区韶山南路161号长沙市中心医院党委办公室"]
    assert (p.disclosure_start, p.disclosure_end) == (dt.date(2025, 11, 24), dt.date(2025, 12, 12))


def test_two_local_numbers_separated_by_a_space_are_two_phones():
    p = parse_text(notice(standard_body(), closing="欢迎监督。联系电话：3221279 3223823，电子邮箱：zx@163.com。"))
    assert p.contacts.phones == ["3221279", "3223823"]


def test_without_a_signature_date_the_publication_date_is_none():
    p = parse_text(notice(standard_body(), signature=""))
    assert p.published_date is None
    assert p.contacts.phones == ["0371-66660000"] and p.contacts.addresses == ["某某市建设路1号"]


def test_closing_without_disclosure_window_leaves_it_empty():
    p = parse_text(notice(standard_body(), closing=CLOSING.split("公开期限")[0] + "联系电话：0371-66660000。"))
    assert (p.disclosure_start, p.disclosure_end, p.disclosure_text) == (None, None, "")


def test_a_release_date_above_the_notice_is_the_publication_date_when_none_is_signed():
    text = "发布时间：2024-10-08 09:30  来源：医院党办\n" + notice(standard_body(), signature="")
    assert parse_text(text).published_date == dt.date(2024, 10, 8)
