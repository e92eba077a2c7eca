"""The picture form every item with a picture shares (proposals, rounds, sessions): reads the
upload and the alt text, checks and resizes the picture off the event loop (pb.images), and stores
its files (pb.web.media) only when the whole form is good. A plain multipart form; no JavaScript."""

from __future__ import annotations

from dataclasses import dataclass

import anyio.to_thread
from litestar import Request
from litestar.datastructures import UploadFile
from litestar.response import Template

from pb import images
from pb.web import media
from pb.web.forms import UNREADABLE, FormRejected
from pb.web.templating import page, path_to, t

MAX_REQUEST = images.MAX_BYTES + 200_000  # the picture and the form's text fields


@dataclass(frozen=True)
class PictureForm:
    values: dict[str, str]  # alt_cy and alt_en, as typed (cleaned)
    errors: dict[str, str]  # message ids by field name
    files: dict | None  # a new picture's stored files and sizes, when one was given and all is good


async def read_picture_form(request: Request, languages: list[str], has_picture: bool) -> PictureForm:
    """The form as sent: a new picture is required unless the item has one (then only its
    description may change)."""
    try:
        form = await request.form()
    except (UnicodeDecodeError, ValueError) as exc:
        raise FormRejected(UNREADABLE) from exc
    text = {key: value for key, value in form.items() if isinstance(value, str)}
    values, errors = images.validate_alt(text, languages)
    upload = form.get("picture")
    processed = None
    if isinstance(upload, UploadFile) and upload.filename:
        try:
            data = await upload.read(images.MAX_BYTES + 1)
        finally:
            await upload.close()
        try:
            # Decoding and resizing a large photo takes a while: off the event loop, so other
            # requests on this worker are not held up.
            processed = await anyio.to_thread.run_sync(images.process, data)
        except images.ImageRefused as refused:
            errors = {"picture": str(refused), **errors}
    elif not has_picture:
        errors = {"picture": images.EMPTY, **errors}
    if errors or processed is None:
        return PictureForm(values, errors, None)
    return PictureForm(values, errors, await anyio.to_thread.run_sync(store_processed, processed))


def store_processed(processed: images.Processed) -> dict:
    """Write a processed picture's two files (pb.web.media) and return what its row keeps: full_name,
    thumb_name, width, height, thumb_width, thumb_height. Blocking: call it off the event loop."""
    return dict(
        full_name=media.store(processed.full.data),
        thumb_name=media.store(processed.thumb.data),
        width=processed.full.width,
        height=processed.full.height,
        thumb_width=processed.thumb.width,
        thumb_height=processed.thumb.height,
    )


def picture_page(
    request: Request,
    *,
    heading: str,
    item_title: dict,
    routes: str,
    back: str,
    params: dict,
    image: dict | None,
    languages: list[str],
    values: dict,
    errors: dict,
    status: int = 200,
) -> Template:
    """The picture form of one item: `routes` is the capability whose save_picture and
    remove_picture routes take `params`; `back` names the page to return to; heading is a message id."""
    lang = request.path_params["lang"]
    return page(
        request,
        "pictures/form.html",
        status_code=status,
        heading=t(lang, heading),
        item_title=item_title,
        back_url=path_to(request, back, lang=lang, **params),
        save_url=path_to(request, f"{routes}.save_picture", lang=lang, **params),
        remove_url=path_to(request, f"{routes}.remove_picture", lang=lang, **params),
        image=image,
        languages=languages,
        values=values,
        errors=errors,
    )
