"""Login throttling behind a reverse proxy: per account on an address, per address, unlockable by staff.

Behind nginx every request's REMOTE_ADDR is 127.0.0.1; the client is in
X-Forwarded-For.  Keyed on REMOTE_ADDR alone, five wrong passwords from anyone
locked an account for everyone, and one address could try any number of
usernames.
"""
import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NGINX = "127.0.0.1"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.20"


def _login(username, password, client_address, *, forwarded=None, remote=NGINX):
    """A login as it reaches Django: through nginx, which appends the client's address."""
    chain = f"{forwarded}, {client_address}" if forwarded else client_address
    return Client().post("/accounts/login/", {"username": username, "password": password},
                         REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=chain)


@pytest.fixture
def behind_nginx(settings):
    settings.TRUSTED_PROXIES = 1


def test_a_stranger_locks_the_account_only_for_their_own_address(behind_nginx, staff):
    answers = [_login(staff.username, f"guess-{n}", ATTACKER).status_code for n in range(6)]
    assert answers == [200] * 4 + [429] * 2
    # The stranger stays locked even with the right password…
    assert _login(staff.username, PASSWORD, ATTACKER).status_code == 429
    # …while the owner, behind the same nginx, logs in from their own address.
    assert _login(staff.username, PASSWORD, OWNER).status_code == 302


def test_one_address_trying_many_usernames_is_locked(behind_nginx, settings, staff):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    answers = [_login(f"user{n}", "guess", ATTACKER).status_code for n in range(12)]
    assert answers == [200] * 11 + [429]
    # Every username is refused from that address now, the right password of a real account included…
    locked = _login(staff.username, PASSWORD, ATTACKER)
    assert locked.status_code == 429 and "登录失败次数过多" in locked.content.decode()
    # …and only from that address.
    assert _login(staff.username, PASSWORD, OWNER).status_code == 302


def test_a_forged_forwarded_header_does_not_change_the_address(behind_nginx, staff):
    # The attacker writes their own X-Forwarded-For; nginx appends the real address after it.
    for n in range(5):
        _login(staff.username, f"guess-{n}", ATTACKER, forwarded=f"10.9.8.{n}")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert _login(staff.username, PASSWORD, ATTACKER, forwarded="10.9.8.200").status_code == 429


def test_without_a_trusted_proxy_the_header_is_ignored(settings, staff):
    settings.TRUSTED_PROXIES = 0
    # Each attempt claims another address; none of them counts, REMOTE_ADDR does.
    for n in range(5):
        _login(staff.username, f"guess-{n}", f"10.0.0.{n}", remote=ATTACKER)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert _login(staff.username, PASSWORD, "10.0.0.99", remote=ATTACKER).status_code == 429
    assert _login(staff.username, PASSWORD, "10.0.0.99", remote=OWNER).status_code == 302


@pytest.fixture
def superuser(db):
    from django.contrib.auth.models import User

    return User.objects.create_superuser("root", password=PASSWORD)


def test_an_admin_unlocks_a_locked_account_in_the_admin(behind_nginx, staff, superuser):
    for n in range(5):
        _login(staff.username, f"guess-{n}", OWNER)
    assert _login(staff.username, PASSWORD, OWNER).status_code == 429

    admin = Client()
    admin.force_login(superuser)
    attempts = list(AccessAttempt.objects.filter(username=staff.username).values_list("pk", flat=True))
    confirm = admin.post("/admin/axes/accessattempt/", {"action": "delete_selected", "_selected_action": attempts,
                                                        "post": "yes"})
    assert confirm.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert _login(staff.username, PASSWORD, OWNER).status_code == 302


def test_the_reset_command_unlocks_a_username(behind_nginx, staff):
    for n in range(5):
        _login(staff.username, f"guess-{n}", OWNER)
    assert _login(staff.username, PASSWORD, OWNER).status_code == 429
    call_command("axes_reset_username", staff.username)
    assert _login(staff.username, PASSWORD, OWNER).status_code == 302
