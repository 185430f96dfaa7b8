"""The review trail of a notice: audit entries (django-auditlog) written by the review services.

Decisions are conditional updates, which send no model signals, so each
writes its own entry here: who, when, old and new value, and why.  An entry
without an actor that says ``system`` is the machine's (a parse, the
auto-accept setting).
"""
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from notices.models import Notice, ReviewState

FIELD_LABELS = {
    "review_state": "审核状态",
    "institution": "单位",
    "published_at": "发布公开",
    "unpublished": "撤下公开",
    "withdrawn_at": "撤回",
    "needs_recheck": "需复核",
}


def record(notice: Notice, *, field: str = "review_state", old, new, actor=None, reason: str = "",
           system: bool = False) -> LogEntry:
    return LogEntry.objects.log_create(
        notice, force_log=True, action=LogEntry.Action.UPDATE, actor=None if system else actor,
        # Read, not taken from the per-process cache: a long-lived worker outlives content type rows
        # that a test database flush recreates under new ids.
        content_type=ContentType.objects.get(app_label="notices", model="notice"),
        changes={field: [_text(field, old), _text(field, new)]},
        additional_data={"reason": reason, "system": system},
    )


def _text(field: str, value) -> str:
    if field == "review_state":
        return ReviewState(value or "").label
    return "" if value is None else str(value)


def notice_history(notice: Notice) -> list[dict]:
    """Every audit entry of ``notice``, oldest first, as rows for a table."""
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Notice), object_id=notice.pk
    ).select_related("actor").order_by("timestamp", "id")
    rows = []
    for entry in entries:
        extra = entry.additional_data or {}
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        for field, values in changes.items():
            if field not in FIELD_LABELS or not isinstance(values, list) or len(values) != 2:
                continue
            rows.append({
                "at": entry.timestamp, "field": FIELD_LABELS[field], "old": values[0] or "—", "new": values[1] or "—",
                "actor": entry.actor, "system": bool(extra.get("system")), "reason": extra.get("reason", ""),
            })
    return rows


def acting(user):
    """Audit entries written inside (corrections saved by a service) name ``user`` as their actor.

    The request middleware does this for pages; services also run from
    commands (``setup_demo``) and tests, where no request names anyone.
    """
    from auditlog.context import set_actor

    return set_actor(user)
