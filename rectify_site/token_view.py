"""``/api/auth/token/``: POST a username and password for a token, DELETE to revoke it (see ``tokens``)."""
from rest_framework import status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .tokens import ExpiringTokenAuthentication, token_expired


class TokenView(ObtainAuthToken):
    # Only a token revokes a token (no session: DELETE without CSRF must not work from a browser);
    # the POST authenticates by the password in its body.
    authentication_classes = [ExpiringTokenAuthentication]

    def get_permissions(self):
        return [IsAuthenticated()] if self.request.method == "DELETE" else []

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        token, created = Token.objects.get_or_create(user=user)
        if not created and token_expired(token):
            token.delete()
            token = Token.objects.create(user=user)
        return Response({"token": token.key})

    def delete(self, request, *args, **kwargs):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


token_view = TokenView.as_view()
