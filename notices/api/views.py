"""``/api/notices/``: list, retrieve, upload (202), withdraw, reparse; scoped by ``visible_to``."""
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from review import services as review_services
from tracking.roles import can_upload, is_reviewer

from .. import services
from ..filters import NoticeFilter
from ..models import Notice
from .serializers import (
    AcceptSerializer,
    CorrectionSerializer,
    NoticeAcceptedSerializer,
    NoticeSerializer,
    NoticeUploadSerializer,
    RejectSerializer,
    WithdrawSerializer,
)


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter
    ordering_fields = ["uploaded_at", "published_on", "state"]
    parser_classes = [MultiPartParser, FormParser, JSONParser]
    queryset = Notice.objects.none()  # for the schema; requests go through get_queryset

    def get_queryset(self):
        return Notice.objects.visible_to(self.request.user).select_related("institution", "inspection")

    @extend_schema(
        request={"multipart/form-data": NoticeUploadSerializer},
        responses={202: NoticeAcceptedSerializer, 200: OpenApiResponse(NoticeAcceptedSerializer, "同一文件已上传过"),
                   400: OpenApiResponse(description="格式或大小不符合要求，或一次提交的文件过多"),
                   403: OpenApiResponse(description="无权为该单位上传"),
                   507: OpenApiResponse(description="服务器存储空间不足，文件未保存")},
        summary="上传通报（解析异步进行）",
    )
    def create(self, request):
        if not can_upload(request.user):
            raise PermissionDenied("无权上传整改通报")
        request.data  # parse the body first: only then has the upload handler recorded what it dropped
        oversized = getattr(request._request, "oversized_uploads", [])
        if oversized:  # dropped by the upload handler while streaming; never stored
            raise ValidationError({"file": [services.too_large_message(name) for name in oversized]})
        upload = NoticeUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        try:
            notice, created = services.notice_create(
                uploaded_file=upload.validated_data["file"], uploaded_by=request.user,
                institution=upload.validated_data.get("institution"),
            )
        except DjangoValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except services.StorageUnavailable as exc:  # nothing was kept; the client may simply try again later
            return Response({"detail": exc.message}, status=507 if exc.full else 503)
        # notice_create only ever answers with a notice the uploader may see: the same bytes held by another
        # hospital become a notice of the uploader's own, and nothing about the other is said.
        data = NoticeSerializer(notice, context=self.get_serializer_context()).data
        body = {key: data[key] for key in ("id", "url", "detail_url", "status_url", "state")} | {"created": created}
        return Response(body, status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
                        headers={"Location": str(data["url"])})

    @extend_schema(request=WithdrawSerializer, responses={200: NoticeSerializer}, summary="撤回通报（软删除）")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        notice = self.get_object()
        body = WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        self._call(services.notice_withdraw, notice=notice, withdrawn_by=request.user,
                   reason=body.validated_data.get("reason", ""))
        return Response(self.get_serializer(notice).data)

    @extend_schema(request=None, responses={202: NoticeSerializer}, summary="重新解析通报")
    @action(detail=True, methods=["post"])
    def reparse(self, request, pk=None):
        notice = self.get_object()
        self._call(services.notice_request_reparse, notice=notice, requested_by=request.user)
        return Response(self.get_serializer(notice).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=AcceptSerializer, responses={200: NoticeSerializer},
                   summary="审核通过（仅工作人员）：通过后计入整改台账")
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        notice = self._for_review()
        body = AcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        self._call(review_services.notice_accept, notice=notice, user=request.user, **body.validated_data)
        notice.refresh_from_db()
        return Response(self.get_serializer(notice).data)

    @extend_schema(request=RejectSerializer, responses={200: NoticeSerializer},
                   summary="驳回（仅工作人员）：移出台账并释放文件")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        notice = self._for_review()
        body = RejectSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        self._call(review_services.notice_reject, notice=notice, user=request.user, **body.validated_data)
        notice.refresh_from_db()
        return Response(self.get_serializer(notice).data)

    @extend_schema(responses={200: CorrectionSerializer(many=True)}, summary="解析更正记录（仅工作人员）")
    @action(detail=True, methods=["get"])
    def corrections(self, request, pk=None):
        notice = self._for_review()
        rows = notice.corrections.select_related("created_by").order_by("created_at", "id")
        return Response(CorrectionSerializer(rows, many=True).data)

    def _for_review(self):
        notice = self.get_object()  # 404 for a notice the caller may not see
        if not is_reviewer(self.request.user):
            raise PermissionDenied("只有巡察办工作人员可以审核通报")
        return notice

    @staticmethod
    def _call(service, **kwargs):
        try:
            service(**kwargs)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise ValidationError(exc.messages) from exc
