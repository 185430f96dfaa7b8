from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "通报审核"

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Correction

        # Corrections are audited field by field (creation, revocation, admin edits).  Review decisions
        # on a notice are conditional updates, which send no signals: review.history writes those entries.
        auditlog.register(Correction)
