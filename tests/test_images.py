"""Uploaded pictures (pb.images): only real JPEG, PNG and WebP pictures pass, decoded and checked
before anything else; they come out upright, resized and without any metadata (no GPS position)."""

from __future__ import annotations

import io

import pytest
from PIL import Image, PngImagePlugin

from pb import images
from pb.i18n import t

pytestmark = pytest.mark.pure


def jpeg(size=(1200, 800), colour=(200, 30, 30), exif: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", exif=exif or Image.Exif())
    return out.getvalue()


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 28.0, 52.0), 3: "W", 4: (3.0, 10.0, 45.0)}  # GPSInfo
    return exif


def reopened(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def test_gps_exif_is_removed_from_a_photo():
    source = jpeg(exif=gps_exif())
    assert 0x8825 in Image.open(io.BytesIO(source)).getexif()
    result = images.process(source)
    for rendition in (result.full, result.thumb):
        out = reopened(rendition.data)
        assert out.format == "JPEG"
        assert dict(out.getexif()) == {}
        assert "exif" not in out.info and "icc_profile" not in out.info and "xmp" not in out.info
        assert b"Exif" not in rendition.data and b"PhoneMaker" not in rendition.data


def test_png_text_chunks_are_removed():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret address 1 High Street")
    info.add_text("Author", "Someone")
    out = io.BytesIO()
    Image.new("RGBA", (300, 200), (0, 120, 0, 128)).save(out, "PNG", pnginfo=info)
    result = images.process(out.getvalue())
    assert b"secret address" not in result.full.data and b"Someone" not in result.full.data
    assert reopened(result.full.data).format == "JPEG"


def test_webp_is_accepted():
    out = io.BytesIO()
    Image.new("RGB", (100, 50), (0, 0, 200)).save(out, "WEBP")
    result = images.process(out.getvalue())
    assert (result.full.width, result.full.height) == (100, 50)


def test_resized_to_at_most_1600_and_a_400_thumbnail():
    result = images.process(jpeg(size=(4000, 1000)))
    assert (result.full.width, result.full.height) == (1600, 400)
    assert (result.thumb.width, result.thumb.height) == (400, 100)
    assert reopened(result.full.data).size == (1600, 400)


def test_exif_orientation_is_applied():
    # Orientation 6: the camera was turned; the stored 1200 x 800 pixels are shown 800 x 1200.
    result = images.process(jpeg(size=(1200, 800), exif=gps_exif(orientation=6)))
    assert (result.full.width, result.full.height) == (800, 1200)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", images.EMPTY),
        (b"name,amount\nswings,100\n", images.NOT_PICTURE),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
            images.NOT_PICTURE,
        ),
        (b"GIF89a" + b"\x00" * 100, images.NOT_PICTURE),
        (b"\x00" * (images.MAX_BYTES + 1), images.TOO_BIG),
    ],
    ids=["empty", "csv", "svg", "gif", "too-many-bytes"],
)
def test_refused(data, message):
    with pytest.raises(images.ImageRefused) as refused:
        images.process(data)
    assert str(refused.value) == message
    assert t("cy", message) != message  # translated


def test_a_gif_is_refused_even_when_real():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(images.ImageRefused, match="JPEG, PNG or WebP"):
        images.process(out.getvalue())


def test_a_truncated_picture_is_refused():
    data = jpeg(size=(800, 600))
    with pytest.raises(images.ImageRefused) as refused:
        images.process(data[: len(data) // 2])
    assert str(refused.value) == images.DAMAGED


def test_too_many_pixels_is_refused_before_decoding():
    # A small PNG that claims 8000 x 6000 pixels (48 megapixels): a decompression bomb in miniature.
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")
    assert len(out.getvalue()) < 100_000
    with pytest.raises(images.ImageRefused) as refused:
        images.process(out.getvalue())
    assert str(refused.value) == images.TOO_MANY_PIXELS
