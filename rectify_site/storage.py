"""Where originals and evidence files are written: whole files or nothing.

Django's ``FileSystemStorage`` leaves whatever it had written when a write
fails half-way (a full disk, a quota, an I/O error), and the half file then
sits under a name the next upload cannot take.  This storage reserves the
name the same way (``O_EXCL``, a new name if taken), writes and syncs the
bytes, and on any error removes the file it created before re-raising — so
the caller sees the ``OSError`` (``errno.ENOSPC`` for a full disk) and the
disk holds nothing of the failed upload.
"""
import os
from contextlib import suppress

from django.core.files.storage import FileSystemStorage
from django.core.files.utils import validate_file_name
from django.utils._os import safe_makedirs

_OPEN_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


class SafeFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        validate_file_name(name, allow_relative_path=True)
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        if self.directory_permissions_mode is not None:
            safe_makedirs(directory, self.directory_permissions_mode, exist_ok=True)
        else:
            os.makedirs(directory, exist_ok=True)
        while True:
            try:
                fd = os.open(full_path, _OPEN_FLAGS, 0o666)
                break
            except FileExistsError:
                name = self.get_available_name(name)
                full_path = self.path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in content.chunks():
                    self._write(out, chunk.encode() if isinstance(chunk, str) else chunk)
                out.flush()
                # A full disk may only show at flush or sync (delayed allocation, network mounts).
                os.fsync(out.fileno())
            if self.file_permissions_mode is not None:
                os.chmod(full_path, self.file_permissions_mode)
        except BaseException:
            with suppress(FileNotFoundError):
                os.unlink(full_path)
            raise
        name = os.path.relpath(full_path, self.location)
        self._ensure_location_group_id(full_path)
        return str(name).replace("\\", "/")

    def _write(self, out, chunk: bytes) -> None:
        out.write(chunk)
