"""The app's URLs plus ``/_bench/floor/<bytes>/``: the framework's floor for a response of that size.

The floor view does nothing but return the bytes, through the same
middleware stack as every page, so a page's time divided by the floor's is
what the page itself costs.  It exists only under ``bench.settings``.
"""
from functools import lru_cache

from django.http import HttpResponse
from django.urls import include, path


@lru_cache(maxsize=16)
def _body(size: int) -> bytes:
    return b"x" * size


def floor(request, size: int):
    return HttpResponse(_body(size), content_type="text/html; charset=utf-8")


urlpatterns = [path("_bench/floor/<int:size>/", floor), path("", include("rectify_site.urls"))]
