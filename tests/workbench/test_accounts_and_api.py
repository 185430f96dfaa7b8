"""Staff make hospital accounts; the API root lists everything; hospitals in pinyin order with their regions."""
import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.test import APIClient

from tests import factories
from tracking.models import Institution

from .conftest import evidence_file

pytestmark = pytest.mark.django_db


def test_staff_create_a_clerk_bound_to_a_hospital_who_then_sees_only_it(login, staff, progress,
                                                                         hospital_a):
    response = login(staff).post(reverse("tracking:accounts"), {
        "username": "qingyuan_clerk", "full_name": "陈填报", "email": "c@example.cn", "institution": "清远市中医院",
        "password": "Zhenggai-2026-ok"})
    assert response.status_code == 302
    user = User.objects.get(username="qingyuan_clerk")
    assert user.membership.institution == hospital_a and user.groups.filter(name="医院填报员").exists()
    assert user.check_password("Zhenggai-2026-ok")
    assert [row.name for row in login(user).get(reverse("tracking:overview")).context["rows"]] == ["清远市中医院"]


def test_a_generated_password_is_shown_once_and_works(login, staff, hospital_a):
    staff_client = login(staff)
    response = staff_client.post(reverse("tracking:accounts"), {"username": "gen", "institution": "清远市中医院"},
                                 follow=True)
    message = next(str(m) for m in response.context["messages"])
    password = message.split("初始密码：")[1].split("（")[0]
    assert User.objects.get(username="gen").check_password(password)
    reset = staff_client.post(reverse("tracking:account-password", args=[User.objects.get(username="gen").pk]),
                              follow=True)
    new_password = next(str(m) for m in reset.context["messages"]).split("新密码：")[1].split("（")[0]
    assert new_password != password and User.objects.get(username="gen").check_password(new_password)


def test_mistakes_are_explained_in_chinese(login, staff, hospital_a_clerk):
    response = login(staff).post(reverse("tracking:accounts"), {"username": "clerk_a", "institution": "不存在的医院",
                                                                "password": "123"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "系统中没有名为「不存在的医院」的单位" in html


def test_staff_may_not_reset_a_staff_password_and_clerks_may_not_manage_accounts(login, staff, hospital_a_clerk):
    other = User.objects.create_user("other_staff", password="x")
    other.groups.add(*staff.groups.all())
    assert login(staff).post(reverse("tracking:account-password", args=[other.pk])).status_code == 403
    assert login(hospital_a_clerk).get(reverse("tracking:accounts")).status_code == 403
    assert login(hospital_a_clerk).post(reverse("tracking:account-password",
                                                args=[hospital_a_clerk.pk])).status_code == 403


def test_staff_can_read_the_user_list_in_the_admin(login, staff):
    assert login(staff).get("/admin/auth/user/").status_code == 200


def test_the_api_root_lists_every_endpoint_to_anyone():
    body = APIClient().get("/api/", HTTP_ACCEPT="application/json").json()
    for key in ("institutions", "inspections", "issues", "status-changes", "progress-reports", "notices",
                "public-disclosures"):
        assert key in body, key
    assert APIClient().get(body["public-disclosures"]).status_code == 200
    assert APIClient().get(body["issues"]).status_code == 403


def test_progress_reports_over_the_api_stay_within_the_hospital_and_staff_decide(hospital_a_clerk, hospital_b_clerk,
                                                                                  staff, progress):
    from tracking import progress as workflow

    report = workflow.report_submit(issue=progress["a"]["done_insurance"], user=hospital_a_clerk, text="完成",
                                    files=[evidence_file("证明.pdf")], request_signoff=True)
    api = APIClient()
    api.force_authenticate(hospital_b_clerk)
    assert api.get("/api/progress-reports/").json()["results"] == []
    assert api.get(f"/api/progress-reports/{report.pk}/").status_code == 404
    api.force_authenticate(hospital_a_clerk)
    item = api.get(f"/api/progress-reports/{report.pk}/").json()
    assert item["state"] == "pending" and item["evidence"][0]["original_name"] == "证明.pdf"
    assert api.post(f"/api/progress-reports/{report.pk}/approve/", {"note": "x"}).status_code == 403
    api.force_authenticate(staff)
    returned = api.post(f"/api/progress-reports/{report.pk}/return/", {"note": "补充材料"}, format="json")
    assert returned.status_code == 200 and returned.json()["state"] == "returned"
    assert api.post(f"/api/progress-reports/{report.pk}/approve/", {"note": "x"}).status_code == 409


def test_verifying_over_the_api_what_the_notice_does_not_claim_needs_confirm_unclaimed(staff, progress):
    api = APIClient()
    api.force_authenticate(staff)
    issue = progress["a"]["overdue_insurance"]
    refused = api.post(f"/api/issues/{issue.pk}/verify/", {"note": "核实"}, format="json")
    assert refused.status_code == 400 and "confirm_unclaimed" in refused.json()
    done = api.post(f"/api/issues/{issue.pk}/verify/", {"note": "核实", "confirm_unclaimed": True}, format="json")
    assert done.status_code == 200
    assert done.json()["verification_label"] == "工作人员核实已完成（通报未称完成）"
    assert done.json()["warning"]["state"] == "done"


def test_hospitals_list_in_pinyin_order_and_the_region_filter_is_filled(login, staff):
    for name in ("清远市中医院", "敖汉旗中医蒙医医院", "长沙市中心医院", "聊城市东昌府区中医院"):
        Institution.objects.create(name=name)
    response = login(staff).get(reverse("tracking:overview"))
    assert [row.name for row in response.context["rows"]] == [
        "敖汉旗中医蒙医医院", "长沙市中心医院", "聊城市东昌府区中医院", "清远市中医院"]
    assert set(response.context["regions"]) == {"敖汉旗", "长沙市", "聊城市东昌府区", "清远市"}
    filtered = login(staff).get(reverse("tracking:overview"), {"region": "长沙市"}).context["rows"]
    assert [row.name for row in filtered] == ["长沙市中心医院"]


def test_a_hospital_whose_name_starts_with_no_place_gets_no_guessed_region():
    assert factories.institution(name="解放军总医院").region == ""
    assert Institution.objects.create(name="市中医院").region == ""
