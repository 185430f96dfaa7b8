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


class FeedbackIssueQuerySet(_InstitutionScoped):
    institution_path = "inspection__institution"

    def open(self):
        """Not completed by the notice's own account, or reopened by staff."""
        return self.filter(
            models.Q(verification="reopened") | (~models.Q(verification="verified") & ~models.Q(status="completed"))
        )

    def overdue(self, today: dt.date | None = None):
        return self.open().filter(due_on__lt=today or _local_today())

    def due_soon(self, days: int = 20, today: dt.date | None = None):
        today = today or _local_today()
        return self.open().filter(due_on__gte=today, due_on__lte=today + dt.timedelta(days=days))
