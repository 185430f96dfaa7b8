"""REST endpoints for the review data: the pages' querysets, filters and permissions, as JSON."""
import hashlib

from django.utils import timezone
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import counters, progress, selectors, services
from ..filters import (
    FeedbackIssueFilter,
    InspectionFilter,
    InstitutionFilter,
    ProgressReportFilter,
    StatusChangeFilter,
)
from ..models import FeedbackIssue, Inspection, Institution, IssueAction, Measure, ProgressReport, StatusChange
from ..views.overview import chart_scope
from . import serializers
from .pagination import KeysetPagination
from .permissions import CanViewProgress, IsReviewer


class _ProgressViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [CanViewProgress]
    # The FilterSet owns ordering, so the HTML list and the API sort alike.
    filter_backends = [DjangoFilterBackend]
    # Keyset pages in the FilterSet's (or the view's) order: no COUNT, no OFFSET, whatever the table's size.
    pagination_class = KeysetPagination


class _VersionCachedList:
    """A JSON list page served from the cache under the counters' version (``tracking.counters``).

    Every write that changes an issue bumps the version in its transaction, so
    a page is never older than the data it was filed under; the key also holds
    whose view it is (staff, or one hospital's clerk), today's date (deadline
    states move with it) and the full URL (filters, ordering, cursor).  The
    browsable API renders its controls from the live paginator, so only JSON
    is cached; a cache error is a miss.
    """

    list_cache_seconds = 300

    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) != "json":
            return super().list(request, *args, **kwargs)
        key = (f"api-list:{self.basename}:{chart_scope(request.user)}:{timezone.localdate()}:{counters.version()}:"
               + hashlib.sha256(request.build_absolute_uri().encode()).hexdigest())
        data = selectors.cached(key, lambda: super(_VersionCachedList, self).list(request, *args, **kwargs).data,
                                self.list_cache_seconds)
        return Response(data)


@extend_schema(tags=["整改进展"])
class InstitutionViewSet(_VersionCachedList, _ProgressViewSet):
    """单位及其最近一次巡察的问题统计；可按主题、整改情况、地区、轮次筛选。"""

    serializer_class = serializers.InstitutionSerializer
    filterset_class = InstitutionFilter

    def get_queryset(self):
        return Institution.objects.visible_to(self.request.user)


@extend_schema(tags=["整改进展"])
class InspectionViewSet(_ProgressViewSet):
    serializer_class = serializers.InspectionSerializer
    filterset_class = InspectionFilter

    def get_queryset(self):
        return (
            Inspection.objects.visible_to(self.request.user)
            .select_related("institution")
            .annotate(issue_count=Count("issues"))
            .order_by("-feedback_on", "-id")
        )


class ConflictSerializer(drf_serializers.Serializer):
    detail = drf_serializers.CharField()


def _validation_error(error: DjangoValidationError) -> drf_serializers.ValidationError:
    field = "confirm_unclaimed" if getattr(error, "code", None) == "confirmation_required" else "note"
    return drf_serializers.ValidationError({field: error.messages})


