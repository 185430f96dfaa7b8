from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache

from tracking.roles import clerk_institution_id, is_reviewer

from . import health


def home(request):
    """Send each role to where its work is."""
    user = request.user
    if is_reviewer(user):
        return redirect(reverse("tracking:overview"))
    if clerk_institution_id(user) is not None:
        return redirect(reverse("notices:list"))
    return redirect(reverse("disclosure:list"))


@never_cache
def healthz(request):
    """Each dependency's state as JSON; 503 when any is down, so a monitor needs only the status code."""
    ok, body = health.report()
    return JsonResponse(body, status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})
