"""The only ways rendering touches files, both sandboxed and bounded.

* :func:`collect_figures` reads the incident's figures for the CLI, before
  rendering: regular files inside the incident's folder only, no ``..``, no
  absolute paths or URLs, no symlink that leads outside, and nothing larger
  than ``max_bytes``.  The renderer itself receives bytes and reads nothing.
* :func:`weasyprint_fetcher` is the ``url_fetcher`` given to WeasyPrint.  It
  serves ``data:`` images (bounded) and files inside the template folders
  (the templates' own assets), and refuses everything else: ``file://``
  elsewhere, ``http(s)``, other schemes.  A refusal is a warning, never a crash.
"""

from __future__ import annotations

import base64
import os
import stat
import urllib.parse
import urllib.request
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from postmortem.render.options import DEFAULT_MAX_IMAGE_BYTES

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.model.incident import Incident


class RefusedResource(Exception):
    """A resource the renderer will not read, with the reason."""


def read_inside(root: Path, relative: str, max_bytes: int) -> bytes:
    """The bytes of ``root/relative`` if it is a regular file inside ``root`` of at most ``max_bytes``."""
    if "://" in relative or relative.startswith(("file:", "data:", "http:", "https:")):
        raise RefusedResource("not a relative path (URLs are not fetched)")
    rel = PurePosixPath(relative.replace("\\", "/"))
    if rel.is_absolute() or (len(relative) > 1 and relative[1] == ":"):
        raise RefusedResource("absolute paths are not allowed; use a path relative to the incident file")
    if ".." in rel.parts:
        raise RefusedResource("'..' may not leave the incident's folder")
    base = root.resolve()
    try:
        target = (base / Path(*rel.parts)).resolve(strict=True)
    except FileNotFoundError:
        raise RefusedResource("no such file") from None
    except (OSError, RuntimeError) as exc:
        raise RefusedResource(f"cannot resolve: {exc}") from None
    if not target.is_relative_to(base):
        raise RefusedResource("it is a link that leads outside the incident's folder")
    try:
        if not stat.S_ISREG(os.stat(target).st_mode):
            raise RefusedResource("not a regular file")
    except OSError as exc:
        raise RefusedResource(exc.strerror or str(exc)) from None
    # O_NONBLOCK: a FIFO swapped in after the check above must not block the open
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        raise RefusedResource(exc.strerror or str(exc)) from None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        raise RefusedResource("not a regular file")
    with os.fdopen(fd, "rb") as fh:
        if st.st_size > max_bytes:
            raise RefusedResource(
                f"{st.st_size} bytes is over the limit of {max_bytes} (raise it with --max-image-bytes)"
            )
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise RefusedResource(f"over the limit of {max_bytes} bytes (raise it with --max-image-bytes)")
    return data


def collect_figures(
    incident: Incident, folder: Path, max_bytes: int = DEFAULT_MAX_IMAGE_BYTES
) -> tuple[dict[str, bytes], list[str]]:
    """Read every figure of ``incident`` from ``folder``; refusals come back as warning messages.

    A figure that is not an image the documents embed, or that cannot be decoded, is left out here,
    once for every format (see :mod:`postmortem.render.images`).
    """
    from postmortem.render.images import figure_problem

    figures: dict[str, bytes] = {}
    warnings: list[str] = []
    for fig in incident.figures:
        if fig.path in figures:
            continue
        try:
            data = read_inside(folder, fig.path, max_bytes)
        except RefusedResource as exc:
            warnings.append(f"figure {fig.path!r} refused: {exc}")
            continue
        problem = figure_problem(data)
        if problem is not None:
            warnings.append(f"figure {fig.path!r} left out: {problem}")
            continue
        figures[fig.path] = data
    return figures, warnings


def _data_url(url: str, max_bytes: int) -> tuple[bytes, str]:
    header, sep, payload = url[5:].partition(",")
    if not sep:
        raise RefusedResource("malformed data: URL")
    parts = header.split(";")
    mime = parts[0].strip().lower() or "text/plain"
    if not mime.startswith("image/"):
        raise RefusedResource(f"data: URL of type {mime} is not an image")
    if len(payload) > max_bytes * 4 // 3 + 4:
        raise RefusedResource(f"data: image over the limit of {max_bytes} bytes")
    if "base64" in (p.strip().lower() for p in parts[1:]):
        body = base64.b64decode(payload, validate=False)
    else:
        body = urllib.parse.unquote_to_bytes(payload)
    return body, mime


def resolve_asset(url: str, asset_dirs: Iterable[Path], max_bytes: int) -> bytes:
    """A ``file:`` URL that names a file inside one of ``asset_dirs``."""
    parsed = urllib.parse.urlsplit(url)
    if parsed.netloc not in ("", "localhost"):
        raise RefusedResource("file URL on another host")
    path = Path(urllib.request.url2pathname(parsed.path))
    for folder in asset_dirs:
        base = folder.resolve()
        try:
            rel = path.resolve().relative_to(base)
        except (ValueError, OSError):
            continue
        return read_inside(base, rel.as_posix(), max_bytes)
    raise RefusedResource("file outside the template folders")


class FetchLog:
    """What the fetcher refused, for the caller to report as warnings."""

    def __init__(self) -> None:
        self.refused: list[str] = []


def weasyprint_fetcher(asset_dirs: list[Path], log: FetchLog, max_bytes: int = DEFAULT_MAX_IMAGE_BYTES) -> Any:
    """A WeasyPrint URL fetcher that allows only our assets and bounded ``data:`` images."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, fail_on_errors=False)

        def fetch(self, url: str, headers: Any = None) -> Any:
            try:
                scheme = url.split(":", 1)[0].lower()
                if scheme == "data":
                    body, mime = _data_url(url, max_bytes)
                    return URLFetcherResponse(url="data:", body=body, headers={"Content-Type": mime})
                if scheme == "file":
                    body = resolve_asset(url, asset_dirs, max_bytes)
                    mime = _guess_type(url)
                    return URLFetcherResponse(url=url, body=body, headers={"Content-Type": mime})
                raise RefusedResource(f"{scheme}: URLs are never fetched")
            except RefusedResource as exc:
                shown = url if len(url) < 80 else url[:77] + "..."
                log.refused.append(f"refused to load {shown}: {exc}")
                raise

    return SafeFetcher()


def _guess_type(url: str) -> str:
    import mimetypes

    mime, _ = mimetypes.guess_type(url)
    return mime or "application/octet-stream"
