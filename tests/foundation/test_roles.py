import pytest

from notices.models import Notice
from tracking.models import FeedbackIssue, Inspection, Institution
from tracking.roles import can_upload, clerk_institution_id, is_reviewer

pytestmark = pytest.mark.django_db


def test_staff_review_everything_and_clerks_only_their_own(staff, hospital_a_clerk, hospital_b_clerk, hospital_a,
                                                            hospital_b, outsider):
    inspection_a = Inspection.objects.create(institution=hospital_a, group="第五巡察组")
    inspection_b = Inspection.objects.create(institution=hospital_b, group="市委第三巡察组")
    FeedbackIssue.objects.create(inspection=inspection_a, title="a")
    FeedbackIssue.objects.create(inspection=inspection_b, title="b")

    assert is_reviewer(staff) and not is_reviewer(hospital_a_clerk)
    assert set(Institution.objects.visible_to(staff)) == {hospital_a, hospital_b}
    assert list(Institution.objects.visible_to(hospital_a_clerk)) == [hospital_a]
    assert [i.title for i in FeedbackIssue.objects.visible_to(hospital_b_clerk)] == ["b"]
    assert not FeedbackIssue.objects.visible_to(outsider).exists()
    assert not Notice.objects.visible_to(outsider).exists()


def test_only_staff_and_bound_clerks_may_upload(staff, hospital_a_clerk, outsider, django_user_model):
    assert can_upload(staff) and can_upload(hospital_a_clerk)
    assert not can_upload(outsider)
    assert clerk_institution_id(hospital_a_clerk) == hospital_a_clerk.membership.institution_id


def test_anonymous_sees_nothing_internal():
    from django.contrib.auth.models import AnonymousUser

    assert not Institution.objects.visible_to(AnonymousUser()).exists()
    assert not is_reviewer(AnonymousUser())


def test_open_issues_exclude_claimed_completed_unless_reopened(hospital_a):
    inspection = Inspection.objects.create(institution=hospital_a)
    make = lambda **kw: FeedbackIssue.objects.create(inspection=inspection, title=str(kw), **kw)  # noqa: E731
    done = make(status="completed")
    working = make(status="in_progress")
    reopened = make(status="completed", verification="reopened")
    verified = make(status="in_progress", verification="verified")
    assert set(FeedbackIssue.objects.open()) == {working, reopened}
    assert done not in FeedbackIssue.objects.open() and verified not in FeedbackIssue.objects.open()


@pytest.mark.django_db(transaction=True)
def test_role_groups_survive_a_database_flush():
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from tracking.roles import CLERK_GROUP, STAFF_GROUP

    call_command("flush", "--noinput", verbosity=0)
    staff_group = Group.objects.get(name=STAFF_GROUP)
    assert staff_group.permissions.filter(codename="review_progress").exists()
    assert Group.objects.get(name=CLERK_GROUP).permissions.filter(codename="upload_notice").exists()
