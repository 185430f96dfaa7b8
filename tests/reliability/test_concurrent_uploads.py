"""Two identical uploads at the same moment, on PostgreSQL: one notice, one stored file, one parse."""
import hashlib
import threading

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

from notices.models import Notice
from tests.review_support import accept
from tracking.models import IssueStatement

from . import corpus


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_identical_uploads_at_the_same_moment_make_one_notice(role_groups, require_postgres, login, hospital_a_clerk,
                                                                  monkeypatch, settings):
    data = corpus.NOTICE.encode()
    # Both requests must get past the "seen this file before?" check before either saves:
    # each waits at the file write for the other (or gives up after a while, should the code serialise them).
    both_checked = threading.Barrier(2)
    real_save = FileSystemStorage.save

    def save_together(self, name, content, *args, **kwargs):
        try:
            both_checked.wait(timeout=10)
        except threading.BrokenBarrierError:
            pass
        return real_save(self, name, content, *args, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", save_together)
    clients = [login(hospital_a_clerk), login(hospital_a_clerk)]
    responses = [None, None]

    def upload(index):
        try:
            responses[index] = clients[index].post("/api/notices/", {"file": SimpleUploadedFile("通报.txt", data)})
        finally:
            connections.close_all()

    threads = [threading.Thread(target=upload, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(r.status_code for r in responses) == [200, 202]
    assert {r.json()["id"] for r in responses} == {Notice.objects.get().pk}
    notice = Notice.objects.get()
    stored = sorted(p for p in (settings.MEDIA_ROOT / "notices").rglob(f"{notice.sha256}*"))
    assert [p.relative_to(settings.MEDIA_ROOT).as_posix() for p in stored] == [notice.file.name]  # the loser's copy is gone
    with notice.file.open("rb") as fh:
        assert hashlib.sha256(fh.read()).hexdigest() == notice.sha256
    notice.refresh_from_db()
    assert (notice.state, notice.attempts, notice.review_state) == ("parsed", 1, "pending")
    accept(notice)  # one notice to review, and once accepted one set of rows
    assert IssueStatement.objects.filter(notice=notice).count() == 12
