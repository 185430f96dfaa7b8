"""Refuse oversized uploads while they stream, never after they are stored.

``SizeLimitUploadHandler`` runs before Django's memory and temp-file
handlers: once one file passes ``NOTICE_MAX_UPLOAD_BYTES`` it raises
``SkipFile``, so Django drains the rest of that part without keeping it and
the file is simply absent from ``request.FILES``.  The names of refused files
are left on ``request.oversized_uploads`` for the view to explain in Chinese.
``RequestSizeLimitMiddleware`` answers 413 at once when the declared body is
larger than any legitimate batch, before a byte of it is read.
"""
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpResponse

TOO_LARGE_MESSAGE = "文件过大：单个通报文件不能超过 {limit} MB。"


def limit_mb() -> int:
    return settings.NOTICE_MAX_UPLOAD_BYTES // (1024 * 1024)


def too_large_message() -> str:
    return TOO_LARGE_MESSAGE.format(limit=limit_mb())


class SizeLimitUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0
        if not hasattr(self.request, "oversized_uploads"):
            self.request.oversized_uploads = []

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.NOTICE_MAX_UPLOAD_BYTES:
            self.request.oversized_uploads.append(self.file_name)
            raise SkipFile()
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler builds the file object


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.MAX_REQUEST_BODY_BYTES:
            return HttpResponse(too_large_message(), status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
