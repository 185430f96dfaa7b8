"""Checks that every stored original is still the file that was uploaded."""
import hashlib
from dataclasses import dataclass

from .models import Notice

_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FileProblem:
    notice_id: int
    path: str
    problem: str  # "missing" or "mismatch"


def file_sha256(field_file) -> str:
    digest = hashlib.sha256()
    with field_file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def notice_files_verify(*, queryset=None):
    """Yield a ``FileProblem`` for each notice whose original is missing or altered.

    Streams the files in chunks so a large archive is checked in constant memory.
    """
    for notice in (queryset or Notice.objects.all()).only("id", "file", "sha256").iterator(chunk_size=500):
        try:
            actual = file_sha256(notice.file)
        except (FileNotFoundError, ValueError):
            yield FileProblem(notice.id, notice.file.name, "missing")
            continue
        if actual != notice.sha256:
            yield FileProblem(notice.id, notice.file.name, "mismatch")
