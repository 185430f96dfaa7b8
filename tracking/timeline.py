"""One issue's history as one timeline: status changes, progress steps, parse corrections and audit entries, each once.

The three sources record different things by construction (see
``tracking.audit``): ``StatusChange`` holds claimed-status changes from
parses and verification by staff; ``IssueEvent`` holds the progress
workflow; the audit log holds hand edits of the ledger fields (and any
admin edit).  An audit entry that only repeats a verification already
recorded as a ``StatusChange`` at the same moment is dropped.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from .models import FeedbackIssue, IssueEvent, RectificationStatus, StatusChange, Verification

_FIELD_LABELS = {f.name: str(f.verbose_name) for f in FeedbackIssue._meta.get_fields() if hasattr(f, "verbose_name")}
_VALUE_LABELS = {"verification": dict(Verification.choices), "status": dict(RectificationStatus.choices)}


@dataclasses.dataclass
class Entry:
    at: dt.datetime
    kind: str  # css hook: claimed / verification / progress / signoff_* / ledger
    label: str
    actor: str
    text: str = ""
    note: str = ""
    report: object = None
    fields: frozenset = frozenset()  # for audit entries: which fields changed


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _value(field: str, value) -> str:
    if value in (None, "", "None"):
        return "（空）"
    return _VALUE_LABELS.get(field, {}).get(value, str(value))


def _audit_entries(issue) -> list[Entry]:
    content_type = ContentType.objects.get_for_model(FeedbackIssue)
    entries = []
    rows = LogEntry.objects.filter(content_type=content_type, object_pk=str(issue.pk)).select_related("actor")
    for row in rows.order_by("timestamp", "pk"):
        changes = row.changes_dict if hasattr(row, "changes_dict") else (row.changes or {})
        if not changes:
            continue
        parts = [f"{_FIELD_LABELS.get(field, field)}：{_value(field, old)} → {_value(field, new)}"
                 for field, (old, new) in changes.items()]
        entries.append(Entry(at=row.timestamp, kind="ledger", label="修改台账", actor=_name(row.actor) or "系统",
                             text="；".join(parts), fields=frozenset(changes)))
    return entries


def issue_timeline(issue) -> list[Entry]:
    """Oldest first; reads ``status_changes`` and ``events`` prefetched when the caller did."""
    entries: list[Entry] = []
    verification_moments = set()
    for change in issue.status_changes.all():
        if change.kind == StatusChange.Kind.VERIFICATION:
            verification_moments.add(change.changed_at.replace(microsecond=0))
        source = _name(change.changed_by) or ("通报解析" if change.notice_id else "系统")
        entries.append(Entry(at=change.changed_at, kind=change.kind, label=change.get_kind_display(), actor=source,
                             text=f"{change.old_label} → {change.new_label}", note=change.reason))
    for event in issue.events.all():
        entries.append(Entry(at=event.at, kind=event.kind, label=event.get_kind_display(), actor=_name(event.actor),
                             note=event.note, report=event.report))
    for correction in issue.corrections.all():  # staff corrections of a parse (review app), revoked ones too
        revoked = f"（{_name(correction.revoked_by)}已撤销：{correction.revoke_reason}）" if correction.revoked_at else ""
        entries.append(Entry(at=correction.created_at, kind="correction", label="解析更正",
                             actor=_name(correction.created_by) or "—", text=correction.summary + revoked,
                             note=correction.reason))
    for entry in _audit_entries(issue):
        repeats_verification = entry.fields <= {"verification", "verification_note"} and (
            entry.at.replace(microsecond=0) in verification_moments)
        if not repeats_verification:
            entries.append(entry)
    return sorted(entries, key=lambda e: e.at)
