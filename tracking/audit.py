"""What django-auditlog records for the tracking models.

``FeedbackIssue`` is registered for the fields people set by hand (the
ledger fields and verification) only: parses write the other fields in bulk
and leave their own history (``IssueStatement``, ``StatusChange``).  Its
creation is not logged at all: every issue is created by a parse, and an
entry per created issue would only slow ingest and bury the hand edits.  Verification by
the services is a conditional ``update()``, recorded as a ``StatusChange``
row, so it never appears twice; an edit in the admin is caught here.
"""
from auditlog.receivers import log_create
from auditlog.registry import auditlog
from django.db.models.signals import post_save

LEDGER_AUDIT_FIELDS = ["responsible_leader", "responsible_department", "responsible_person", "due_on_override",
                       "measures_override"]
VERIFICATION_AUDIT_FIELDS = ["verification", "verification_note"]


def register() -> None:
    from .models import Evidence, FeedbackIssue, Institution, InstitutionMember, IssueEvent, ProgressReport

    auditlog.register(FeedbackIssue, include_fields=LEDGER_AUDIT_FIELDS + VERIFICATION_AUDIT_FIELDS)
    post_save.disconnect(sender=FeedbackIssue, dispatch_uid=auditlog._dispatch_uid(post_save, log_create))
    auditlog.register(ProgressReport, include_fields=["issue", "kind", "state", "text", "author", "decided_by",
                                                      "decided_at", "decision_note"])
    auditlog.register(Evidence, include_fields=["report", "issue", "original_name", "extension", "size",
                                                "uploaded_by"])
    auditlog.register(IssueEvent, include_fields=["issue", "report", "kind", "actor", "note"])
    auditlog.register(Institution, include_fields=["name", "region", "parent_body", "aliases"])
    auditlog.register(InstitutionMember, include_fields=["user", "institution"])
