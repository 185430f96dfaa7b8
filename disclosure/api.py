"""The public feed of open disclosures, for other sites (a hospital's or a county's) to embed.

Anonymous, read-only, no session: only fields that the public page shows.
"""
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .selectors import open_notices, public_title
from .window import days_left, disclosure_window, local_today

FEED_LIMIT = 200


class OpenDisclosureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    institution = serializers.CharField(allow_null=True)
    published_on = serializers.DateField(allow_null=True)
    disclosure_start = serializers.DateField()
    disclosure_end = serializers.DateField()
    days_left = serializers.IntegerField(help_text="公示剩余天数（含今天）")
    url = serializers.URLField(help_text="公开页面")
    original_url = serializers.URLField(help_text="原始文件下载")


class OpenDisclosureFeedSerializer(serializers.Serializer):
    today = serializers.DateField(help_text="北京时间的今天")
    count = serializers.IntegerField()
    results = OpenDisclosureSerializer(many=True)


class OpenDisclosureFeed(APIView):
    authentication_classes: list = []  # no session: the feed is the same for everyone
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]

    @extend_schema(summary="正在公示的整改通报", responses=OpenDisclosureFeedSerializer, tags=["公开"])
    def get(self, request):
        today = local_today()
        notices = open_notices(today)[:FEED_LIMIT]
        results = [
            {
                "id": n.pk,
                "title": public_title(n),
                "institution": n.institution.name if n.institution else None,
                "published_on": n.published_on,
                "disclosure_start": n.disclosure_start,
                "disclosure_end": n.disclosure_end,
                "days_left": days_left(disclosure_window(n), today),
                "url": request.build_absolute_uri(reverse("disclosure:notice", args=[n.pk])),
                "original_url": request.build_absolute_uri(reverse("disclosure:original", args=[n.pk])),
            }
            for n in notices
        ]
        body = OpenDisclosureFeedSerializer({"today": today, "count": len(results), "results": results}).data
        response = Response(body)
        # Public data read by other sites' scripts; no cookies are involved, so any origin may read it.
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = "public, max-age=300"
        return response
