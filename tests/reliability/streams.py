"""Huge request bodies generated while they are read, so a test never holds them in memory.

``huge_upload`` is a multipart/form-data body with one file part of any
size; ``post_stream`` hands it to Django's request handler the way a WSGI
server would (``wsgi.input``), without the test client, which would build
the whole body in memory first.
"""
from __future__ import annotations

import io

from django.conf import settings
from django.test import Client, RequestFactory
from django.test.client import ClientHandler

BOUNDARY = "----rectify-huge-upload-boundary"
_FILLER = (b"0123456789abcdef" * 4096)  # 64 KB; any content will do, the size is what is refused


class HugeBody(io.RawIOBase):
    """A readable body of ``len(self)`` bytes, generated chunk by chunk; counts what was read."""

    def __init__(self, head: bytes, size: int, tail: bytes):
        self.head, self.size, self.tail = head, size, tail
        self.length = len(head) + size + len(tail)
        self.position = 0

    def __len__(self):
        return self.length

    def readable(self):
        return True

    def read(self, n=-1):
        if n is None or n < 0:
            raise AssertionError("the whole body was asked for at once")
        out = bytearray()
        while n > 0 and self.position < self.length:
            pos = self.position
            if pos < len(self.head):
                piece = self.head[pos:pos + n]
            elif pos < len(self.head) + self.size:
                offset = pos - len(self.head)
                take = min(n, self.size - offset, len(_FILLER))
                piece = _FILLER[:take]
            else:
                offset = pos - len(self.head) - self.size
                piece = self.tail[offset:offset + n]
            out += piece
            self.position += len(piece)
            n -= len(piece)
        return bytes(out)

    def readline(self, limit=-1):
        return self.read(limit if limit and limit > 0 else 65536)


def huge_upload(*, field: str, filename: str, size: int) -> HugeBody:
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    return HugeBody(head, size, tail)


def post_stream(path: str, body: HugeBody, *, user=None, **extra):
    """POST ``body`` to ``path`` through Django's handler, as ``user`` (session cookie), CSRF not enforced."""
    cookie = ""
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    environ = RequestFactory()._base_environ(
        PATH_INFO=path, REQUEST_METHOD="POST", CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(len(body)), HTTP_COOKIE=cookie, **{"wsgi.input": body}, **extra,
    )
    return ClientHandler(enforce_csrf_checks=False)(environ)
