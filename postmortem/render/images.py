"""What a figure's bytes are, and whether they can be embedded: one answer for every format.

Figure bytes come from the incident's folder, so from whoever wrote the pull request.  The
type is sniffed from the first bytes (never from the file name), and a raster image is decoded
once by Pillow (a dependency of WeasyPrint): an image that opens but cannot be decoded would stop
WeasyPrint's whole PDF, or be drawn as a black square, and shows as a broken image in a browser.
"""

from __future__ import annotations

IMAGE_TYPES = {
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
    b"GIF87a": "image/gif",
    b"GIF89a": "image/gif",
}
SUPPORTED = "a PNG, JPEG, GIF, WebP or SVG image"


def image_type(data: bytes) -> str | None:
    """The MIME type of ``data`` if it is an image the documents embed, else ``None``."""
    mime = next((m for sig, m in IMAGE_TYPES.items() if data.startswith(sig)), None)
    if mime is None and data[:12].startswith(b"RIFF") and data[8:12] == b"WEBP":
        mime = "image/webp"
    if mime is None and looks_like_svg(data):
        mime = "image/svg+xml"
    return mime


def looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<svg", b"<?xml")) and b"<svg" in data[:4096].lower()


def figure_problem(data: bytes) -> str | None:
    """Why ``data`` cannot be embedded as a figure, or ``None``.

    SVG is parsed by the browser or WeasyPrint and passes.  A raster image is decoded in full:
    ``verify`` alone passes a PNG whose compressed data is garbage.  Pillow refuses decompression
    bombs (more pixels than its limit) before decoding.
    """
    mime = image_type(data)
    if mime is None:
        return f"it is not {SUPPORTED}"
    if mime == "image/svg+xml":
        return None
    import io
    import warnings

    from PIL import Image, ImageFile

    # WeasyPrint, once imported, tells Pillow to fill a truncated or broken image in silently (its
    # images.py sets LOAD_TRUNCATED_IMAGES for the whole process): the check must not inherit that.
    lenient = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except Exception as exc:
        return f"the image cannot be decoded ({type(exc).__name__})"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
    return None
