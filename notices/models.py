"""Uploaded notices: the file exactly as uploaded, and what parsing made of it.

The original bytes are stored before anything else happens and are never
replaced; a parse only ever writes the fields below the file and the
tracking rows that carry this notice as their source.
"""
import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from tracking.querysets import _InstitutionScoped


class ParseState(models.TextChoices):
    QUEUED = "queued", "排队中"
    PARSING = "parsing", "解析中"
    PARSED = "parsed", "已解析"
    FAILED = "failed", "解析失败"


class ParseConfidence(models.TextChoices):
    """How sure the parse is (from the parser; OCR'd text is at most medium)."""

    HIGH = "high", "高"
    MEDIUM = "medium", "中"
    LOW = "low", "低"


class NoticeFormat(models.TextChoices):
    TXT = "txt", "文本"
    DOCX = "docx", "Word"
    PDF = "pdf", "PDF"
    HTML = "html", "网页"
    DOC = "doc", "旧版Word"
    OFD = "ofd", "OFD"
    IMAGE = "image", "图片"
    UNKNOWN = "unknown", "未知"


class TextSource(models.TextChoices):
    """Where the parsed text came from."""

    TEXT = "text", "文件文字"
    OCR = "ocr", "OCR识别"
    CONVERTED = "converted", "格式转换"


def notice_upload_path(notice, filename):
    # Named by content hash, so a path never reveals or collides on a user's file name.
    now = timezone.now()
    return f"notices/{now:%Y/%m}/{notice.sha256}.{notice.format}"


class NoticeQuerySet(_InstitutionScoped):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    def disclosed_on(self, day: dt.date):
        """Notices whose 公开期限 includes ``day`` and that staff have not unpublished."""
        return self.active().filter(
            state=ParseState.PARSED, unpublished=False, disclosure_start__lte=day, disclosure_end__gte=day
        )


class Notice(models.Model):
    institution = models.ForeignKey("tracking.Institution", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="notices", verbose_name="单位")
    inspection = models.ForeignKey("tracking.Inspection", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="notices", verbose_name="巡察")
    # --- the upload, kept as uploaded
    file = models.FileField("原始文件", upload_to=notice_upload_path, max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    format = models.CharField("格式", max_length=10, choices=NoticeFormat.choices)
    size = models.PositiveBigIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="uploaded_notices", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now, db_index=True)
    # --- the parse job
    state = models.CharField("解析状态", max_length=10, choices=ParseState.choices, default=ParseState.QUEUED,
                             db_index=True)
    state_changed_at = models.DateTimeField("状态时间", default=timezone.now)
    error = models.TextField("错误信息", blank=True)
    error_code = models.CharField("错误代码", max_length=40, blank=True)
    attempts = models.PositiveIntegerField("解析次数", default=0)
    parser_version = models.CharField("解析器版本", max_length=40, blank=True, db_index=True)
    parsed_at = models.DateTimeField("解析完成时间", null=True, blank=True)
    parse_duration_ms = models.PositiveIntegerField("解析耗时（毫秒）", null=True, blank=True)
    raw_text = models.TextField("提取文本", blank=True)
    text_encoding = models.CharField("文本编码", max_length=40, blank=True)
    text_source = models.CharField("文字来源", max_length=10, choices=TextSource.choices, blank=True)
    ocr_confidence = models.FloatField("OCR平均置信度", null=True, blank=True)
    # Pages recognised so far by OCR while parsing (the upload page shows 「识别第3/7页」).
    progress_done = models.PositiveIntegerField("已识别页数", default=0)
    progress_total = models.PositiveIntegerField("待识别页数", default=0)
    # --- what the notice says about itself
    title = models.TextField("标题", blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    disclosure_start = models.DateField("公开开始", null=True, blank=True, db_index=True)
    disclosure_end = models.DateField("公开结束", null=True, blank=True, db_index=True)
    disclosure_text = models.CharField("公开期限原文", max_length=200, blank=True)
    disclosure_set_by_staff = models.BooleanField("公开期限由工作人员设定", default=False)
    unpublished = models.BooleanField("已撤下公开", default=False)
    contacts = models.JSONField("联系方式", default=dict, blank=True)
    declared = models.JSONField("通报自述数量", default=dict, blank=True)
    statistics = models.JSONField("统计数据", default=list, blank=True)
    next_steps = models.TextField("下一步打算", blank=True)
    warnings = models.JSONField("解析提示", default=list, blank=True)
    confidence = models.CharField("解析置信度", max_length=10, choices=ParseConfidence.choices, blank=True,
                                  db_index=True)
    review_reasons = models.JSONField("需人工核对的原因", default=list, blank=True)
    parse_result = models.JSONField("解析结果", null=True, blank=True)
    # --- soft delete
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="撤回人")
    withdraw_reason = models.TextField("撤回原因", blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "整改通报"
        ordering = ["-uploaded_at", "-id"]
        permissions = [
            ("upload_notice", "上传整改通报"),
            ("reparse_notice", "重新解析整改通报"),
        ]
        indexes = [models.Index(fields=["state", "state_changed_at"], name="notice_state_since")]

    def __str__(self):
        return self.title or self.original_name

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None
