"""API tokens that expire and die with the session.

A token (``POST /api/auth/token/``, ``rectify_site.token_view``) lasts
``API_TOKEN_TTL_DAYS`` from when it was issued; an expired one is deleted on
first use and a new one is issued at the next login.  Logging out of the site
revokes the user's token; ``DELETE /api/auth/token/`` revokes it over the API.
(This module must not import DRF's views: DRF imports it while loading its settings.)
"""
import datetime as dt

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.utils import timezone
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed

TOKEN_EXPIRED = "API令牌已过期，请重新登录获取新令牌"


def token_expired(token, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) - token.created >= dt.timedelta(days=settings.API_TOKEN_TTL_DAYS)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_expired(token):
            token.delete()
            raise AuthenticationFailed(TOKEN_EXPIRED)
        return user, token


@receiver(user_logged_out)
def revoke_tokens_at_logout(sender, request, user, **kwargs):
    from rest_framework.authtoken.models import Token

    if user is not None:
        Token.objects.filter(user=user).delete()
