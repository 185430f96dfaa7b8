"""Opinions the public sends during a notice's 公开期限, and who changed a window.

Comments are never shown on public pages: only staff and the notice's own
hospital read them.  The sender's address is kept only as a keyed hash, enough
to rate-limit and to spot one sender's flood, not to identify anyone.
"""
from django.conf import settings
from django.db import models

from tracking.querysets import _InstitutionScoped

COMMENT_MAX_LENGTH = 2000
NAME_MAX_LENGTH = 50
CONTACT_MAX_LENGTH = 100


class PublicCommentQuerySet(_InstitutionScoped):
    institution_path = "notice__institution"

    def unhandled(self):
        return self.filter(handled=False)


class PublicComment(models.Model):
    notice = models.ForeignKey("notices.Notice", on_delete=models.CASCADE, related_name="public_comments",
                               verbose_name="通报")
    issue = models.ForeignKey("tracking.FeedbackIssue", on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="public_comments", verbose_name="针对问题")
    text = models.TextField("意见内容", max_length=COMMENT_MAX_LENGTH)
    name = models.CharField("姓名", max_length=NAME_MAX_LENGTH, blank=True)
    contact = models.CharField("联系方式", max_length=CONTACT_MAX_LENGTH, blank=True)
    client_hash = models.CharField("来源标识", max_length=64, db_index=True, editable=False,
                                   help_text="客户端地址的加盐哈希，不保存原始IP")
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    handled = models.BooleanField("已处理", default=False, db_index=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="处理人")
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    reply_note = models.TextField("处理说明", blank=True)

    objects = PublicCommentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "公众意见"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.notice_id} · {self.created_at:%Y-%m-%d %H:%M} · {self.text[:20]}"


class DisclosureChange(models.Model):
    """One staff decision about a notice's publicity: a window set, an unpublish, a republish."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", "发布公开"
        WINDOW_SET = "window_set", "设定公开期限"
        UNPUBLISHED = "unpublished", "撤下公开"
        REPUBLISHED = "republished", "恢复公开"

    notice = models.ForeignKey("notices.Notice", on_delete=models.CASCADE, related_name="disclosure_changes")
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    old_start = models.DateField("原开始", null=True, blank=True)
    old_end = models.DateField("原结束", null=True, blank=True)
    new_start = models.DateField("新开始", null=True, blank=True)
    new_end = models.DateField("新结束", null=True, blank=True)
    working_days = models.PositiveSmallIntegerField("工作日数", null=True, blank=True)
    reason = models.TextField("原因", blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+", verbose_name="操作人")
    changed_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "公开设置记录"
        ordering = ["notice", "-changed_at", "-id"]
