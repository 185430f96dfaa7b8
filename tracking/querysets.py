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


# 整改 supervision colours a deadline within this many days as due soon.
DUE_SOON_DAYS = 20

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

    def due_soon(self, days: int = DUE_SOON_DAYS, today: dt.date | None = None):
        today = today or _local_today()
        return self.open().filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=days))
