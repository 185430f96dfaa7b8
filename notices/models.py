"""Uploaded notices: the file exactly as uploaded, what parsing made of it, and what staff decided.

The original bytes are stored before anything else happens and are never
replaced.  A parse writes the fields below the file and proposes; only a
notice staff accepted (``review_state`` 已通过) has tracking rows, so the
ledger, the figures and the API need no filter of their own.  The parse job
(``state``) and the review (``review_state``) are separate: 已解析 says the
machine finished, not that anyone trusts the result.
"""
import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from tracking.querysets import _InstitutionScoped


class ParseState(models.TextChoices):
    QUEUED = "queued", "排队中"
    PARSING = "parsing", "解析中"
    PARSED = "parsed", "已解析"
    FAILED = "failed", "解析失败"
    CANCELLED = "cancelled", "已取消"  # withdrawn before the parse finished


class ReviewState(models.TextChoices):
    """What staff decided about a parsed notice; only 已通过 counts anywhere."""

    NONE = "", "未审核"  # not parsed yet, or the parse failed
    PENDING = "pending", "待审核"
    MISMATCH = "mismatch", "单位不一致"
    ACCEPTED = "accepted", "已通过"
    REJECTED = "rejected", "已驳回"
    NOT_NOTICE = "not_notice", "未识别为整改通报"
    DUPLICATE = "duplicate", "同一通报的其他格式"


# States in which the notice waits for a reviewer.
AWAITING_REVIEW = (ReviewState.PENDING, ReviewState.MISMATCH)


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

    def live(self):
        """Holding their file: neither withdrawn nor rejected (those free it for the right hospital)."""
        return self.active().exclude(review_state=ReviewState.REJECTED)

    def accepted(self):
        return self.active().filter(review_state=ReviewState.ACCEPTED)

    def needing_review(self):
        """The review queue: parsed, not withdrawn, and either undecided or accepted but changed by a re-parse."""
        return self.active().filter(state=ParseState.PARSED).filter(
            Q(review_state__in=AWAITING_REVIEW) | Q(review_state=ReviewState.ACCEPTED, needs_recheck=True)
        )

    def published(self):
        """Accepted, published by staff and not taken down since."""
        return self.accepted().filter(state=ParseState.PARSED, published_at__isnull=False, unpublished=False)

    def disclosed_on(self, day: dt.date):
        """Published notices whose 公开期限 includes ``day``."""
        return self.published().filter(disclosure_start__lte=day, disclosure_end__gte=day)


class Notice(models.Model):
    institution = models.ForeignKey("tracking.Institution", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="notices", verbose_name="单位")
    inspection = models.ForeignKey("tracking.Inspection", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="notices", verbose_name="巡察")
    # --- the upload, kept as uploaded
    file = models.FileField("原始文件", upload_to=notice_upload_path, max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
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
    # Who runs the parse now (the Celery task id) and when it last showed it was alive: a thread of the
    # parsing process bumps ``heartbeat_at``, so the sweep can tell a dead worker's job in minutes.
    parse_task_id = models.CharField("解析任务", max_length=64, blank=True)
    heartbeat_at = models.DateTimeField("解析心跳", null=True, blank=True)
    # Parses of this notice that ended with their process dead (out of memory, killed, past the hard
    # time limit); past ``NOTICE_MAX_LOST_PARSES`` the notice fails instead of being parsed again.
    lost_parses = models.PositiveSmallIntegerField("异常中断次数", default=0)
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
    content_key = models.CharField("内容指纹", max_length=32, blank=True, db_index=True,
                                   help_text="单位、巡察与问题清单规范化后的指纹，用于识别同一通报的不同格式")
    # --- the review: staff accept, correct or reject what the parser proposed
    review_state = models.CharField("审核状态", max_length=12, choices=ReviewState.choices, default=ReviewState.NONE,
                                    blank=True, db_index=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="审核人")
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    review_note = models.TextField("审核说明", blank=True, help_text="驳回原因，或通过时的说明")
    accepted_fingerprint = models.CharField("通过时的结果指纹", max_length=32, blank=True)
    needs_recheck = models.BooleanField("需复核", default=False,
                                        help_text="已通过的通报重新解析后结果有变化或有更正不再适用")
    recheck_reasons = models.JSONField("需复核的原因", default=list, blank=True)
    duplicate_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="copies", verbose_name="同一通报（原件）")
    added_aliases = models.JSONField("本通报为单位新增的别名", default=list, blank=True)
    created_institution = models.ForeignKey("tracking.Institution", on_delete=models.SET_NULL, null=True, blank=True,
                                            related_name="+", verbose_name="因本通报新建的单位")
    # --- publication: a staff act, only for accepted notices
    published_at = models.DateTimeField("发布公开时间", null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="发布人")
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
        constraints = [
            # One live notice per file and institution: a withdrawn or rejected one frees the file, and
            # another hospital's clerk uploading the same bytes gets a notice of their own (and learns nothing).
            models.UniqueConstraint(
                F("sha256"), Coalesce("institution", Value(0)), name="one_live_notice_per_file",
                condition=Q(withdrawn_at__isnull=True) & ~Q(review_state="rejected"),
            ),
        ]

    def __str__(self):
        return self.title or self.original_name

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_accepted(self) -> bool:
        return self.review_state == ReviewState.ACCEPTED and not self.is_withdrawn

    @property
    def is_published(self) -> bool:
        return self.is_accepted and self.published_at is not None and not self.unpublished

    @property
    def status_key(self) -> str:
        """One word for badges: the parse while it runs or failed, then the review."""
        if self.state != ParseState.PARSED:
            return self.state
        return self.review_state or self.state

    @property
    def status_label(self) -> str:
        if self.state != ParseState.PARSED or not self.review_state:
            return self.get_state_display()
        if self.review_state == ReviewState.ACCEPTED and self.needs_recheck:
            return "已通过·需复核"
        return self.get_review_state_display()


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker said it was alive (``notices.heartbeat``), independent of Redis."""

    worker = models.CharField("工作进程", max_length=200, unique=True)
    seen_at = models.DateTimeField("最近心跳")

    class Meta:
        verbose_name = verbose_name_plural = "解析进程心跳"

    def __str__(self):
        return f"{self.worker} · {self.seen_at:%Y-%m-%d %H:%M:%S}"
