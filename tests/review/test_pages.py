import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _names(response):
    return [row.name for row in response.context["rows"]]


def test_staff_overview_lists_every_hospital_with_its_latest_inspection_counts(login, staff, progress):
    response = login(staff).get(reverse("tracking:overview"))
    assert response.status_code == 200
    rows = {row.name: row for row in response.context["rows"]}
    a = rows["清远市中医院"]
    assert (a.n_issues, a.n_completed, a.n_in_progress, a.n_long_term, a.n_not_stated) == (4, 1, 2, 1, 0)
    assert (a.n_open, a.n_overdue, a.n_due_soon, a.n_warnings) == (3, 1, 1, 1)
    assert a.latest_group == "第五巡察组"
    assert (rows["长沙市中心医院"].n_open, rows["长沙市中心医院"].n_overdue) == (1, 0)
    assert "1 项逾期" in response.content.decode()


def test_overview_answers_which_hospitals_have_open_insurance_problems_and_which_are_overdue(login, staff, progress):
    response = login(staff).get(reverse("tracking:overview"), {"theme": "medical_insurance", "status": "open"})
    rows = {row.name: row for row in response.context["rows"]}
    assert set(rows) == {"清远市中医院", "长沙市中心医院"}
    # Only the 医保 issues count: A has one open (overdue) and one completed; B one open, not overdue.
    assert (rows["清远市中医院"].n_issues, rows["清远市中医院"].n_open, rows["清远市中医院"].n_overdue) == (2, 1, 1)
    assert (rows["长沙市中心医院"].n_open, rows["长沙市中心医院"].n_overdue) == (1, 0)
    assert "只统计「医保」主题的问题" in response.content.decode()

    overdue = login(staff).get(reverse("tracking:overview"), {"theme": "medical_insurance", "status": "overdue"})
    assert _names(overdue) == ["清远市中医院"]


def test_theme_filter_drops_hospitals_without_issues_of_that_theme(login, staff, progress):
    response = login(staff).get(reverse("tracking:overview"), {"theme": "personnel"})
    assert _names(response) == ["长沙市中心医院"]


def test_overview_filters_by_round_region_and_name_and_sorts(login, staff, progress):
    client = login(staff)
    assert _names(client.get(reverse("tracking:overview"), {"round": "市委第三轮"})) == ["长沙市中心医院"]
    assert _names(client.get(reverse("tracking:overview"), {"region": "清远市"})) == ["清远市中医院"]
    assert _names(client.get(reverse("tracking:overview"), {"q": "中医院"})) == ["清远市中医院"]
    assert _names(client.get(reverse("tracking:overview"), {"ordering": "-open"})) == ["清远市中医院", "长沙市中心医院"]
    assert _names(client.get(reverse("tracking:overview"), {"ordering": "open"})) == ["长沙市中心医院", "清远市中医院"]


def test_overview_charts_count_statuses_and_themes_across_hospitals(login, staff, progress):
    response = login(staff).get(reverse("tracking:overview"))
    breakdown = response.context["breakdown"]
    assert (breakdown["total"], breakdown["completed"], breakdown["open"], breakdown["overdue"]) == (6, 2, 4, 1)
    insurance = next(r for r in response.context["theme_rows"] if r["theme"].key == "medical_insurance")
    assert (insurance["total"], insurance["open"]) == (3, 2)


def test_clerk_sees_only_their_own_hospital_on_the_overview(login, hospital_a_clerk, progress):
    response = login(hospital_a_clerk).get(reverse("tracking:overview"))
    assert _names(response) == ["清远市中医院"]
    assert "长沙市中心医院" not in response.content.decode()


def test_clerk_cannot_open_another_hospitals_page(login, hospital_a_clerk, progress, hospital_b):
    assert login(hospital_a_clerk).get(reverse("tracking:institution", args=[hospital_b.pk])).status_code == 404
    issue = progress["b"]["open_insurance"]
    assert login(hospital_a_clerk).get(reverse("tracking:issue", args=[issue.pk])).status_code == 404


