"""API tokens expire (``API_TOKEN_TTL_DAYS``, default 30) and logging out revokes them.

A refused token answers 403 (not 401): DRF takes the status from the first authentication scheme, the session.
"""
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _token(user) -> str:
    response = Client().post("/api/auth/token/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 200
    return response.json()["token"]


def _api(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_a_token_works_until_it_is_thirty_days_old(settings, staff):
    assert settings.API_TOKEN_TTL_DAYS == 30
    token = _token(staff)
    assert _api(token).get("/api/notices/").status_code == 200
    Token.objects.filter(key=token).update(created=timezone.now() - dt.timedelta(days=29, hours=23))
    assert _api(token).get("/api/notices/").status_code == 200

    Token.objects.filter(key=token).update(created=timezone.now() - dt.timedelta(days=30, minutes=1))
    expired = _api(token).get("/api/notices/")
    assert expired.status_code == 403
    assert "API令牌已过期" in expired.json()["detail"]
    assert not Token.objects.filter(key=token).exists()  # gone for good, not just refused once


def test_logging_in_again_after_expiry_gives_a_new_token(staff):
    old = _token(staff)
    Token.objects.filter(key=old).update(created=timezone.now() - dt.timedelta(days=31))
    new = _token(staff)
    assert new != old
    assert _api(new).get("/api/notices/").status_code == 200
    assert _api(old).get("/api/notices/").status_code == 403


def test_the_lifetime_is_a_setting(settings, staff):
    settings.API_TOKEN_TTL_DAYS = 1
    token = _token(staff)
    Token.objects.filter(key=token).update(created=timezone.now() - dt.timedelta(days=1, minutes=1))
    assert _api(token).get("/api/notices/").status_code == 403


def test_logging_out_of_the_site_revokes_the_token(staff):
    token = _token(staff)
    browser = Client()
    assert browser.post("/accounts/login/", {"username": staff.username, "password": PASSWORD}).status_code == 302
    assert browser.post("/accounts/logout/").status_code == 302
    assert _api(token).get("/api/notices/").status_code == 403
    assert not Token.objects.filter(user=staff).exists()


def test_delete_on_the_token_endpoint_revokes_the_callers_token(staff, hospital_a_clerk):
    token, others = _token(staff), _token(hospital_a_clerk)
    assert _api(token).delete("/api/auth/token/").status_code == 204
    assert _api(token).get("/api/notices/").status_code == 403
    assert _api(others).get("/api/notices/").status_code == 200  # only the caller's
    assert APIClient().delete("/api/auth/token/").status_code in (401, 403)
