"""A full disk anywhere in a view answers 507 in Chinese instead of a 500.

The notice upload handles it itself (``notices.services.StorageUnavailable``);
this catches the rest — evidence files, exports written to disk — so nobody
meets an English or a generic error for the one failure an operator must fix.
The storage has already removed what it wrote (``rectify_site.storage``).
"""
import errno
import logging

from django.http import JsonResponse
from django.shortcuts import render

from notices.services import STORAGE_FULL

logger = logging.getLogger(__name__)

FULL = (errno.ENOSPC, errno.EDQUOT)


class StorageFullMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OSError) or exception.errno not in FULL:
            return None
        logger.error("disk full", extra={"path": request.path})
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": STORAGE_FULL}, status=507, json_dumps_params={"ensure_ascii": False})
        return render(request, "507.html", {"message": STORAGE_FULL}, status=507)
