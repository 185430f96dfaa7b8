"""Who is sending (as a keyed hash) and how often: a fixed-window counter in the cache.

The cache is Redis in production, so every web process shares one count per
sender; in development it is the in-process locmem cache.  The raw address
never leaves this module: it is hashed with a key derived from SECRET_KEY,
so a leaked database does not reveal who wrote what.

Without the cache (Redis down or not answering) the limit still holds: the
count comes from the comments this sender stored in the database during the
last period — the same limit, shared by every process, never unlimited.
"""
import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

from rectify_site.cache import CacheUnavailable
from rectify_site.clientip import client_address as _client_address

logger = logging.getLogger(__name__)

DEFAULT_LIMIT = 5
DEFAULT_PERIOD_SECONDS = 600


def client_address(request) -> str:
    """The sender's address, from the trusted proxies' X-Forwarded-For (``rectify_site.clientip``)."""
    return _client_address(request) or "unknown"


def client_hash(address: str) -> str:
    return salted_hmac("disclosure.client-address", address, algorithm="sha256").hexdigest()


def _limits() -> tuple[int, int]:
    limit, period = getattr(settings, "DISCLOSURE_COMMENT_RATE", (DEFAULT_LIMIT, DEFAULT_PERIOD_SECONDS))
    return int(limit), int(period)


def _key(hashed: str, period: int) -> str:
    prefix = getattr(settings, "DISCLOSURE_RATE_KEY_PREFIX", "disclosure:comments")
    window = int(timezone.now().timestamp()) // period
    return f"{prefix}:{hashed}:{window}"


def take(hashed: str) -> bool:
    """Count one submission from this sender; False once the current window is used up.

    Counting before deciding (add, then incr: both atomic on Redis) means two
    processes racing on the last slot cannot both get it.
    """
    limit, period = _limits()
    key = _key(hashed, period)
    try:
        cache.add(key, 0, timeout=period)
        try:
            count = cache.incr(key)
        except ValueError:  # the key expired between add and incr
            cache.add(key, 1, timeout=period)
            count = 1
    except CacheUnavailable:
        return _take_from_database(hashed, limit, period)
    return count <= limit


def _take_from_database(hashed: str, limit: int, period: int) -> bool:
    """The cache is away: count this sender's stored comments of the last ``period`` seconds instead.

    A sliding window rather than the cache's fixed one, so it is never looser
    over time; unlike Redis' incr it is not atomic, so two requests of one
    sender racing at the very same moment may both take the last slot — a
    bounded overrun, only while the cache is away.
    """
    from .models import PublicComment

    since = timezone.now() - dt.timedelta(seconds=period)
    recent = PublicComment.objects.filter(client_hash=hashed, created_at__gte=since).count()
    logger.info("comment rate limit counted in the database (cache unavailable)",
                extra={"client": hashed[:8], "recent": recent})
    return recent < limit
