"""Corrections staff make to a parse: their own rows, re-applied after every re-parse.

A correction names the issue it changes by its stable key (see
``notices.parsing.corrections``), never by a row id, because a re-parse
rewrites every row.  Each keeps who, when, what and why; ``outcome`` says
whether it still applies to the current parse (``stale`` ones are shown on
the review page until someone looks).  Revoking keeps the row.
"""
from django.conf import settings
from django.db import models

from notices.parsing import corrections as pure


class CorrectionQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(revoked_at__isnull=True)


class Correction(models.Model):
    class Kind(models.TextChoices):
        INSTITUTION = pure.INSTITUTION, "更改单位"
        HEADER = pure.HEADER, "更正通报信息"
        ISSUE = pure.ISSUE, "更正问题"
        NOT_ISSUE = pure.NOT_ISSUE, "不是问题"
        ADD_ISSUE = pure.ADD_ISSUE, "补充遗漏问题"
        MERGE = pure.MERGE, "合并问题"
        SPLIT = pure.SPLIT, "拆分问题"

    class Outcome(models.TextChoices):
        APPLIED = pure.APPLIED, "已生效"
        STALE = pure.STALE, "未生效，需重新核对"
        REDUNDANT = pure.REDUNDANT, "解析已正确，无需更正"

    notice = models.ForeignKey("notices.Notice", on_delete=models.CASCADE, related_name="corrections",
                               verbose_name="通报")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    target_key = models.CharField("问题标识", max_length=120, blank=True,
                                  help_text="类别/序号/规范化标题：重新解析后据此找回同一问题")
    payload = models.JSONField("更正内容", default=dict, blank=True)
    summary = models.TextField("更正摘要", help_text="人能读的一句话：改了什么，从什么改成什么")
    reason = models.TextField("原因")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name="更正人")
    created_at = models.DateTimeField("更正时间", auto_now_add=True, db_index=True)
    outcome = models.CharField("应用结果", max_length=12, choices=Outcome.choices, default=Outcome.APPLIED)
    outcome_message = models.TextField("未生效原因", blank=True)
    issue = models.ForeignKey("tracking.FeedbackIssue", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="corrections", verbose_name="对应台账问题")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="撤销人")
    revoke_reason = models.TextField("撤销原因", blank=True)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "解析更正"
        ordering = ["notice", "created_at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.summary[:40]}"

    @property
    def spec(self) -> pure.CorrectionSpec:
        return pure.CorrectionSpec(id=self.pk, kind=self.kind, target=self.target_key, payload=self.payload)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