@extend_schema(tags=["整改进展"])
class FeedbackIssueViewSet(_VersionCachedList, _ProgressViewSet):
    """反馈问题：通报所称状态与巡察办核查状态分列。"""

    serializer_class = serializers.FeedbackIssueSerializer
    filterset_class = FeedbackIssueFilter

    def get_queryset(self):
        return (
            FeedbackIssue.objects.visible_to(self.request.user)
            .select_related("inspection__institution", "category", "verified_by")
            .prefetch_related(
                Prefetch("measures", queryset=Measure.objects.order_by("notice_id", "order")),
                Prefetch("actions", queryset=IssueAction.objects.order_by("date", "order")),
            )
            # Not by institution name: that sorts every matching issue before a page is cut (140 ms
            # at 60,000 issues against under 1 ms along the (inspection, order) index).
            .order_by("inspection_id", "order", "pk")
        )

    @extend_schema(responses=serializers.StatusChangePageSerializer, filters=False,
                   parameters=[OpenApiParameter("cursor", str, description=KeysetPagination.cursor_query_description)])
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request, pk=None):
        """该问题的全部状态变更（通报解析与人工核查），按时间排列。"""
        issue = self.get_object()
        changes = StatusChange.objects.filter(issue=issue).select_related("changed_by").order_by("changed_at", "id")
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(serializers.StatusChangeSerializer(page, many=True).data)

    def _change(self, request, service):
        issue = self.get_object()
        payload = serializers.VerificationRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        if service is services.issue_reopen:
            data.pop("confirm_unclaimed", None)
        try:
            service(issue=issue, user=request.user, **data)
        except DjangoValidationError as error:
            raise _validation_error(error) from error
        except services.IssueChanged as error:
            return Response({"detail": error.message}, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(self.get_queryset().get(pk=issue.pk)).data)

    @extend_schema(request=serializers.VerificationRequestSerializer, filters=False, responses={
        200: serializers.FeedbackIssueSerializer, 409: OpenApiResponse(ConflictSerializer, "核查状态已被更改")})
    @action(detail=True, methods=["post"], permission_classes=[IsReviewer], filter_backends=[])
    def verify(self, request, pk=None):
        """核查销号（需填写核查说明）。"""
        return self._change(request, services.issue_verify)

    @extend_schema(request=serializers.VerificationRequestSerializer, filters=False, responses={
        200: serializers.FeedbackIssueSerializer, 409: OpenApiResponse(ConflictSerializer, "核查状态已被更改")})
    @action(detail=True, methods=["post"], permission_classes=[IsReviewer], filter_backends=[])
    def reopen(self, request, pk=None):
        """退回重新整改（需填写原因）。"""
        return self._change(request, services.issue_reopen)


@extend_schema(tags=["整改进展"])
class StatusChangeViewSet(_ProgressViewSet):
    serializer_class = serializers.StatusChangeSerializer
    filterset_class = StatusChangeFilter

    def get_queryset(self):
        return (
            StatusChange.objects.filter(issue__in=FeedbackIssue.objects.visible_to(self.request.user))
            .select_related("changed_by")
            .order_by("-changed_at", "-id")
        )


@extend_schema(tags=["整改进展"])
class ProgressReportViewSet(_ProgressViewSet):
    """医院报告的整改进展与销号申请（含佐证材料）；工作人员批准销号或退回。"""

    serializer_class = serializers.ProgressReportSerializer
    filterset_class = ProgressReportFilter

    def get_queryset(self):
        return (
            ProgressReport.objects.visible_to(self.request.user)
            .select_related("issue__inspection", "author", "decided_by")
            .prefetch_related("evidence")
            .order_by("-created_at", "-id")
        )

    def _decide(self, request, decide):
        report = self.get_object()
        payload = serializers.DecisionRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            decide(report, request.user, payload.validated_data)
        except DjangoValidationError as error:
            raise _validation_error(error) from error
        except services.IssueChanged as error:
            return Response({"detail": error.message}, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(self.get_queryset().get(pk=report.pk)).data)

    @extend_schema(request=serializers.DecisionRequestSerializer, filters=False, responses={
        200: serializers.ProgressReportSerializer, 409: OpenApiResponse(ConflictSerializer, "申请已被处理")})
    @action(detail=True, methods=["post"], permission_classes=[IsReviewer], filter_backends=[])
    def approve(self, request, pk=None):
        """批准销号申请（即核查销号）。"""
        return self._decide(request, lambda report, user, data: progress.report_approve(
            report=report, user=user, note=data["note"], confirm_unclaimed=data["confirm_unclaimed"]))

    @extend_schema(request=serializers.DecisionRequestSerializer, filters=False, responses={
        200: serializers.ProgressReportSerializer, 409: OpenApiResponse(ConflictSerializer, "申请已被处理")})
    @action(detail=True, methods=["post"], url_path="return", url_name="return", permission_classes=[IsReviewer],
            filter_backends=[])
    def return_(self, request, pk=None):
        """退回销号申请（需写明原因，填报员可见）。"""
        return self._decide(request, lambda report, user, data: progress.report_return(
            report=report, user=user, note=data["note"]))
