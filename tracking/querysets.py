"""Reads, so views read like sentences: ``FeedbackIssue.objects.visible_to(u).open()``."""
import datetime as dt

from django.db import models
from django.utils import timezone

from .roles import clerk_institution_id, is_reviewer


def _local_today() -> dt.date:
    return timezone.localdate()


class _InstitutionScoped(models.QuerySet):
    institution_path = "institution"

    def visible_to(self, user):
        """Everything for staff; a clerk's own institution only; nothing for anyone else."""
        if is_reviewer(user):
            return self
        institution_id = clerk_institution_id(user)
        if institution_id is None:
            return self.none()
        return self.filter(**{f"{self.institution_path}_id": institution_id})


class InstitutionQuerySet(_InstitutionScoped):
    def visible_to(self, user):
        if is_reviewer(user):
            return self
        institution_id = clerk_institution_id(user)
        return self.filter(pk=institution_id) if institution_id else self.none()


class InspectionQuerySet(_InstitutionScoped):
    pass


# 整改 supervision colours a deadline within this many days as due soon (临期, yellow).
# The default; ``due_soon_days()`` reads the setting ``RECTIFY_DUE_SOON_DAYS``.
DUE_SOON_DAYS = 20


def due_soon_days() -> int:
    from django.conf import settings

    return getattr(settings, "RECTIFY_DUE_SOON_DAYS", DUE_SOON_DAYS)

# Open: reopened by staff, or neither verified by staff nor claimed completed by the notice.
# One definition for the queryset and for the aggregate counts in tracking.selectors.
OPEN_ISSUE = models.Q(verification="reopened") | (
    ~models.Q(verification="verified") & ~models.Q(status="completed")
)


class FeedbackIssueQuerySet(_InstitutionScoped):
    institution_path = "inspection__institution"

    def open(self):
        """Not completed by the notice's own account, or reopened by staff."""
        return self.filter(OPEN_ISSUE)

    def overdue(self, today: dt.date | None = None):
        return self.open().filter(due_on__lt=today or _local_today())

    def due_soon(self, days: int | None = None, today: dt.date | None = None):
        today = today or _local_today()
        days = due_soon_days() if days is None else days
        return self.open().filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=days))

    def on_track(self, today: dt.date | None = None):
        """Open with a deadline beyond the due-soon window: green."""
        today = today or _local_today()
        return self.open().filter(due_on__gt=today + dt.timedelta(days=due_soon_days()))

    def without_deadline(self):
        return self.open().filter(due_on__isnull=True)

    def closed(self):
        return self.exclude(OPEN_ISSUE)

    def with_warning(self, state: str, today: dt.date | None = None):
        """Issues in one 预警 state: overdue / soon / ok / none / done."""
        return {
            "overdue": lambda: self.overdue(today),
            "soon": lambda: self.due_soon(today=today),
            "ok": lambda: self.on_track(today),
            "none": self.without_deadline,
            "done": self.closed,
        }[state]()


class ProgressReportQuerySet(_InstitutionScoped):
    institution_path = "issue__inspection__institution"

    def pending(self):
        """The 待核查 queue, oldest first."""
        return self.filter(state="pending").order_by("created_at", "id")


class EvidenceQuerySet(_InstitutionScoped):
    institution_path = "issue__inspection__institution"
