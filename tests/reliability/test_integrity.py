import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from notices.integrity import notice_files_verify
from notices.models import Notice

pytestmark = pytest.mark.django_db


def _stored_notice(data: bytes) -> Notice:
    notice = Notice(original_name="n.txt", sha256=hashlib.sha256(data).hexdigest(), format="txt", size=len(data))
    notice.file.save("n.txt", ContentFile(data), save=False)
    notice.save()
    return notice


def test_verify_files_passes_when_every_original_matches_its_hash(capsys):
    _stored_notice("巡察整改进展情况的通报".encode())
    _stored_notice(b"second")
    call_command("verify_files")
    assert "全部 2 个原始文件" in capsys.readouterr().out


def test_verify_files_reports_an_altered_original():
    notice = _stored_notice(b"original bytes")
    with open(notice.file.path, "wb") as handle:
        handle.write(b"tampered")
    assert [(p.notice_id, p.problem) for p in notice_files_verify()] == [(notice.id, "mismatch")]
    with pytest.raises(CommandError, match="1/1"):
        call_command("verify_files")


def test_verify_files_reports_a_missing_original():
    notice = _stored_notice(b"will vanish")
    notice.file.storage.delete(notice.file.name)
    assert [p.problem for p in notice_files_verify()] == ["missing"]
