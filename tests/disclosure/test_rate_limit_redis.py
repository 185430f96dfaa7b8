"""The rate limit holds across web processes because they share one Redis count."""
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from disclosure import ratelimit

REPO = Path(__file__).resolve().parents[2]
OTHER_PROCESS = """
import sys, django
django.setup()
from django.conf import settings
settings.DISCLOSURE_RATE_KEY_PREFIX = sys.argv[1]
settings.DISCLOSURE_COMMENT_RATE = (5, 10 ** 9)
from disclosure import ratelimit
print(",".join(str(ratelimit.take(sys.argv[2])) for _ in range(int(sys.argv[3]))))
"""


@pytest.mark.services
def test_two_processes_share_one_count_per_sender_in_redis(redis_url, settings):
    import os

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
    # One window for the whole test, so no boundary falls between the two processes.
    settings.DISCLOSURE_COMMENT_RATE = (5, 10 ** 9)
    prefix, sender = f"disclosure-test:{uuid.uuid4().hex}", ratelimit.client_hash("203.0.113.50")
    settings.DISCLOSURE_RATE_KEY_PREFIX = prefix
    assert [ratelimit.take(sender) for _ in range(3)] == [True, True, True]
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "rectify_site.settings"}
    other = subprocess.run([sys.executable, "-c", OTHER_PROCESS, prefix, sender, "3"], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=120)
    assert other.returncode == 0, other.stderr[-2000:]
    assert other.stdout.strip() == "True,True,False"  # the 4th and 5th were its own; the 6th is refused
    assert ratelimit.take(sender) is False
    assert ratelimit.take(ratelimit.client_hash("203.0.113.51")) is True
