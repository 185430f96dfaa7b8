"""Free text typed by people is cleaned where it is saved, and the person is told what went.

Every service that stores text from a form or an API call (comments and
their replies, verification notes, progress reports, correction, rejection
and withdrawal reasons, disclosure reasons, ledger fields) passes it through
``clean_input``: control characters other than tab and newline, and bidi
overrides, are removed (``notices.parsing.text``).  Cleaning in the
services covers the HTML forms, the API and anything else alike.

``InputCleaningMiddleware`` counts what the services removed during a
request and tells the user: a message on the next page
(「已移除N个不可见控制字符」) and, for API clients, the response header
``X-Removed-Control-Characters``.
"""
from __future__ import annotations

import contextvars

from django import forms
from django.contrib import messages
from rest_framework import serializers

from notices.parsing.text import clean_text, removal_notice

HEADER = "X-Removed-Control-Characters"

_removed: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("removed_controls", default=None)


def clean_input(value):
    """``value`` without control characters and bidi overrides (non-strings pass through)."""
    if not isinstance(value, str) or not value:
        return value
    text, removed = clean_text(value)
    if removed:
        counter = _removed.get()
        if counter is not None:
            counter[0] += removed
    return text


def removed_in_this_request() -> int:
    counter = _removed.get()
    return counter[0] if counter else 0


class InputCleaningMiddleware:
    """Collects what ``clean_input`` removed while the view ran; says so once. Place after MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _removed.set([0])
        try:
            response = self.get_response(request)
            removed = removed_in_this_request()
        finally:
            _removed.reset(token)
        if removed:
            response[HEADER] = str(removed)
            if not request.path.startswith("/api/") and hasattr(request, "_messages"):
                messages.info(request, removal_notice(removed))
        return response


class CleanCharField(forms.CharField):
    """A form ``CharField`` that cleans before validating: a NUL is removed (and counted), not refused in English."""

    def to_python(self, value):
        return super().to_python(clean_input(value))


class CleanSerializerCharField(serializers.CharField):
    """The same for DRF serializers."""

    def to_internal_value(self, data):
        return super().to_internal_value(clean_input(data))
