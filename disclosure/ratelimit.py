"""Who is sending (as a keyed hash) and how often: a fixed-window counter in the cache.

The cache is Redis in production, so every web process shares one count per
sender; in development it is the in-process locmem cache.  The raw address
never leaves this module: it is hashed with a key derived from SECRET_KEY,
so a leaked database does not reveal who wrote what.
"""
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.crypto import salted_hmac

DEFAULT_LIMIT = 5
DEFAULT_PERIOD_SECONDS = 600


def client_address(request) -> str:
    """The sender's address; behind N trusted proxies, the Nth X-Forwarded-For entry from the right.

    ``DISCLOSURE_TRUSTED_PROXIES`` (default 0) must match the deployment: a
    forwarded header from an untrusted hop is the sender's own claim.
    """
    proxies = getattr(settings, "DISCLOSURE_TRUSTED_PROXIES", 0)
    if proxies:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


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
    cache.add(key, 0, timeout=period)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.add(key, 1, timeout=period)
        count = 1
    return count <= limit
