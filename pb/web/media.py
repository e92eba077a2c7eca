"""Uploaded pictures on disk: written once under the hash of their content, served forever-cached.

Files live in PB_MEDIA_DIR (default .pb/media). A name is 64 hex digits and ".jpg", nothing else,
so a request can never name a file outside that directory. GET /media/{name} is mounted at the
root (pictures are the same in both languages)."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from litestar import get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Response

from pb.config import get_settings

NAME = re.compile(r"[0-9a-f]{64}\.jpg")
CACHE = "public, max-age=31536000, immutable"


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
