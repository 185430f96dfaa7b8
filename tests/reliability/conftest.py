"""The reliability tests use the shared service fixtures, and ``real_queue`` to send jobs through Redis."""
import pytest

from tests.services import real_queue  # noqa: F401


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The role fixtures create four users per test; PBKDF2 at full strength makes that seconds each on CI.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def role_groups(transactional_db):
    """The role groups, whatever the flush after an earlier transactional test left.

    Depending on whether that test used serialized_rollback, its flush either
    recreated the groups (post_migrate) or erased them; creating them here
    (idempotently) works after both.  List it before the user fixtures.
    """
    from tracking.roles import ensure_role_groups

    ensure_role_groups()
