"""Notice representations for ``/api/notices/``: read shape, upload shape, and the small answers."""
from django.urls import reverse
from rest_framework import serializers

from rectify_site.input_text import CleanSerializerCharField
from tracking.models import Institution

from ..models import Notice
from ..selectors import notice_summary


class NoticeSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="notice-detail")
    detail_url = serializers.SerializerMethodField(help_text="通报详情页（网页）")
    status_url = serializers.SerializerMethodField(help_text="解析状态（小JSON，可轮询）")
    download_url = serializers.SerializerMethodField()
    institution_name = serializers.CharField(source="institution.name", read_only=True, default=None)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    review_state_label = serializers.CharField(source="get_review_state_display", read_only=True)
    status_label = serializers.CharField(read_only=True, help_text="列表徽章：解析进行中时为解析状态，之后为审核状态")
    counted = serializers.BooleanField(source="is_accepted", read_only=True,
                                       help_text="是否计入统计（仅审核通过的通报计入）")
    summary = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id", "url", "detail_url", "status_url", "download_url", "original_name", "sha256", "format", "size",
            "institution", "institution_name", "inspection", "uploaded_at", "state", "state_label", "error",
            "error_code", "attempts", "parser_version", "parsed_at", "confidence", "review_reasons", "review_state",
            "review_state_label", "status_label", "counted", "needs_recheck", "recheck_reasons", "reviewed_at",
            "review_note", "duplicate_of", "title", "published_on", "disclosure_start", "disclosure_end",
            "published_at", "withdrawn_at", "withdraw_reason", "summary",
        ]
        read_only_fields = fields

    def get_detail_url(self, obj) -> str:
        return reverse("notices:detail", args=[obj.pk])

    def get_status_url(self, obj) -> str:
        return reverse("notices:status", args=[obj.pk])

    def get_download_url(self, obj) -> str:
        return reverse("notices:download", args=[obj.pk])

    def get_summary(self, obj) -> dict | None:
        return notice_summary(obj)


class NoticeUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="通报文件：txt、docx、doc、pdf、html/htm，不超过 20 MB")
    institution = serializers.PrimaryKeyRelatedField(
        queryset=Institution.objects.all(), required=False, allow_null=True,
        help_text="所属单位；医院填报员只能是本单位（可省略），工作人员省略时按通报内容识别",
    )


class NoticeAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text="该通报的接口地址")
    detail_url = serializers.CharField()
    status_url = serializers.CharField()
    state = serializers.CharField()
    created = serializers.BooleanField(help_text="false 表示同一文件此前已上传，返回的是已有的通报")


class WithdrawSerializer(serializers.Serializer):
    reason = CleanSerializerCharField(required=False, allow_blank=True, max_length=500)


class AcceptSerializer(serializers.Serializer):
    note = CleanSerializerCharField(required=False, allow_blank=True, max_length=2000)
    confirm_institution = serializers.BooleanField(
        required=False, default=False, help_text="通报中的单位与所属单位不一致时，确认该通报确属所属单位")


class RejectSerializer(serializers.Serializer):
    reason = CleanSerializerCharField(max_length=2000, help_text="驳回原因（必填）")


class CorrectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    target_key = serializers.CharField()
    payload = serializers.JSONField()
    summary = serializers.CharField()
    reason = serializers.CharField()
    created_by = serializers.CharField(source="created_by.username", default=None)
    created_at = serializers.DateTimeField()
    outcome = serializers.CharField()
    outcome_message = serializers.CharField()
    issue = serializers.IntegerField(source="issue_id", allow_null=True)
    revoked_at = serializers.DateTimeField(allow_null=True)
