"""What waits for each user: the in-app to-do list and the daily digest e-mail.

A clerk is reminded of the hospital's overdue and due-soon problems and of
sign-off requests staff returned; staff of the requests waiting for them
(待核查) and of the hospitals with overdue problems.  ``reminders_send_digests``
runs once a day from Celery beat; a ``ReminderDigest`` row per user and day,
created in the same transaction as the send, makes a second run that day (or
a second beat) send nothing.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from .models import FeedbackIssue, Institution, ProgressReport, ReminderDigest, SignOff
from .roles import clerk_institution_id, is_reviewer

logger = logging.getLogger(__name__)
LIST_LIMIT = 10


@dataclasses.dataclass
class TodoItem:
    kind: str  # overdue / soon / returned / pending / hospitals
    title: str
    count: int
    links: list[tuple[str, str]]  # (text, url)
    url: str


def _issue_links(issues) -> list[tuple[str, str]]:
    return [(f"{i.number}. {i.title[:40]}", reverse("tracking:issue", args=[i.pk])) for i in issues[:LIST_LIMIT]]


def todo_items(user, today: dt.date | None = None) -> list[TodoItem]:
    today = today or timezone.localdate()
    if is_reviewer(user):
        return _staff_items(user, today)
    institution_id = clerk_institution_id(user)
    return _clerk_items(institution_id, today) if institution_id else []


def _clerk_items(institution_id: int, today: dt.date) -> list[TodoItem]:
    issues = FeedbackIssue.objects.filter(inspection__institution_id=institution_id).order_by("due_on", "pk")
    workbench = reverse("tracking:institution", args=[institution_id])
    items = []
    overdue = list(issues.overdue(today).only("pk", "number", "title")[:LIST_LIMIT + 1])
    if overdue:
        items.append(TodoItem("overdue", "已逾期的问题", issues.overdue(today).count(), _issue_links(overdue),
                              f"{workbench}?warning=overdue"))
    soon = list(issues.due_soon(today=today).only("pk", "number", "title")[:LIST_LIMIT + 1])
    if soon:
        items.append(TodoItem("soon", "临期（即将到期）的问题", issues.due_soon(today=today).count(), _issue_links(soon),
                              f"{workbench}?warning=soon"))
    returned = list(issues.filter(signoff=SignOff.RETURNED).only("pk", "number", "title")[:LIST_LIMIT + 1])
    if returned:
        items.append(TodoItem("returned", "被退回的销号申请（请按退回原因补充后重新提交）",
                              issues.filter(signoff=SignOff.RETURNED).count(), _issue_links(returned),
                              f"{workbench}?signoff=returned"))
    return items


def _staff_items(user, today: dt.date) -> list[TodoItem]:
    items = []
    pending = ProgressReport.objects.visible_to(user).pending().select_related("issue__inspection__institution")
    waiting = list(pending[:LIST_LIMIT])
    if waiting:
        links = [(f"{r.issue.inspection.institution.name}：{r.issue.number}. {r.issue.title[:30]}"
                  f"（{timezone.localtime(r.created_at):%m-%d}提交）", reverse("tracking:issue", args=[r.issue_id]))
                 for r in waiting]
        items.append(TodoItem("pending", "待核查的销号申请", pending.count(), links, reverse("tracking:signoffs")))
    overdue = FeedbackIssue.objects.visible_to(user).overdue(today).order_by()
    by_hospital = overdue.values("inspection__institution").annotate(n=Count("pk"))
    top = list(by_hospital.order_by("-n", "inspection__institution")[:LIST_LIMIT])
    if top:
        names = dict(Institution.objects.filter(pk__in=[r["inspection__institution"] for r in top])
                     .values_list("pk", "name"))
        links = [(f"{names[r['inspection__institution']]}（逾期{r['n']}项）",
                  reverse("tracking:institution", args=[r["inspection__institution"]]) + "?warning=overdue")
                 for r in top]
        items.append(TodoItem("hospitals", "有逾期问题的单位", by_hospital.count(), links,
                              reverse("tracking:overview") + "?status=overdue&ordering=-overdue"))
    return items


def digest_text(user, items: list[TodoItem], today: dt.date) -> str:
    lines = [f"{user.get_full_name() or user.username}，您好：", "", f"截至{today:%Y年%m月%d日}，整改通中有以下事项需要您处理：", ""]
    for item in items:
        lines.append(f"■ {item.title}：{item.count}项")
        lines += [f"  - {text}  {settings.SITE_URL}{url}" for text, url in item.links]
        if item.count > len(item.links):
            lines.append(f"  ……另有{item.count - len(item.links)}项，见 {settings.SITE_URL}{item.url}")
        lines.append("")
    lines += [f"我的待办：{settings.SITE_URL}{reverse('tracking:todo')}", "", "本邮件由整改通每日自动发送，请勿直接回复。"]
    return "\n".join(lines)


def _recipients():
    """Active users who may be reminded: staff (by permission) and clerks bound to a hospital, with an address."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(Q(is_superuser=True) | Q(membership__isnull=False)
                        | Q(groups__permissions__codename="review_progress")
                        | Q(user_permissions__codename="review_progress")).distinct().order_by("pk")


def reminders_send_digests(*, today: dt.date | None = None) -> int:
    """Send each user with something to do one digest today; returns how many were sent."""
    today = today or timezone.localdate()
    sent = 0
    for user in _recipients():
        if ReminderDigest.objects.filter(user=user, day=today).exists():
            continue
        items = todo_items(user, today)
        if not items:
            continue
        try:
            with transaction.atomic():
                ReminderDigest.objects.create(user=user, day=today, items=sum(i.count for i in items))
                # Sent inside the transaction: a failed send leaves no row, so a later run retries.
                send_mail(f"【整改通】{today:%m月%d日}待办提醒（{sum(i.count for i in items)}项）",
                          digest_text(user, items, today), None, [user.email])
        except IntegrityError:
            continue  # another run sent it meanwhile
        except Exception:
            logger.warning("reminder digest not sent", extra={"user_id": user.pk}, exc_info=True)
            continue
        sent += 1
    logger.info("reminder digests sent", extra={"sent": sent, "day": today.isoformat()})
    return sent
