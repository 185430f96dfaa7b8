"""``reparse_notices``, the admin actions and ``setup_demo``."""
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from notices.models import Notice
from tracking.models import InstitutionMember

from .conftest import issue, notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_notices(fake_parser, upload, hospital_a_clerk):
    fake_parser.results["ok.txt"] = notice([issue(1, "理论学习不深入")])
    fake_parser.results["old.txt"] = notice([issue(2, "财务管理不规范")], feedback=None)
    fake_parser.results["bad.txt"] = ValueError("boom")
    ok, old, bad = (upload(hospital_a_clerk, name) for name in ("ok.txt", "old.txt", "bad.txt"))
    Notice.objects.filter(pk=old.pk).update(parser_version="0.0-old")
    return ok, old, bad


def _attempts():
    return dict(Notice.objects.values_list("original_name", "attempts"))


@pytest.mark.parametrize("flag, reparsed", [
    ("--failed", {"bad.txt"}), ("--outdated", {"old.txt"}), ("--all", {"ok.txt", "old.txt", "bad.txt"}),
])
def test_reparse_notices_queues_the_chosen_notices_through_the_task(
        three_notices, flag, reparsed, django_capture_on_commit_callbacks, monkeypatch):
    from notices.management.commands import reparse_notices

    monkeypatch.setattr(reparse_notices, "PARSER_VERSION", "test-1")  # the fake parser's version is current
    before = _attempts()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reparse_notices", flag)
    after = _attempts()
    assert {name for name in after if after[name] > before[name]} == reparsed


def test_reparse_notices_needs_a_choice():
    with pytest.raises(CommandError):
        call_command("reparse_notices")


def test_the_admin_action_reparses_and_withdraws(three_notices, login, staff, django_capture_on_commit_callbacks):
    staff.is_superuser = True
    staff.save()
    ok, old, bad = three_notices
    client = login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/admin/notices/notice/", {"action": "reparse_selected", "_selected_action": [bad.pk]})
    assert _attempts()["bad.txt"] == 2
    client.post("/admin/notices/notice/", {"action": "withdraw_selected", "_selected_action": [ok.pk]})
    ok.refresh_from_db()
    assert ok.is_withdrawn and ok.withdrawn_by == staff


@pytest.mark.django_db(transaction=True)  # committed uploads, so the parse runs as it does under `make run`
def test_setup_demo_creates_accounts_imports_samples_and_can_run_twice(samples, capsys):
    call_command("setup_demo")
    first = capsys.readouterr().out
    call_command("setup_demo")

    assert Notice.objects.count() == len(samples)
    assert User.objects.get(username="demo_staff").is_staff
    assert "demo_staff / " in first and "已导入" in first
    parsed = Notice.objects.filter(state="parsed")
    assert parsed.count() == len(samples)
    assert InstitutionMember.objects.count() == len({n.institution_id for n in parsed})
    assert f"clerk{len(samples)} / " in first
    assert User.objects.get(username="demo_staff").check_password(first.split("demo_staff / ")[1].split("（")[0])


@pytest.mark.django_db(transaction=True)
def test_setup_demo_accepts_the_samples_visibly_and_publishes_one_for_today(samples, client):
    from auditlog.models import LogEntry

    from disclosure.models import DisclosureChange
    from notices.management.commands.setup_demo import DEMO_NOTE
    from tracking.models import FeedbackIssue

    call_command("setup_demo")
    call_command("setup_demo")  # a second run neither re-accepts nor publishes another

    staff = User.objects.get(username="demo_staff")
    assert set(Notice.objects.values_list("review_state", flat=True)) == {"accepted"}
    for notice in Notice.objects.all():
        decision = LogEntry.objects.get(object_id=notice.pk, additional_data__reason=DEMO_NOTE)
        assert decision.actor == staff and decision.changes["review_state"] == ["待审核", "已通过"]
    assert FeedbackIssue.objects.exists()
    published = Notice.objects.filter(published_at__isnull=False)
    assert published.count() == 1 and published.get().published_by == staff
    assert {c.kind for c in DisclosureChange.objects.all()} == {"window_set", "published"}
    assert all("演示" in c.reason for c in DisclosureChange.objects.all())
    assert "正在公示（1）" in client.get("/public/").content.decode()
    assert "正在公示（0）" not in client.get("/public/").content.decode()


def test_setup_demo_refuses_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("setup_demo")
    assert not User.objects.exists()
