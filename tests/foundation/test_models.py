import hashlib

import pytest
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from notices.models import Notice
from tracking.models import FeedbackIssue, Inspection, Institution, StatusChange
from tracking.naming import is_short_form_of, normalize_institution_name

pytestmark = pytest.mark.django_db


def _notice(sha, institution=None):
    notice = Notice(original_name="a.txt", sha256=sha, format="txt", size=3, institution=institution)
    notice.file.save("a.txt", ContentFile(b"abc"), save=False)
    notice.save()
    return notice


def test_one_notice_per_sha256():
    sha = hashlib.sha256(b"abc").hexdigest()
    _notice(sha)
    with pytest.raises(IntegrityError), transaction.atomic():
        _notice(sha)
    assert Notice.objects.count() == 1


def test_one_institution_per_normalised_name():
    Institution.objects.create(name="辽阳市中心医院")
    with pytest.raises(IntegrityError), transaction.atomic():
        Institution.objects.create(name="中共辽阳市 中心医院 委员会")


@pytest.mark.parametrize(
    "printed, key",
    [
        ("中共辽阳市 中心医院 委员会", "辽阳市中心医院"),
        ("辽阳市中心医院党委", "辽阳市中心医院"),
        ("中共敖汉旗中医蒙医医院总支委员会", "敖汉旗中医蒙医医院"),
        ("中共聊城市东昌府区中医院党委", "聊城市东昌府区中医院"),
        ("长沙市中心医院", "长沙市中心医院"),
    ],
)
def test_party_wrapping_and_spaces_are_stripped_from_institution_names(printed, key):
    assert normalize_institution_name(printed) == key


def test_short_form_names_the_hospital_with_the_place_prefix():
    assert is_short_form_of("市中医院", "清远市中医院")
    assert not is_short_form_of("中医院", "清远市中医院")
    assert not is_short_form_of("市中心医院", "清远市中医院")


def test_one_inspection_per_institution_body_group_and_feedback_date():
    hospital = Institution.objects.create(name="清远市中医院")
    fields = dict(institution=hospital, inspecting_body="市委", group="第五巡察组", feedback_on="2024-03-28")
    Inspection.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Inspection.objects.create(**fields)


def test_a_status_change_must_change_something():
    hospital = Institution.objects.create(name="清远市中医院")
    issue = FeedbackIssue.objects.create(inspection=Inspection.objects.create(institution=hospital), title="t")
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusChange.objects.create(issue=issue, kind="claimed", old_value="completed", new_value="completed")


@pytest.mark.parametrize("body, group, label", [
    ("市委", "市委第三巡察组", "市委第三巡察组"),
    ("市委", "第五巡察组", "市委第五巡察组"),
    ("", "第五巡察组", "第五巡察组"),
    ("市委", "", "市委巡察"),
])
def test_inspection_group_label_names_the_body_once(body, group, label):
    assert Inspection(inspecting_body=body, group=group).group_label == label
