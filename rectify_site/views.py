from django.conf import settings
from django.core.exceptions import TooManyFilesSent
from django.http import JsonResponse
from django.shortcuts import redirect, render
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


BAD_REQUEST = "请求无法处理：提交的内容不完整或格式不正确，请返回上一页重试"


def too_many_files_message() -> str:
    return f"一次提交的文件过多（最多 {settings.DATA_UPLOAD_MAX_NUMBER_FILES} 个），未上传任何文件，请分批上传"


def bad_request(request, exception=None):
    """handler400: a Chinese answer, as JSON under /api/; names the one cause a user can fix (too many files)."""
    message = too_many_files_message() if isinstance(exception, TooManyFilesSent) else BAD_REQUEST
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
    return render(request, "400.html", {"message": message}, status=400)
