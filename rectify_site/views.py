from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from tracking.roles import clerk_institution_id, is_reviewer


def home(request):
    """Send each role to where its work is."""
    user = request.user
    if is_reviewer(user):
        return redirect(reverse("tracking:overview"))
    if clerk_institution_id(user) is not None:
        return redirect(reverse("notices:list"))
    return redirect(reverse("disclosure:list"))


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
