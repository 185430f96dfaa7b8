"""The client's address, as the configured number of trusted reverse proxies reports it.

Behind nginx every request comes from 127.0.0.1; the real client is in
``X-Forwarded-For``, which each proxy appends to.  Only the last
``TRUSTED_PROXIES`` entries were written by proxies we run: the one just
before them is the client, anything further left is the client's own claim
and is ignored.  With ``TRUSTED_PROXIES = 0`` (the default, no proxy) the
header is ignored and ``REMOTE_ADDR`` is the client.  Used by the login
throttle (django-axes, ``AXES_CLIENT_IP_CALLABLE``) and the comment rate limit.
"""
import ipaddress

from django.conf import settings


def client_address(request) -> str | None:
    """The client's address, or None when the request carries none (axes stores NULL then)."""
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    remote = request.META.get("REMOTE_ADDR") or None
    if proxies <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    # Each trusted proxy appended the address it was reached from: the Nth entry from the right is the client.
    if len(hops) >= proxies and _is_address(hops[-proxies]):
        return hops[-proxies]
    # Fewer entries than proxies: the request did not come through all of them; trust nothing it says.
    return remote


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
