"""``accept(notice)``: what a reviewer does before a parsed notice counts anywhere.

Tests that need a notice in the ledger (overview, institution page, API
figures, public pages) accept it first, as staff would; pass ``by`` to name
the reviewer, otherwise one is made.  ``publish(notice)`` does the same for
the public pages.
"""
from tests.conftest import _make_user


def reviewer():
    from django.contrib.auth.models import User

    from tracking.roles import STAFF_GROUP

    existing = User.objects.filter(username="reviewer").first()
    return existing or _make_user("reviewer", group=STAFF_GROUP, is_staff=True)


def accept(notice, by=None, **kwargs):
    from review.services import notice_accept

    notice_accept(notice=notice, user=by or reviewer(), **kwargs)
    notice.refresh_from_db()
    return notice


def publish(notice, by=None, *, start=None, end=None):
    """Accept (if needed) and publish ``notice``, with the window ``start``–``end`` when given."""
    from disclosure.services import notice_publish, notice_set_disclosure_window

    by = by or reviewer()
    if not notice.is_accepted:
        accept(notice, by)
    if start is not None:
        notice_set_disclosure_window(notice=notice, start=start, end=end, user=by)
    notice_publish(notice=notice, user=by)
    notice.refresh_from_db()
    return notice
