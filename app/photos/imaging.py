"""Turning an uploaded file into a clean photo: the only place that decodes images.

The real format is read from the content (never the name or the Content-Type); the size
in pixels is checked from the header before anything is decoded, so a decompression
bomb is refused at once; then Pillow decodes, applies the EXIF orientation, copies the
pixels into a fresh image (no EXIF, GPS, XMP, ICC, comments or trailing bytes can
survive) and encodes a new JPEG and its thumbnail.
"""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, ImageOps

from ..core.errors import Invalid

try:  # HEIC/HEIF (iPhone photos): pillow-heif bundles a maintained libheif.
    import pillow_heif

    pillow_heif.register_heif_opener()
    HEIC = True
except ImportError:  # pragma: no cover - the requirement is pinned
    HEIC = False

JPEG, PNG, WEBP, HEIF = "JPEG", "PNG", "WEBP", "HEIF"
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
_SRGB = ImageCms.createProfile("sRGB")


@dataclass
class Processed:
    """A clean photo and its thumbnail, as JPEG bytes with their sizes."""

    full: bytes
    thumb: bytes
    width: int
    height: int
    thumb_width: int
    thumb_height: int


def sniff(head: bytes) -> str | None:
    """The image format the first bytes show, or None (SVG, HTML, anything else)."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if HEIC and head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return HEIF
    return None


def _looks_like_svg(head: bytes) -> bool:
    text = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<svg", b"<?xml")) or b"<svg" in text


def read_limited(stream: BinaryIO, max_bytes: int) -> bytes:
    """The whole upload, refusing an empty file or one over the size limit."""
    data = stream.read(max_bytes + 1)
    if not data:
        raise Invalid(_l("The file is empty."))
    if len(data) > max_bytes:
        raise Invalid(_l("The file is larger than %(mb)s MB.",
                         mb=round(max_bytes / 1024 / 1024)))
    return data


def _to_srgb(image: Image.Image, icc: bytes | None) -> Image.Image:
    """Colours as the camera meant them (Display P3 phones), then the profile is dropped."""
    if not icc:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        return ImageCms.profileToProfile(image, source, _SRGB, outputMode="RGB") or image
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: keep the pixels as they are


def _flatten(image: Image.Image) -> Image.Image:
    """RGB pixels; transparency is laid on white."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def process(data: bytes, *, max_pixels: int, max_edge: int, thumb_edge: int) -> Processed:
    """Check and re-encode one upload; raises Invalid with a message for the owner."""
    kind = sniff(data[:32])
    if kind is None:
        if _looks_like_svg(data):
            raise Invalid(_l("SVG drawings are not accepted: please send a photo "
                             "(JPEG, PNG, WebP or HEIC)."))
        raise Invalid(_l("This is not a photo we accept: please send JPEG, PNG, WebP "
                         "or HEIC."))
    Image.MAX_IMAGE_PIXELS = max_pixels  # Pillow's own bomb check, at open(), from the header
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[kind])
            width, height = image.size
            if width < 1 or height < 1 or width * height > max_pixels:
                raise Invalid(_l("The picture is too large (%(w)s × %(h)s pixels).",
                                 w=width, h=height))
            if kind == JPEG:
                image.draft("RGB", (max_edge, max_edge))  # decode big photos scaled down
            icc = image.info.get("icc_profile")
            image.load()
            upright = ImageOps.exif_transpose(image)
    except Invalid:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid(_l("The picture is too large.")) from None
    except Exception:  # noqa: BLE001 - any decoder failure means a broken file
        raise Invalid(_l("The picture is damaged or incomplete.")) from None
    rgb = _to_srgb(_flatten(upright), icc if isinstance(icc, bytes) else None)
    # Fresh pixels: nothing of the original file (info, EXIF, comments) comes along.
    fresh = Image.frombytes("RGB", rgb.size, rgb.tobytes())
    fresh.thumbnail((max_edge, max_edge), Image.Resampling.LANCZOS)
    thumb = fresh.copy()
    thumb.thumbnail((thumb_edge, thumb_edge), Image.Resampling.LANCZOS)
    return Processed(full=_jpeg(fresh, 85), thumb=_jpeg(thumb, 78), width=fresh.width,
                     height=fresh.height, thumb_width=thumb.width, thumb_height=thumb.height)
