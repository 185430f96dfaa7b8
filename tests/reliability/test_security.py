import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_is_locked_after_repeated_wrong_passwords(staff):
    client = Client()
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": staff.username, "password": "wrong"})
        assert response.status_code == 200 and "用户名或密码不正确" in response.content.decode()
    assert client.post("/accounts/login/", {"username": staff.username, "password": "wrong"}).status_code == 429
    locked = client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_successful_login_before_the_limit_resets_the_count(staff):
    client = Client()
    for _ in range(4):
        client.post("/accounts/login/", {"username": staff.username, "password": "wrong"})
    assert client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD}).status_code == 302


def test_pages_carry_security_headers():
    response = Client().get("/accounts/login/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_forms_refuse_a_post_without_csrf_token(staff):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_media_root_is_not_served_by_url(settings):
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve(settings.MEDIA_URL + "notices/2025/01/x.txt")
