"""Password guessing through the API token endpoint is throttled like the login page."""
import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_token_endpoint_locks_out_repeated_wrong_passwords(staff):
    client = Client()
    answers = [client.post("/api/auth/token/", {"username": staff.username, "password": f"guess-{n}"}).status_code
               for n in range(6)]
    assert answers == [400] * 6
    # Locked out: even the right password gets no token now (axes refuses before checking it).
    locked = client.post("/api/auth/token/", {"username": staff.username, "password": PASSWORD})
    assert locked.status_code != 200
    assert "token" not in locked.json()
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.get(username=staff.username).failures_since_start >= 5


def test_the_token_endpoint_gives_a_token_for_the_right_password(staff):
    response = Client().post("/api/auth/token/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 200 and len(response.json()["token"]) == 40
