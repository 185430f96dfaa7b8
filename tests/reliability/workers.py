"""Celery worker processes a fault test starts, kills and replaces itself.

The session ``celery_worker`` fixture is shared by many tests, so a test
that kills a whole worker starts its own on a queue of its own.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def database_url(settings_dict) -> str:
    user = f"{settings_dict['USER']}@" if settings_dict.get("USER") else ""
    host, port = settings_dict.get("HOST") or "127.0.0.1", settings_dict.get("PORT") or 5432
    return f"postgres://{user}{host}:{port}/{settings_dict['NAME']}"


def start_worker(*, queue: str, log: Path, db, redis_url: str, visibility_timeout: int | None = None,
                 name: str = "fault", env: dict | None = None) -> subprocess.Popen:
    """A worker consuming ``queue``, which is also its default queue: jobs it enqueues (the sweep's) stay on it.

    ``env`` adds settings for this worker only (e.g. a shorter sweep threshold).
    """
    from django.conf import settings

    env = {**os.environ, "DATABASE_URL": database_url(db), "REDIS_URL": redis_url, "CELERY_EAGER": "0",
           "MEDIA_ROOT": str(settings.MEDIA_ROOT), "CELERY_QUEUE": queue, **(env or {})}
    if visibility_timeout is not None:
        env["CELERY_VISIBILITY_TIMEOUT"] = str(visibility_timeout)
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "rectify_site", "worker", "--pool=prefork", "--concurrency=1",
             "--loglevel=INFO", "-Q", queue, "-n", f"{name}-{os.getpid()}-{time.monotonic_ns()}@%h"],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    proc.log_path = log
    return proc


def wait_ready(proc: subprocess.Popen, since: int = 0, timeout: float = 90) -> None:
    """Wait for the worker's 'ready.' line written after byte ``since`` of its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"worker exited: {proc.log_path.read_text(errors='replace')[-2000:]}")
        if b"ready." in proc.log_path.read_bytes()[since:]:
            return
        time.sleep(0.2)
    raise AssertionError(f"worker not ready: {proc.log_path.read_text(errors='replace')[-2000:]}")


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool children at once: no warm shutdown, no chance to ack or requeue."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=20)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        kill_group(proc)


@contextmanager
def running_worker(**kwargs):
    proc = start_worker(**kwargs)
    try:
        wait_ready(proc)
        yield proc
    finally:
        stop(proc)


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (the prefork pool processes of a worker), read from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses; fields after the last ')' are fixed.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            found.append(int(entry.name))
    return found


def group_rss_mb(pid: int) -> float:
    """Resident memory of the worker ``pid`` and its pool processes, in MB."""
    total = 0
    for member in [pid, *children(pid)]:
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def address_space_limit(pid: int) -> int | None:
    """The soft ``RLIMIT_AS`` of process ``pid`` in bytes (``None``: unlimited)."""
    for line in Path(f"/proc/{pid}/limits").read_text().splitlines():
        if line.startswith("Max address space"):
            soft = line.split()[3]
            return None if soft == "unlimited" else int(soft)
    return None


# --- files whose parse lasts long enough to be caught mid-way (OCR: seconds per page) -------------------


def scanned_notice_page() -> bytes:
    """Page one of a sample notice printed and scanned (a PDF of one page image): OCR parses it in ~10 s."""
    from tests.extraction import builders
    from tests.extraction.support import SAMPLE_PATHS, sample_text

    pages = builders.print_pages(builders.printed(sample_text(SAMPLE_PATHS[1])))
    return builders.images_to_pdf(pages[:1])


def unreadable_photo() -> bytes:
    """A photo of text-like blocks that OCR works on for seconds and then finds no text in."""
    import io
    import random

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1800, 2400), "white")
    draw = ImageDraw.Draw(image)
    rnd = random.Random(1)
    for y in range(40, 2360, 36):
        x = 60
        while x < 1700:
            width = rnd.randint(15, 30)
            draw.rectangle([x, y, x + width, y + 22], fill="black")
            x += width + rnd.randint(6, 14)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