def test_outsider_is_refused_and_anonymous_is_sent_to_login(login, outsider, client, progress):
    assert login(outsider).get(reverse("tracking:overview")).status_code == 403
    response = client.get(reverse("tracking:overview"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_institution_page_is_a_compact_table_with_warnings_and_notices_one_click_away(login, staff, progress,
                                                                                        hospital_a):
    response = login(staff).get(reverse("tracking:institution", args=[hospital_a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for expected in ("加强医保基金使用管理", "逾期3天", "临期（剩10天）", "（二）关于群众身边", "未归类",
                     reverse("tracking:institution-notices", args=[hospital_a.pk])):
        assert expected in html, expected
    assert [i.title for i in response.context["issues"]] == [
        "加强医保基金使用管理", "规范医保收费行为", "强化财经制度执行", "加强基层党组织建设"]
    # The notices' text and measures live on the issue's own page, not inline.
    assert "措施1：健全制度并抓好落实。" not in html and "长沙市中心医院" not in html


def test_institution_notices_page_shows_header_declared_counts_contacts_and_original_files(login, staff, progress,
                                                                                           hospital_a):
    response = login(staff).get(reverse("tracking:institution-notices", args=[hospital_a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    for expected in ("第五巡察组", "市委第二轮", "2024-03-28", "2025-04-07 至 2025-05-06", "0763-3126147",
                     "通报自述14个问题，解析出4个", reverse("notices:download", args=[progress["notice_a"].pk])):
        assert expected in html, expected


def test_issue_page_shows_evidence_sentence_measures_and_deadline(login, staff, progress):
    issue = progress["a"]["overdue_insurance"]
    html = login(staff).get(reverse("tracking:issue", args=[issue.pk])).content.decode()
    for expected in ("该问题正在整改中。", "措施1：健全制度并抓好落实。", "逾期3天", "（二）关于群众身边腐败问题方面",
                     "最近一份通报所列"):
        assert expected in html, expected


def test_parsed_text_is_escaped_on_every_page(login, staff, progress, hospital_a):
    issue = progress["a"]["overdue_insurance"]
    issue.title = "<b>加粗</b>"
    issue.status_evidence = "<script>alert(1)</script>"
    issue.text = "<img src=x onerror=alert(2)>"
    issue.save()
    client = login(staff)
    html = client.get(reverse("tracking:institution", args=[hospital_a.pk])).content.decode()
    assert "<b>加粗</b>" not in html and "&lt;b&gt;加粗&lt;/b&gt;" in html
    detail = client.get(reverse("tracking:issue", args=[issue.pk])).content.decode()
    assert "<script>alert(1)</script>" not in detail and "&lt;script&gt;alert(1)&lt;/script&gt;" in detail
    assert "<img src=x" not in detail and "&lt;img src=x onerror=alert(2)&gt;" in detail


def test_issue_list_filters_by_theme_and_overdue(login, staff, progress):
    response = login(staff).get(reverse("tracking:issues"), {"theme": "medical_insurance", "overdue": "true"})
    assert [i.title for i in response.context["issues"]] == ["加强医保基金使用管理"]


def test_themes_page_prints_the_keywords(login, staff):
    html = login(staff).get(reverse("tracking:themes")).content.decode()
    assert "医保基金" in html and "选人用人" in html and "标题或正文中出现任一关键词" in html


def test_pages_carry_no_inline_scripts_or_styles(login, staff, progress, hospital_a):
    client = login(staff)
    issue = progress["a"]["overdue_insurance"]
    for url in (reverse("tracking:overview"), reverse("tracking:institution", args=[hospital_a.pk]),
                reverse("tracking:institution-notices", args=[hospital_a.pk]), reverse("tracking:issues"),
                reverse("tracking:issue", args=[issue.pk]), reverse("tracking:themes"), reverse("tracking:todo"),
                reverse("tracking:signoffs"), reverse("tracking:dashboard"), reverse("tracking:accounts")):
        html = client.get(url).content.decode()
        assert "style=" not in html and "<style" not in html, url
        assert "<script>" not in html and "onclick" not in html, url


def test_institution_page_reached_from_a_theme_shows_only_that_themes_issues(login, staff, progress, hospital_a):
    client = login(staff)
    url = reverse("tracking:institution", args=[hospital_a.pk])
    html = client.get(url, {"theme": "medical_insurance"}).content.decode()
    assert "加强医保基金使用管理" in html and "规范医保收费行为" in html and 'id="theme-scope"' in html
    assert "加强基层党组织建设" not in html and "显示全部问题" in html
    everything = client.get(reverse("tracking:institution", args=[hospital_a.pk])).content.decode()
    assert "加强基层党组织建设" in everything


def test_a_verification_whose_reviewer_account_is_gone_still_renders(login, staff):
    from django.contrib.auth.models import User

    from tests import factories
    from tracking.services import issue_verify

    inspection = factories.hospital_with_issues(name="丁市人民医院", n_issues=2)
    reviewer = User.objects.create_user("leaver")
    reviewer.groups.add(*staff.groups.all())
    issue_verify(issue=inspection.issues.first(), user=reviewer, note="已核查")
    reviewer.delete()
    page = login(staff).get(f"/progress/institutions/{inspection.institution_id}/")
    assert page.status_code == 200 and "已核查" in page.content.decode()
