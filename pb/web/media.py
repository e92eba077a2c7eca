"""Uploaded pictures on disk: written once under the hash of their content, served forever-cached.

Files live in PB_MEDIA_DIR (default .pb/media). A replaced or removed picture's files are deleted a
day later by the app's daily clean (or `pb clean-media`), once no row names them. A name is 64 hex
digits and ".jpg", nothing else, so a request can never name a file outside that directory. GET /media/{name} is mounted at the
root (pictures are the same in both languages)."""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import time
from pathlib import Path

from litestar import get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Response

from pb.config import get_settings
from pb.registry import every, extensions

log = logging.getLogger("pb.web.media")
NAME = re.compile(r"[0-9a-f]{64}\.jpg")
CACHE = "public, max-age=31536000, immutable"
MIN_AGE_SECONDS = 24 * 3600  # an unused file is kept a day before it is deleted
CLEAN_EVERY_SECONDS = 24 * 3600


def media_dir() -> Path:
    return get_settings().media_dir


def valid_name(name: str) -> bool:
    return NAME.fullmatch(name) is not None


def store(data: bytes, suffix: str = ".jpg") -> str:
    """Write the bytes under the hash of their content (atomically: a temporary file, then a
    rename) and return the file's name. Writing the same picture twice keeps one file."""
    name = hashlib.sha256(data).hexdigest() + suffix
    folder = media_dir()
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if target.exists():
        # Fresh again: the daily clean must not take a file a new row is about to name.
        os.utime(target)
        return name
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return name


def read(name: str) -> bytes | None:
    if not valid_name(name):
        return None
    try:
        return (media_dir() / name).read_bytes()
    except OSError:
        return None


@get("/media/{name:str}", name="media.picture", include_in_schema=False, sync_to_thread=False)
def picture(name: FromPath[str]) -> Response[bytes]:
    data = read(name)
    if data is None:
        raise NotFoundException()
    return Response(
        content=data,
        media_type="image/jpeg",
        headers={"Cache-Control": CACHE, "X-Content-Type-Options": "nosniff"},
    )


async def names_in_use() -> set[str]:
    """Every picture file some row still names: each capability with pictures offers its own at the
    extension point "media.in_use"."""
    used: set[str] = set()
    for names in extensions("media.in_use"):
        used |= await names()
    return used


def unused_files(in_use: set[str], now: float, min_age_seconds: float) -> list[Path]:
    """Picture files no row names, written more than min_age_seconds ago (a picture just stored is
    named by its row a moment later, in the request that stored it)."""
    folder = media_dir()
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        if valid_name(path.name) and path.name not in in_use:
            try:
                if now - path.stat().st_mtime >= min_age_seconds:
                    found.append(path)
            except OSError:
                continue
    return found


async def remove_unused(min_age_seconds: float = MIN_AGE_SECONDS) -> int:
    """Delete the picture files that a replaced or removed picture left behind; how many."""
    in_use = await names_in_use()
    removed = 0
    for path in unused_files(in_use, time.time(), min_age_seconds):
        path.unlink(missing_ok=True)
        removed += 1
    if removed:
        log.info("removed %d unused picture files", removed)
    return removed


async def run_media_cleaning(settings: object, stop: object) -> None:
    """Background task: once a day, the files of replaced and removed pictures are deleted."""
    await every(CLEAN_EVERY_SECONDS, remove_unused, stop, log, "removing unused pictures")
