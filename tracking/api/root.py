"""The API root: every endpoint of every app, answered to anyone (the lists themselves check who asks)."""
from collections import OrderedDict

from django.urls import NoReverseMatch
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

ENDPOINTS = [
    ("institutions", "institution-list", "单位及其最近一次巡察的问题统计（需登录）"),
    ("inspections", "inspection-list", "巡察（需登录）"),
    ("issues", "issue-list", "反馈问题、整改台账与预警（需登录）"),
    ("status-changes", "status-change-list", "状态变更记录（需登录）"),
    ("progress-reports", "progress-report-list", "整改进展与销号申请（需登录）"),
    ("notices", "notice-list", "整改通报（需登录）"),
    ("public-disclosures", "public-disclosures", "公开期内的整改通报（无需登录）"),
    ("auth-token", "api-token", "获取接口令牌（POST 用户名和密码）"),
    ("schema", "api-schema", "OpenAPI 接口描述"),
    ("docs", "api-docs", "接口文档"),
]


class ApiRootView(APIView):
    """整改通 API：列出全部接口。"""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, format=None):
        links = OrderedDict()
        for key, name, _ in ENDPOINTS:
            try:
                links[key] = reverse(name, request=request, format=format)
            except NoReverseMatch:
                continue
        return Response(links)

    def get_view_description(self, html=False):
        lines = [f"- {key}：{label}" for key, _, label in ENDPOINTS]
        return "整改通 API：列出全部接口。\n\n" + "\n".join(lines)
