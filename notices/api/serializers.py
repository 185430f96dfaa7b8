"""Notice representations for ``/api/notices/``: read shape, upload shape, and the small answers."""
from django.urls import reverse
from rest_framework import serializers

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
    summary = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = [
            "id", "url", "detail_url", "status_url", "download_url", "original_name", "sha256", "format", "size",
            "institution", "institution_name", "inspection", "uploaded_at", "state", "state_label", "error",
            "error_code", "attempts", "parser_version", "parsed_at", "title", "published_on", "disclosure_start",
            "disclosure_end", "withdrawn_at", "withdraw_reason", "summary",
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
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)
