import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import PASSWORD
from tracking.models import StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    def _client(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        return client

    return _client


def test_institutions_endpoint_answers_the_insurance_question_like_the_overview(api, staff, progress):
    response = api(staff).get("/api/institutions/", {"theme": "medical_insurance", "status": "overdue"})
    assert response.status_code == 200
    body = response.json()
    assert len(body["results"]) == 1 and set(body) == {"next", "previous", "results"}
    assert body["next"] is None and body["previous"] is None
    row = body["results"][0]
    assert row["name"] == "清远市中医院"
    assert (row["counts"]["issues"], row["counts"]["open"], row["counts"]["overdue"]) == (2, 1, 1)
    assert row["latest_inspection"]["group"] == "第五巡察组"


def test_issue_endpoint_filters_by_status_verified_overdue_text_and_dates(api, staff, progress, today):
    client = api(staff)

    def titles(**params):
        response = client.get("/api/issues/", params)
        assert response.status_code == 200, response.content
        return sorted(item["title"] for item in response.json()["results"])

    assert titles(status="completed") == ["规范医保收费行为", "选人用人工作不规范"]
    assert titles(overdue="true") == ["加强医保基金使用管理"]
    assert titles(q="党组织") == ["加强基层党组织建设"]
    assert titles(institution=progress["inspection_b"].institution_id, theme="medical_insurance") == [
        "医保违规收费问题整改不到位"]
    assert titles(due_on_after=today.isoformat(), due_on_before=(today.replace(year=today.year + 1)).isoformat()) == [
        "加强基层党组织建设", "强化财经制度执行"]
    assert titles(verified="true") == []
    assert titles(category=progress["a"]["overdue_insurance"].category_id, ordering="-due_on")[0] == "加强医保基金使用管理"


def test_issue_payload_keeps_claimed_and_verified_status_apart(api, staff, progress):
    issue = progress["a"]["overdue_insurance"]
    item = api(staff).get(f"/api/issues/{issue.pk}/").json()
    assert (item["status"], item["verification"], item["due_state"]) == ("in_progress", "unverified", "overdue")
    assert item["status_evidence"] == "该问题正在整改中。"
    assert item["measures"] == ["措施1：健全制度并抓好落实。", "措施2：健全制度并抓好落实。"]
    assert {"key": "medical_insurance", "label": "医保"} in item["themes"]


def test_staff_verify_and_reopen_over_the_api_leave_history_rows(api, staff, progress):
    issue = progress["a"]["done_insurance"]
    client = api(staff)
    response = client.post(f"/api/issues/{issue.pk}/verify/", {"note": "现场核查属实"}, format="json")
    assert response.status_code == 200 and response.json()["verification"] == "verified"
    again = client.post(f"/api/issues/{issue.pk}/verify/", {"note": "重复提交"}, format="json")
    assert again.status_code == 409
    stale = client.post(f"/api/issues/{issue.pk}/reopen/", {"note": "退回", "expected": "unverified"}, format="json")
    assert stale.status_code == 409
    reopened = client.post(f"/api/issues/{issue.pk}/reopen/", {"note": "材料不全", "expected": "verified"},
                           format="json")
    assert reopened.status_code == 200 and reopened.json()["verification"] == "reopened"

    history = client.get(f"/api/issues/{issue.pk}/history/").json()
    assert len(history["results"]) == 3 and history["next"] is None
    verification = [(r["old_value"], r["new_value"], r["changed_by"], r["reason"]) for r in history["results"]
                    if r["kind"] == "verification"]
    assert verification == [("unverified", "verified", "staff", "现场核查属实"),
                            ("verified", "reopened", "staff", "材料不全")]


def test_verify_without_a_note_is_refused(api, staff, progress):
    issue = progress["a"]["done_insurance"]
    response = api(staff).post(f"/api/issues/{issue.pk}/verify/", {"note": "   "}, format="json")
    assert response.status_code == 400
    assert not StatusChange.objects.filter(issue=issue, kind="verification").exists()


def test_clerk_reads_only_their_hospital_and_cannot_verify(api, hospital_a_clerk, progress):
    client = api(hospital_a_clerk)
    names = {item["institution_name"] for item in client.get("/api/issues/").json()["results"]}
    assert names == {"清远市中医院"}
    assert [i["name"] for i in client.get("/api/institutions/").json()["results"]] == ["清远市中医院"]
    other = progress["b"]["open_insurance"]
    assert client.get(f"/api/issues/{other.pk}/").status_code == 404
    assert client.get(f"/api/issues/{other.pk}/history/").status_code == 404
    own = progress["a"]["done_insurance"]
    assert client.post(f"/api/issues/{own.pk}/verify/", {"note": "x"}, format="json").status_code == 403
    changes = client.get("/api/status-changes/").json()["results"]
    assert changes and all(c["issue"] in {i.pk for i in progress["a"].values()} for c in changes)


def test_outsider_and_anonymous_are_refused(api, outsider, progress):
    assert api(outsider).get("/api/issues/").status_code == 403
    assert api().get("/api/institutions/").status_code in (401, 403)


def test_token_authentication_works_end_to_end(staff, progress):
    client = APIClient()
    response = client.post(reverse("api-token"), {"username": "staff", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=staff).key
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert len(client.get("/api/inspections/").json()["results"]) == 2


def test_schema_generates_without_warnings_and_swagger_is_served_locally(login, staff):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/issues/{id}/history/" in schema["paths"] and "/api/issues/{id}/verify/" in schema["paths"]
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache
    html = login(staff).get(reverse("api-docs")).content.decode()
    assert "/static/drf_spectacular_sidecar/" in html and "cdn" not in html.lower()
