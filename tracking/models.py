"""Institutions, their inspections, and the feedback issues being rectified.

A ``FeedbackIssue`` is one problem the inspection group fed back; it lives as
long as its ``Inspection``.  Each notice that reports on it leaves an
``IssueStatement`` (what that notice said, when), and every change of its
claimed or verified status leaves a ``StatusChange`` row.  Measures, dated
actions and sections carry the notice they came from, so re-parsing one
notice replaces exactly its own rows.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .naming import group_label, infer_region, normalize_institution_name, pinyin_sort_key
from .querysets import (
    EvidenceQuerySet,
    FeedbackIssueQuerySet,
    InspectionQuerySet,
    InstitutionQuerySet,
    ProgressReportQuerySet,
)


class RectificationStatus(models.TextChoices):
    """What a notice claims about an issue; only what the text says."""

    COMPLETED = "completed", "已完成整改"
    IN_PROGRESS = "in_progress", "正在整改"
    LONG_TERM = "long_term", "长期坚持"
    NOT_STATED = "not_stated", "未说明"


class Verification(models.TextChoices):
    """What discipline-inspection staff found when they checked (核查销号)."""

    UNVERIFIED = "unverified", "未核查"
    VERIFIED = "verified", "已核查销号"
    REOPENED = "reopened", "已退回重新整改"


class SignOff(models.TextChoices):
    """Where the hospital's latest 申请销号 stands (blank: never asked)."""

    NONE = "", "未申请销号"
    PENDING = "pending", "待核查"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已批准销号"


# Recorded with a verification of an issue the notices do not claim completed (issue #12's rule).
VERIFIED_AGAINST_CLAIM_LABEL = "工作人员核实已完成（通报未称完成）"


