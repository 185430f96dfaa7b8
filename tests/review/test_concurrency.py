"""Two reviewers verifying the same issue at the same moment, on PostgreSQL with real transactions."""
import threading

import pytest
from django.db import connection

from tests import factories
from tracking import services
from tracking.models import FeedbackIssue, StatusChange


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_racing_reviewers_change_the_issue_once(require_postgres, role_groups, staff, hospital_a, django_user_model):
    from django.contrib.auth.models import Group

    from tracking.roles import STAFF_GROUP

    second = django_user_model.objects.create_user("staff2", password="x")
    second.groups.add(Group.objects.get(name=STAFF_GROUP))
    inspection = factories.hospital_with_issues(institution_=hospital_a, n_issues=1, statuses=("completed",))
    issue_id = inspection.issues.get().pk
    start = threading.Barrier(2)
    outcomes = []

    def review(user, note):
        try:
            issue = FeedbackIssue.objects.get(pk=issue_id)  # both read "unverified" before either writes
            start.wait(timeout=10)
            services.issue_verify(issue=issue, user=user, note=note)
            outcomes.append("verified")
        except services.IssueChanged:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=review, args=(user, f"核查人{n}")) for n, user in enumerate((staff, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refused", "verified"]
    rows = list(StatusChange.objects.filter(issue_id=issue_id, kind="verification").values_list("old_value",
                                                                                                 "new_value"))
    assert rows == [("unverified", "verified")]
    issue = FeedbackIssue.objects.get(pk=issue_id)
    winner = StatusChange.objects.get(issue_id=issue_id, kind="verification")
    assert issue.verified_by_id == winner.changed_by_id and issue.verification_note == winner.reason
