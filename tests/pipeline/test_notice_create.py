"""Storing an upload: bytes and sha256 first, one notice per file even when two arrive at once."""
import hashlib
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from notices import services
from notices.models import Notice

pytestmark = pytest.mark.django_db


def test_the_original_bytes_who_and_when_are_stored_before_the_parse_is_enqueued(
        hospital_a_clerk, hospital_a, monkeypatch, django_capture_on_commit_callbacks):
    enqueued = []
    monkeypatch.setattr(services, "notice_enqueue_parse", lambda **kw: enqueued.append(kw["notice_id"]))
    data = "通报正文".encode("gb18030")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notice, created = services.notice_create(data=data, filename="../../etc/通报.txt",
                                                 uploaded_by=hospital_a_clerk, institution=None)
    assert created and enqueued == []  # nothing is sent before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert enqueued == [notice.pk]
    stored = Notice.objects.get()
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.file.read() == data
    assert stored.original_name == "通报.txt" and stored.file.name.startswith("notices/")
    assert (stored.uploaded_by, stored.institution, stored.state) == (hospital_a_clerk, hospital_a, "queued")


def test_when_two_uploads_of_one_file_race_the_loser_gets_the_winners_notice(hospital_a_clerk, monkeypatch):
    winner, _ = services.notice_create(data=b"same bytes", filename="a.txt", uploaded_by=hospital_a_clerk)
    monkeypatch.setattr(services, "_existing", lambda *args: None)  # both passed the check before either saved
    loser, created = services.notice_create(data=b"same bytes", filename="b.txt", uploaded_by=hospital_a_clerk)
    assert (loser.pk, created) == (winner.pk, False)
    assert Notice.objects.count() == 1
    folder = winner.file.name.rsplit("/", 1)[0]
    copies = [name for name in winner.file.storage.listdir(folder)[1] if name.startswith(winner.sha256)]
    assert copies == [winner.file.name.rsplit("/", 1)[1]]  # the loser's copy is not left behind


def test_a_clerk_cannot_store_a_notice_for_another_institution(hospital_a_clerk, hospital_b):
    with pytest.raises(PermissionDenied):
        services.notice_create(data=b"x", filename="a.txt", uploaded_by=hospital_a_clerk, institution=hospital_b)
    assert not Notice.objects.exists()


@pytest.mark.parametrize("name, size, message", [
    ("a.exe", 10, "格式不受支持"), ("a", 10, "格式不受支持"), ("a.txt", 0, "空文件"),
    ("a.pdf", 20 * 1024 * 1024 + 1, "超过了每个文件 20 MB 的上限"),
])
def test_uploads_are_checked_for_format_and_size(name, size, message):
    with pytest.raises(ValidationError) as excinfo:
        services.notice_validate_upload(filename=name, size=size)
    assert message in excinfo.value.messages[0]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_uploads_of_one_file_on_postgresql_leave_one_notice(require_postgres, hospital_a_clerk,
                                                                        monkeypatch):
    from django.db import connection

    monkeypatch.setattr(services, "notice_enqueue_parse", lambda **kw: None)
    barrier, results = threading.Barrier(4), []

    def upload(i):
        try:
            barrier.wait()
            results.append(services.notice_create(data=b"one notice", filename=f"{i}.txt",
                                                  uploaded_by=hospital_a_clerk))
        finally:
            connection.close()

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(results) == 4
    assert len({notice.pk for notice, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert Notice.objects.count() == 1