class Institution(models.Model):
    name = models.CharField("名称", max_length=200)
    normalized_name = models.CharField("规范名称", max_length=200, unique=True, editable=False)
    # Hospitals are listed in pinyin order (as Chinese readers expect), not by code point.
    name_pinyin = models.CharField("拼音排序键", max_length=600, blank=True, db_index=True, editable=False,
                                   default="", db_default="")
    aliases = models.JSONField("其他名称", default=list, blank=True, help_text="通报中出现过的简称，如「市中医院」")
    region = models.CharField("地区", max_length=100, blank=True)
    parent_body = models.CharField("上级主管单位", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # Materialised by ``tracking.counters`` whenever the institution's inspections change: the overview
    # joins it instead of picking the newest inspection per row.
    latest_inspection = models.ForeignKey("Inspection", on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", editable=False, verbose_name="最近一次巡察")

    objects = InstitutionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["name_pinyin", "id"]
        permissions = [("review_progress", "查看并核查所有单位的整改进展")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalized_name = normalize_institution_name(self.name)
        self.name_pinyin = pinyin_sort_key(self.normalized_name)
        # A hospital created from a notice has no region; its name starts with one (「聊城市东昌府区中医院」).
        if not self.region:
            self.region = infer_region(self.name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "normalized_name", "name_pinyin", "region"}
        super().save(*args, **kwargs)


class InstitutionMember(models.Model):
    """Binds a hospital clerk (医院填报员) to the one institution they work for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership",
                                verbose_name="用户")
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="members", verbose_name="单位")

    class Meta:
        verbose_name = verbose_name_plural = "单位账号"

    def __str__(self):
        return f"{self.user} @ {self.institution}"


def _counter(label):
    return models.PositiveIntegerField(label, default=0, db_default=0, editable=False)


class Inspection(models.Model):
    """One round of inspection of one institution, fed back on one date."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="inspections",
                                    verbose_name="单位")
    inspecting_body = models.CharField("巡察主体", max_length=20, blank=True, help_text="市委、区委、旗委、县委、省委")
    round = models.CharField("巡察轮次", max_length=100, blank=True, help_text="如：十六届旗委第九轮")
    group = models.CharField("巡察组", max_length=100, blank=True, help_text="如：市委第三巡察组")
    started_on = models.DateField("巡察开始", null=True, blank=True)
    ended_on = models.DateField("巡察结束", null=True, blank=True)
    feedback_on = models.DateField("反馈日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    # Counts of this inspection's issues, recounted by ``tracking.counters`` in the transaction of every
    # write that changes them; ``manage.py recount_progress`` rebuilds them.  Not date-dependent (逾期 and
    # 临期 move with the calendar and are counted per page).
    n_issues = _counter("问题数")
    n_completed = _counter("已完成整改")
    n_in_progress = _counter("正在整改")
    n_long_term = _counter("长期坚持")
    n_not_stated = _counter("未说明")
    n_verified = _counter("已核查销号")
    n_reopened = _counter("已退回重新整改")
    n_open = _counter("未完成")
    n_pending = _counter("待核查销号申请")
    theme_counts = models.JSONField("各主题问题数", default=dict, blank=True, editable=False,
                                    help_text="{主题: [问题数, 未完成数]}")

    objects = InspectionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "巡察"
        ordering = ["-feedback_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "inspecting_body", "group", "feedback_on"], name="one_inspection_per_feedback"
            )
        ]
        # The overview picks each institution's latest inspection with this ordering.
        indexes = [models.Index(fields=["institution", "-feedback_on", "-id"], name="inspection_latest")]

    def __str__(self):
        when = self.feedback_on.isoformat() if self.feedback_on else "日期未知"
        return f"{self.institution} · {self.group_label} · {when}反馈"

    @property
    def group_label(self) -> str:
        return group_label(self.inspecting_body, self.group)


class IssueCategory(models.Model):
    """A group of feedback issues: （一）关于…方面."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="categories", verbose_name="巡察")
    number = models.CharField("序号", max_length=10)
    title = models.TextField("标题")
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "问题类别"
        ordering = ["inspection", "order"]
        constraints = [models.UniqueConstraint(fields=["inspection", "number"], name="one_category_number")]

    def __str__(self):
        return f"（{self.number}）{self.title}"


class FeedbackIssue(models.Model):
    """A problem fed back by the inspection group, tracked across notices."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="issues", verbose_name="巡察")
    category = models.ForeignKey(IssueCategory, on_delete=models.SET_NULL, null=True, blank=True, related_name="issues",
                                 verbose_name="问题类别")
    number = models.CharField("序号", max_length=10, blank=True)
    title = models.TextField("问题")
    match_key = models.CharField("匹配键", max_length=64, db_index=True, editable=False,
                                 help_text="跨通报识别同一问题所用的规范化标题")
    text = models.TextField("全文", blank=True)
    order = models.PositiveIntegerField("顺序", default=0)
    status = models.CharField("通报所称状态", max_length=20, choices=RectificationStatus.choices,
                              default=RectificationStatus.NOT_STATED, db_index=True)
    status_evidence = models.TextField("状态依据", blank=True, help_text="通报中说明状态的原句")
    last_notice = models.ForeignKey("notices.Notice", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="最近通报")
    # The deadline every list and warning reads: the hospital's own when it set one, else the notices'.
    due_on = models.DateField("整改时限", null=True, blank=True, db_index=True)
    notice_due_on = models.DateField("通报所载整改时限", null=True, blank=True)
    due_on_override = models.DateField("医院调整的整改时限", null=True, blank=True,
                                       help_text="医院填写后以此为准；重新解析通报不会覆盖")
    measures_override = models.TextField("医院填写的整改措施", blank=True, default="", db_default="",
                                         help_text="留空则显示通报所列措施；重新解析通报不会覆盖")
    responsible_leader = models.CharField("责任领导", max_length=100, blank=True, default="", db_default="")
    responsible_department = models.CharField("责任部门", max_length=100, blank=True, default="", db_default="")
    responsible_person = models.CharField("责任人", max_length=100, blank=True, default="", db_default="")
    signoff = models.CharField("销号申请", max_length=10, choices=SignOff.choices, blank=True, default="",
                               db_default="", db_index=True)
    verification = models.CharField("核查状态", max_length=20, choices=Verification.choices,
                                    default=Verification.UNVERIFIED, db_index=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="核查人")
    verified_at = models.DateTimeField("核查时间", null=True, blank=True)
    verification_note = models.TextField("核查说明", blank=True)
    verified_against_claim = models.BooleanField(VERIFIED_AGAINST_CLAIM_LABEL, default=False, db_default=False)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = FeedbackIssueQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "反馈问题"
        ordering = ["inspection", "order"]
        indexes = [
            models.Index(fields=["inspection", "order"], name="issue_inspection_order"),
            # The API's keyset pages of one status (``?status=in_progress``) walk this in order.
            models.Index(fields=["status", "inspection", "order", "id"], name="issue_status_keyset"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title[:40]}"

    @property
    def verification_label(self) -> str:
        if self.verification == Verification.VERIFIED and self.verified_against_claim:
            return VERIFIED_AGAINST_CLAIM_LABEL
        return self.get_verification_display()

    @property
    def owner_label(self) -> str:
        return " / ".join(filter(None, [self.responsible_department, self.responsible_person]))


class IssueStatement(models.Model):
    """What one notice said about one issue: the status history across notices."""

    notice = models.ForeignKey("notices.Notice", on_delete=models.CASCADE, related_name="statements", verbose_name="通报")
    issue = models.ForeignKey(FeedbackIssue, on_delete=models.CASCADE, related_name="statements", verbose_name="问题")
    number = models.CharField("序号", max_length=10, blank=True)
    title = models.TextField("问题")
    text = models.TextField("全文", blank=True)
    status = models.CharField("状态", max_length=20, choices=RectificationStatus.choices)
    status_evidence = models.TextField("状态依据", blank=True)
    order = models.PositiveIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "通报所述问题"
        ordering = ["notice", "order"]
        constraints = [models.UniqueConstraint(fields=["notice", "issue"], name="one_statement_per_notice_issue")]


class Measure(models.Model):
    """One rectification measure (一是…二是…) as a notice reports it."""

    issue = models.ForeignKey(FeedbackIssue, on_delete=models.CASCADE, related_name="measures", verbose_name="问题")
    notice = models.ForeignKey("notices.Notice", on_delete=models.CASCADE, related_name="measures", verbose_name="通报")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField("措施")

    class Meta:
        verbose_name = verbose_name_plural = "整改措施"
        ordering = ["issue", "notice", "order"]


class IssueSection(models.Model):
    """A labelled part of an issue's text: 整改措施 / 阶段性成效 / 下一步推进举措."""

    issue = models.ForeignKey(FeedbackIssue, on_delete=models.CASCADE, related_name="sections", verbose_name="问题")
    notice = models.ForeignKey("notices.Notice", on_delete=models.CASCADE, related_name="sections", verbose_name="通报")
    order = models.PositiveIntegerField(default=0)
    label = models.CharField("小标题", max_length=50)
    text = models.TextField("内容")

    class Meta:
        verbose_name = verbose_name_plural = "问题分项"
        ordering = ["issue", "notice", "order"]


class IssueAction(models.Model):
    """A dated step inside an issue: done on a date, or due by one."""

    class Kind(models.TextChoices):
        ACTION = "action", "已采取行动"
        DEADLINE = "deadline", "整改时限"

    issue = models.ForeignKey(FeedbackIssue, on_delete=models.CASCADE, related_name="actions", verbose_name="问题")
    notice = models.ForeignKey("notices.Notice", on_delete=models.CASCADE, related_name="actions", verbose_name="通报")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    date = models.DateField("日期", null=True, blank=True)
    date_text = models.CharField("原文日期", max_length=100, blank=True)
    text = models.TextField("内容")

    class Meta:
        verbose_name = verbose_name_plural = "时间节点"
        ordering = ["issue", "date", "order"]
        indexes = [models.Index(fields=["kind", "date"], name="action_kind_date")]


class ImmediateItem(models.Model):
    """A 立行立改 item the inspection group handed over for immediate rectification."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="immediate_items",
                                   verbose_name="巡察")
    notice = models.ForeignKey("notices.Notice", on_delete=models.CASCADE, related_name="immediate_items",
                               verbose_name="通报")
    order = models.PositiveIntegerField(default=0)
    text = models.TextField("事项")
    status = models.CharField("状态", max_length=20, choices=RectificationStatus.choices,
                              default=RectificationStatus.NOT_STATED)
    status_evidence = models.TextField("状态依据", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "立行立改事项"
        ordering = ["inspection", "notice", "order"]


class StatusChange(models.Model):
    """One change of an issue's claimed status (by a parse) or verification (by staff)."""

    class Kind(models.TextChoices):
        CLAIMED = "claimed", "通报所称状态"
        VERIFICATION = "verification", "核查状态"

    issue = models.ForeignKey(FeedbackIssue, on_delete=models.CASCADE, related_name="status_changes", verbose_name="问题")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    old_value = models.CharField("原状态", max_length=20, blank=True)
    new_value = models.CharField("新状态", max_length=20)
    notice = models.ForeignKey("notices.Notice", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                               verbose_name="通报")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="操作人")
    reason = models.TextField("原因", blank=True)
    changed_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = verbose_name_plural = "状态变更记录"
        ordering = ["issue", "changed_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(old_value=models.F("new_value")), name="status_change_changes")
        ]

    def value_label(self, value):
        choices = RectificationStatus if self.kind == self.Kind.CLAIMED else Verification
        return dict(choices.choices).get(value, value or "—")

    @property
    def old_label(self):
        return self.value_label(self.old_value)

    @property
    def new_label(self):
        return self.value_label(self.new_value)


class ProgressReport(models.Model):
    """What the hospital did about one issue between notices: progress, or a request to close it (申请销号)."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "进展报告"
        SIGNOFF = "signoff", "申请销号"

    class State(models.TextChoices):
        RECORDED = "recorded", "已记录"
        PENDING = "pending", "待核查"
        APPROVED = "approved", "已批准销号"
        RETURNED = "returned", "已退回"

    issue = models.ForeignKey(FeedbackIssue, on_delete=models.CASCADE, related_name="reports", verbose_name="问题")
    kind = models.CharField("类型", max_length=10, choices=Kind.choices)
    state = models.CharField("状态", max_length=10, choices=State.choices, db_index=True)
    text = models.TextField("整改情况")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                               verbose_name="填报人")
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="核查人")
    decided_at = models.DateTimeField("核查时间", null=True, blank=True)
    decision_note = models.TextField("核查意见", blank=True)

    objects = ProgressReportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "整改进展报告"
        ordering = ["issue", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue"], condition=Q(state="pending"), name="one_pending_signoff"),
        ]
        # The 待核查 queue: pending requests, oldest first.
        indexes = [models.Index(fields=["state", "created_at"], name="report_queue")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.issue}"


def evidence_upload_path(evidence, filename):
    # Named by content hash: the path never carries the user's file name.
    now = timezone.now()
    return f"evidence/{now:%Y/%m}/{evidence.sha256}.{evidence.extension}"


class Evidence(models.Model):
    """A file attached to a progress report (佐证材料); served only through a permission-checked view."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence",
                               verbose_name="进展报告")
    issue = models.ForeignKey(FeedbackIssue, on_delete=models.CASCADE, related_name="evidence", verbose_name="问题")
    file = models.FileField("文件", upload_to=evidence_upload_path, max_length=255)
    original_name = models.CharField("文件名", max_length=255)
    extension = models.CharField("类型", max_length=10)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", verbose_name="上传人")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "佐证材料"
        ordering = ["report", "id"]

    def __str__(self):
        return self.original_name


class IssueEvent(models.Model):
    """One step of the progress workflow: who did what, when, with what note."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", "报告整改进展"
        SIGNOFF_REQUESTED = "signoff_requested", "申请销号"
        SIGNOFF_APPROVED = "signoff_approved", "批准销号"
        SIGNOFF_RETURNED = "signoff_returned", "退回销号申请"

    issue = models.ForeignKey(FeedbackIssue, on_delete=models.CASCADE, related_name="events", verbose_name="问题")
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, null=True, blank=True, related_name="events",
                               verbose_name="进展报告")
    kind = models.CharField("操作", max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                              verbose_name="操作人")
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "整改进展记录"
        ordering = ["issue", "at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.issue_id}号问题"


class ProgressStamp(models.Model):
    """One row whose ``version`` every change of the counters bumps: the key of cached overview figures."""

    version = models.BigIntegerField("版本", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "统计版本"


class ReminderDigest(models.Model):
    """A daily reminder e-mail sent to one user: at most one per user and day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="用户")
    day = models.DateField("日期")
    items = models.PositiveIntegerField("待办事项数", default=0)
    sent_at = models.DateTimeField("发送时间", auto_now_add=True)

    def __str__(self):
        return f"{self.user} · {self.day:%Y-%m-%d}"

    class Meta:
        verbose_name = verbose_name_plural = "每日提醒"
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_and_day")]
