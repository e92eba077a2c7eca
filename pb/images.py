"""Pictures people upload: checked by decoding them (never by their name or stated type), turned the
right way up, stripped of every piece of metadata, and re-encoded.

Pure functions of bytes, importable without the web app. A photo from a phone carries its EXIF
block, often with the GPS position where it was taken; nothing of it survives: the picture is
decoded to pixels and written anew as a JPEG with no EXIF, XMP, ICC profile or comments.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from pb.i18n import N_
from pb.text import clean_field

MAX_BYTES = 10_000_000  # 10 MB upload
MAX_PIXELS = 40_000_000  # 40 megapixels
FULL_SIDE = 1600  # longest side of the picture shown on a page
THUMB_SIDE = 400  # longest side of the thumbnail in lists
ACCEPTED = {"JPEG", "PNG", "WEBP"}
QUALITY = 85

# Pillow refuses (DecompressionBombError) anything above twice this, and warns above it; the warning
# is made an error below, so a picture larger than MAX_PIXELS is never decoded.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


class ImageRefused(ValueError):
    """The upload is not a picture pb accepts; the message (an N_ message id) says why."""


@dataclass(frozen=True)
class Rendition:
    data: bytes  # a JPEG, without metadata
    width: int
    height: int


@dataclass(frozen=True)
class Processed:
    full: Rendition
    thumb: Rendition


NOT_PICTURE = N_("The file must be a JPEG, PNG or WebP picture")
TOO_BIG = N_("The picture must be 10 MB or smaller")
TOO_MANY_PIXELS = N_("The picture is too large: it must be 40 megapixels or fewer")
DAMAGED = N_("The picture could not be read: it may be damaged")
EMPTY = N_("Choose a picture")


def _open(data: bytes) -> Image.Image:
    if not data:
        raise ImageRefused(EMPTY)
    if len(data) > MAX_BYTES:
        raise ImageRefused(TOO_BIG)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED))
            if image.format not in ACCEPTED:
                raise ImageRefused(NOT_PICTURE)
            width, height = image.size
            if width * height > MAX_PIXELS or width < 1 or height < 1:
                raise ImageRefused(TOO_MANY_PIXELS)
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRefused(TOO_MANY_PIXELS) from exc
    except UnidentifiedImageError as exc:
        raise ImageRefused(NOT_PICTURE) from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        if isinstance(exc, ImageRefused):
            raise
        raise ImageRefused(DAMAGED) from exc
    return image


def _encode(image: Image.Image, side: int) -> Rendition:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    # A fresh image of the pixels alone: no info dictionary, no EXIF, XMP, ICC profile or comment.
    clean = Image.new(copy.mode, copy.size)
    clean.paste(copy)
    clean.save(out, format="JPEG", quality=QUALITY, optimize=True, progressive=True)
    return Rendition(out.getvalue(), clean.width, clean.height)


def process(data: bytes) -> Processed:
    """The picture turned the right way up (its EXIF orientation), made at most FULL_SIDE and
    THUMB_SIDE pixels on its longest side, as JPEGs with no metadata. Raises ImageRefused."""
    image = _open(data)
    try:
        upright = ImageOps.exif_transpose(image) or image
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageRefused(DAMAGED) from exc
    if upright.mode in ("RGBA", "LA", "P", "PA"):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        upright = flat
    elif upright.mode != "RGB":
        upright = upright.convert("RGB")
    return Processed(full=_encode(upright, FULL_SIDE), thumb=_encode(upright, THUMB_SIDE))


ALT_MAX = 250


def languages_of(row: dict) -> list[str]:
    """The languages an item (proposal, round, session) is written in, by its title: its picture
    needs alt text in each."""
    return [lang for lang in ("cy", "en") if row.get(f"title_{lang}")] or ["en"]


def validate_alt(form: dict, languages: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """The picture's alt text: required in each language the item has, ALT_MAX characters or fewer.
    Returns (alt_cy and alt_en as kept, errors by field name)."""
    values = {f"alt_{lang}": clean_field(form.get(f"alt_{lang}", "")) for lang in ("cy", "en")}
    errors: dict[str, str] = {}
    for lang in languages:
        text = values[f"alt_{lang}"]
        if not text:
            errors[f"alt_{lang}"] = (
                N_("Describe the picture in Welsh for people who cannot see it")
                if lang == "cy"
                else N_("Describe the picture in English for people who cannot see it")
            )
        elif len(text) > ALT_MAX:
            errors[f"alt_{lang}"] = N_("The description must be 250 characters or fewer")
    for lang in ("cy", "en"):
        if lang not in languages:
            values[f"alt_{lang}"] = ""
    return values, errors


# The columns of a round's or session's row that hold its picture (the proposal's own table uses
# the same names without the prefix).
PICTURE_COLUMNS = ("full", "thumb", "width", "height", "thumb_width", "thumb_height", "alt_en", "alt_cy")


def picture_of(row: dict) -> dict | None:
    """A round's or session's picture in the shape pages use for every picture (full_name,
    thumb_name, width, height, thumb_width, thumb_height, alt_en, alt_cy), or None."""
    if not row.get("picture_full"):
        return None
    picture = {name: row[f"picture_{name}"] for name in PICTURE_COLUMNS}
    picture["full_name"] = picture.pop("full")
    picture["thumb_name"] = picture.pop("thumb")
    return picture


def picture_columns(files: dict | None, alt_en: str, alt_cy: str) -> dict:
    """The row's picture columns for new files (as pb.web.pictures stores them) or none (removed)."""
    if files is None:
        return {f"picture_{name}": ("" if name in ("full", "thumb", "alt_en", "alt_cy") else 0) for name in PICTURE_COLUMNS}
    return {
        "picture_full": files["full_name"],
        "picture_thumb": files["thumb_name"],
        "picture_width": files["width"],
        "picture_height": files["height"],
        "picture_thumb_width": files["thumb_width"],
        "picture_thumb_height": files["thumb_height"],
        "picture_alt_en": alt_en,
        "picture_alt_cy": alt_cy,
    }
