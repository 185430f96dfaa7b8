"""Login throttling (django-axes) per client address and per account on that address.

A wrong password counts against the pair (username, client address) and
against the address.  The pair is locked after ``AXES_FAILURE_LIMIT``
failures — the owner, from their own address, still gets in, so one stranger
cannot lock an account for everyone — and the address after
``LOGIN_ADDRESS_FAILURE_LIMIT`` failures over any usernames, so one address
cannot try account after account.  The address is
``rectify_site.clientip.client_address`` (trusted proxies only).  Staff
unlock in the admin (「访问尝试」, delete) or with
``manage.py axes_reset_username`` / ``axes_reset_ip``.
"""
from axes.attempts import get_cool_off_threshold
from axes.conf import settings as axes_settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a second, separate limit per client address."""

    def get_failures(self, request, credentials=None) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if axes_settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        username = get_client_username(request, credentials)
        pair = attempts.filter(username=username).aggregate(n=Sum("failures_since_start"))["n"] or 0
        address = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        if address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            # Axes compares one number with one limit: report the address's lock as reaching it.
            return max(pair, get_failure_limit(request, credentials))
        return pair
