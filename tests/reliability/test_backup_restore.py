"""The documented backup and restore (docs/RELIABILITY.md), run for real on PostgreSQL."""
import hashlib
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from notices.models import Notice
from tracking.models import FeedbackIssue, Inspection, Institution

REPO = Path(__file__).resolve().parents[2]


def _pg_url(settings_dict, name):
    user = settings_dict.get("USER") or "postgres"
    return f"postgres://{user}@{settings_dict.get('HOST') or '127.0.0.1'}:{settings_dict.get('PORT') or 5432}/{name}"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_database_and_files_restore_into_an_empty_database(require_postgres, tmp_path, settings):
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed")
    hospital = Institution.objects.create(name="清远市中医院")
    inspection = Inspection.objects.create(institution=hospital, inspecting_body="市委", group="第五巡察组")
    for n in range(3):
        FeedbackIssue.objects.create(inspection=inspection, number=str(n + 1), title=f"问题{n + 1}")
    data = "根据市委统一部署……".encode()
    notice = Notice(institution=hospital, original_name="a.txt", sha256=hashlib.sha256(data).hexdigest(),
                    format="txt", size=len(data))
    notice.file.save("a.txt", ContentFile(data), save=False)
    notice.save()

    source = _pg_url(require_postgres, require_postgres["NAME"])
    restored_name = f"rectify_restore_{uuid.uuid4().hex[:8]}"
    dump, media_tar = tmp_path / "db.dump", tmp_path / "media.tar.gz"
    # The backup, exactly as documented.
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), source], check=True)
    subprocess.run(["tar", "-C", str(settings.MEDIA_ROOT), "-czf", str(media_tar), "."], check=True)
    # The restore into an empty database and an empty media directory.
    restored_media = tmp_path / "restored-media"
    restored_media.mkdir()
    admin_url = _pg_url(require_postgres, "postgres")
    subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{restored_name}"'], check=True)
    try:
        restored = _pg_url(require_postgres, restored_name)
        subprocess.run(["pg_restore", "--no-owner", "-d", restored, str(dump)], check=True)
        subprocess.run(["tar", "-C", str(restored_media), "-xzf", str(media_tar)], check=True)
        env = {**os.environ, "DATABASE_URL": restored, "MEDIA_ROOT": str(restored_media)}
        counts = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             "from tracking.models import FeedbackIssue; from notices.models import Notice; "
             "print(FeedbackIssue.objects.count(), Notice.objects.count())"],
            cwd=REPO, env=env, capture_output=True, text=True, check=True)
        assert counts.stdout.split()[-2:] == ["3", "1"]
        check = subprocess.run([sys.executable, "manage.py", "verify_files"], cwd=REPO, env=env,
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        pending = subprocess.run([sys.executable, "manage.py", "migrate", "--check"], cwd=REPO, env=env,
                                 capture_output=True, text=True)
        assert pending.returncode == 0, pending.stdout + pending.stderr
    finally:
        subprocess.run(["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{restored_name}"'], check=False)
