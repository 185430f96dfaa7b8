"""Writes: public comments, their handling, and staff decisions about a notice's publicity.

Each function is keyword-only and one transaction.  Refusals a person can act
on raise ``DisclosureRefused`` with a Chinese message; acting without the
role raises ``PermissionDenied``.
"""
import datetime as dt
import logging

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from notices.models import Notice
from rectify_site.input_text import clean_input
from tracking.models import IssueStatement
from tracking.roles import is_reviewer

from . import ratelimit
from .models import COMMENT_MAX_LENGTH, DisclosureChange, PublicComment
from .selectors import readable_notices
from .window import WindowState, add_working_days, disclosure_window, local_today, notice_window_state

logger = logging.getLogger(__name__)


class DisclosureRefused(Exception):
    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message = message
        self.code = code


def _require_reviewer(user):
    if not is_reviewer(user):
        raise PermissionDenied("只有巡察办工作人员可以设置公开")


@transaction.atomic
def comment_create(*, notice: Notice, text: str, client_address: str, name: str = "", contact: str = "",
                   issue=None, today: dt.date | None = None) -> PublicComment:
    today = today or local_today()
    # Re-read: the page may have been rendered before staff unpublished it or the window ended.
    current = readable_notices(today).filter(pk=notice.pk).first()
    if current is None or notice_window_state(current, today) is not WindowState.OPEN:
        raise DisclosureRefused("公示期已结束，不再接收意见。", "closed")
    text = clean_input(text).strip()
    if not text:
        raise DisclosureRefused("请填写意见内容。", "empty")
    if len(text) > COMMENT_MAX_LENGTH:
        raise DisclosureRefused(f"意见内容不能超过{COMMENT_MAX_LENGTH}字。", "too_long")
    if issue is not None and not IssueStatement.objects.filter(notice=current, issue=issue).exists():
        raise DisclosureRefused("所选问题不属于这份通报。", "issue_mismatch")
    hashed = ratelimit.client_hash(client_address)
    if not ratelimit.take(hashed):
        logger.info("comment rate-limited", extra={"notice_id": current.pk, "client": hashed[:8]})
        raise DisclosureRefused("提交过于频繁，请稍后再试。", "rate_limited")
    return PublicComment.objects.create(
        notice=current, issue=issue, text=text, name=clean_input(name).strip(), contact=clean_input(contact).strip(),
        client_hash=hashed
    )


@transaction.atomic
def comment_mark_handled(*, comment: PublicComment, user, reply_note: str) -> PublicComment:
    reply_note = clean_input(reply_note).strip()
    if not reply_note:
        raise DisclosureRefused("请填写处理说明。", "empty_reply")
    visible = PublicComment.objects.visible_to(user).filter(pk=comment.pk)
    if not visible.exists():
        raise PermissionDenied("无权处理这条意见")
    # Conditional update: of two people handling at once, exactly one wins.
    touched = visible.filter(handled=False).update(
        handled=True, handled_by=user, handled_at=timezone.now(), reply_note=reply_note
    )
    if touched != 1:
        raise DisclosureRefused("这条意见已经处理过了。", "already_handled")
    comment.refresh_from_db()
    return comment


@transaction.atomic
def notice_set_disclosure_window(*, notice: Notice, start: dt.date, user, end: dt.date | None = None,
                                 working_days: int | None = None, reason: str = "") -> Notice:
    """Staff set or correct the 公开期限: an end date, or a number of working days from ``start``."""
    _require_reviewer(user)
    if (end is None) == (working_days is None):
        raise DisclosureRefused("请填写结束日期或工作日数（二选一）。", "end_or_days")
    if working_days is not None:
        try:
            end = add_working_days(start, working_days)
        except ValueError:
            raise DisclosureRefused("工作日数应在1到60之间。", "working_days_range") from None
    if end < start:
        raise DisclosureRefused("结束日期不能早于开始日期。", "end_before_start")
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    DisclosureChange.objects.create(
        notice=locked, kind=DisclosureChange.Kind.WINDOW_SET, old_start=locked.disclosure_start,
        old_end=locked.disclosure_end, new_start=start, new_end=end, working_days=working_days,
        reason=clean_input(reason).strip(), changed_by=user,
    )
    locked.disclosure_start, locked.disclosure_end, locked.disclosure_set_by_staff = start, end, True
    # Only these fields: a parse running at the same time owns the others.
    locked.save(update_fields=["disclosure_start", "disclosure_end", "disclosure_set_by_staff"])
    return locked


@transaction.atomic
def notice_publish(*, notice: Notice, user, reason: str = "") -> Notice:
    """Staff publish an accepted notice for its 公开期限 (from the notice, or set by staff beforehand)."""
    from review.history import record

    _require_reviewer(user)
    locked = Notice.objects.select_for_update().get(pk=notice.pk)
    if not locked.is_accepted:
        raise DisclosureRefused("只有审核通过的通报才能发布公开，请先在审核页审核通过。", "not_accepted")
    if locked.published_at is not None:
        raise DisclosureRefused("这份通报已经发布过；撤下后可恢复公开。", "already_published")
    window = disclosure_window(locked)
    if window is None:
        raise DisclosureRefused("通报未载明公开期限，请先设定公开期限再发布。", "no_window")
    now = timezone.now()
    Notice.objects.filter(pk=locked.pk).update(published_at=now, published_by=user, unpublished=False)
    DisclosureChange.objects.create(notice=locked, kind=DisclosureChange.Kind.PUBLISHED, new_start=window[0],
                                    new_end=window[1], reason=clean_input(reason).strip(), changed_by=user)
    record(locked, field="published_at", old="", new=f"{window[0]} 至 {window[1]}", actor=user,
           reason=clean_input(reason).strip() or "发布公开")
    locked.refresh_from_db()
    return locked


def _set_unpublished(*, notice: Notice, user, unpublished: bool, reason: str) -> Notice:
    _require_reviewer(user)
    if not unpublished and not (notice.is_accepted and notice.published_at):
        raise DisclosureRefused("这份通报尚未发布，请先审核通过并发布。", "not_published")
    touched = Notice.objects.filter(pk=notice.pk, unpublished=not unpublished).update(unpublished=unpublished)
    if touched != 1:
        raise DisclosureRefused("这份通报已经撤下公开。" if unpublished else "这份通报并未撤下。", "no_change")
    DisclosureChange.objects.create(
        notice_id=notice.pk, reason=clean_input(reason).strip(), changed_by=user,
        kind=DisclosureChange.Kind.UNPUBLISHED if unpublished else DisclosureChange.Kind.REPUBLISHED,
    )
    notice.refresh_from_db(fields=["unpublished"])
    return notice


@transaction.atomic
def notice_unpublish(*, notice: Notice, user, reason: str = "") -> Notice:
    return _set_unpublished(notice=notice, user=user, unpublished=True, reason=reason)


@transaction.atomic
def notice_republish(*, notice: Notice, user, reason: str = "") -> Notice:
    return _set_unpublished(notice=notice, user=user, unpublished=False, reason=reason)
