"""Draw a long PDF's pages in two processes, and join the halves into one document.

WeasyPrint lays a document out, then draws its pages one after the other into the PDF: a quarter
of the time of a long post-mortem (2.5-2.9 s of the 1,000-event benchmark's 8-10 s) goes to the
drawing.  Laid-out pages cannot be handed to another process (they hold Pango's objects), but a
forked child has them already: it draws the second half of the pages (WeasyPrint's public
``Document.copy(pages)``) while this process draws the first, and pypdf joins the two PDFs.

Each half is a PDF of its own pages, so what crosses the cut is made again here for the whole
document, from what WeasyPrint's public API says about it: every link (a table of contents on
page 1 points to sections on page 40), the named destinations, and the outline.  The document
information and language come from the first half (both halves carry the same).  The result
has the same pages, text, links, outline and metadata as WeasyPrint's single PDF (a test
compares them); the bytes differ (two subsets of each font, pypdf's object layout) and are the
same from run to run.

Only on Linux, where forking a process that has loaded Pango is safe, only from a process with
no other thread running, and only for what a join
keeps whole: no PDF variant (tags, XMP metadata and output intents describe the whole file), no
attachments, forms or colour profiles.  Should the child fail, this process draws its half too:
the PDF is never lost to the split.  Only the command line asks for this (one PDF in the run, two
usable CPUs); :func:`postmortem.render.render_pdf` never forks.
"""

from __future__ import annotations

import io
import os
import sys
from typing import Any

SPLIT_PAGES = 8
"""A document shorter than this is drawn in one process.

Drawing takes 35-60 ms a page and the join 0.03-0.07 s for 48 pages, so even the 7-page samples
would gain a little (0.04-0.1 s), but the joined file embeds each font twice (those samples: 50-58 KB
become 88-99 KB).  A short document keeps the smaller file; see docs/performance.md."""


def can_split(document: Any, options: dict[str, Any]) -> bool:
    """Whether ``document`` (laid out by WeasyPrint) can be drawn in two halves and joined unchanged."""
    import threading

    if sys.platform != "linux" or not hasattr(os, "fork"):
        return False
    if threading.active_count() > 1:  # a fork copies one thread: a lock another holds would stay held
        return False
    if len(document.pages) < SPLIT_PAGES:
        return False
    if options.get("pdf_variant") or options.get("pdf_tags") or options.get("attachments"):
        return False
    if document.metadata.attachments or document.color_profiles:
        return False
    # Page.forms maps each form to its fields (inputs outside a form under None).
    return not any(any(page.forms.values()) for page in document.pages)


def write_in_two(document: Any, log: list[str] | None = None, **options: Any) -> bytes:
    """``document.write_pdf(**options)``, with the second half of the pages drawn in a forked child.

    ``log`` is the list the URL fetcher appends its refusals to: an image inside an SVG is fetched
    while its page is drawn, so the child's refusals are sent back and added to it, after this
    process's own (page order).
    """
    log = log if log is not None else []
    pages = document.pages
    cut = (len(pages) + 1) // 2
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return _join(
            document,
            document.copy(pages[:cut]).write_pdf(**options),
            document.copy(pages[cut:]).write_pdf(**options),
        )
    if pid == 0:  # pragma: no cover - the child's coverage is not collected
        _child(document, pages[cut:], options, log, read_end, write_end)
    os.close(write_end)
    try:
        first = document.copy(pages[:cut]).write_pdf(**options)
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            message = pipe.read()
        _, status = os.waitpid(pid, 0)
    received = _unpack(message) if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0 else None
    if received is None:  # the child failed: draw its half here, as one process would
        second = document.copy(pages[cut:]).write_pdf(**options)
    else:
        second, refused = received
        log.extend(refused)
    return _join(document, first, second)


def _child(  # pragma: no cover - runs in the forked child, whose coverage is not collected
    document: Any, pages: list[Any], options: dict[str, Any], log: list[str], read_end: int, write_end: int
) -> None:
    """The forked child: draw ``pages``, send the PDF and the fetcher's new refusals down the pipe, and leave
    without any clean-up (no exit handler of the parent's runs twice)."""
    code = 1
    try:
        os.close(read_end)
        already = len(log)
        data = document.copy(pages).write_pdf(**options)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(_pack(data, log[already:]))
        code = 0
    finally:
        os._exit(code)


def _pack(pdf: bytes, refused: list[str]) -> bytes:
    """The child's message: the PDF's length (8 bytes), the PDF, then the refusals as JSON."""
    import json

    return len(pdf).to_bytes(8, "big") + pdf + json.dumps(refused).encode()


def _unpack(message: bytes) -> tuple[bytes, list[str]] | None:
    """What :func:`_pack` made, or None for anything else (a child that died part-way)."""
    import json

    size = int.from_bytes(message[:8], "big")
    pdf, rest = message[8 : 8 + size], message[8 + size :]
    if len(message) < 8 or len(pdf) != size or not pdf.startswith(b"%PDF"):
        return None
    try:
        refused = json.loads(rest)
    except ValueError:
        return None
    if not isinstance(refused, list) or not all(isinstance(r, str) for r in refused):
        return None
    return pdf, refused


def _join(document: Any, first: bytes, second: bytes) -> bytes:
    """One PDF of the two halves, with the links, destinations and outline of the whole ``document``."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    head = PdfReader(io.BytesIO(first))
    tail = PdfReader(io.BytesIO(second))
    _retag_subsets(tail)
    writer = PdfWriter()
    # The halves' link annotations point within each half only; every link is made again below.
    for half in (head, tail):
        writer.append(half, import_outline=False, excluded_fields=["/Annots", "/B"])
    writer.pdf_header = head.pdf_header
    writer.add_metadata(dict(head.metadata or {}))
    root = writer.root_object
    for key in ("/Lang",):
        if key in head.root_object:
            root[NameObject(key)] = head.root_object[key].clone(writer)
    root.pop(NameObject("/Names"), None)

    scale = 0.75  # PDF points per CSS pixel, as WeasyPrint draws

    def point(page: Any, x: float, y: float) -> list[FloatObject]:
        # WeasyPrint's page matrix: y grows downwards in CSS, upwards in PDF.
        return [FloatObject(round(x * scale, 6)), FloatObject(round((page.height - y) * scale, 6))]

    anchors: dict[str, tuple[int, Any, float, float]] = {}
    for number, page in enumerate(document.pages):
        for name, (x, y, _, _) in page.anchors.items():
            anchors.setdefault(name, (number, page, x, y))

    for number, page in enumerate(document.pages):
        for kind, target, rectangle, _ in page.links:
            if kind not in ("internal", "external") or (kind == "internal" and target not in anchors):
                continue  # WeasyPrint drops a link to a missing anchor too
            annotation = DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Annot"),
                    NameObject("/Subtype"): NameObject("/Link"),
                    NameObject("/Rect"): ArrayObject(
                        [*point(page, rectangle[0], rectangle[1]), *point(page, rectangle[2], rectangle[3])]
                    ),
                    NameObject("/BS"): DictionaryObject({NameObject("/W"): NumberObject(0)}),
                }
            )
            if kind == "internal":
                annotation[NameObject("/Dest")] = TextStringObject(target)
            else:
                annotation[NameObject("/A")] = DictionaryObject(
                    {
                        NameObject("/Type"): NameObject("/Action"),
                        NameObject("/S"): NameObject("/URI"),
                        NameObject("/URI"): TextStringObject(target),
                    }
                )
            writer.add_annotation(number, annotation)

    if anchors:
        names = ArrayObject()
        for name in sorted(anchors):
            number, page, x, y = anchors[name]
            names.append(TextStringObject(name))
            names.append(
                ArrayObject(
                    [writer.pages[number].indirect_reference, NameObject("/XYZ"), *point(page, x, y), NumberObject(0)]
                )
            )
        dests = DictionaryObject({NameObject("/Names"): names})
        root[NameObject("/Names")] = DictionaryObject({NameObject("/Dests"): dests})

    _outline(writer, document.make_bookmark_tree(scale, transform_pages=True), None)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _retag_subsets(reader: Any) -> None:
    """Give the font subsets of the second half tags of their own.

    WeasyPrint names a subset after its font (``XKQQSR+DejaVu-Sans``), so both halves would carry
    two different subsets under one name, which the PDF format forbids (a viewer may take one for
    the other).  The new tag is derived from the old one, the same on every run.
    """
    import hashlib

    from pypdf.generic import NameObject

    def retag(name: str) -> str:
        tag, plus, rest = name.lstrip("/").partition("+")
        if not plus or len(tag) != 6:
            return name
        digest = hashlib.sha256(f"{tag}/second-half".encode()).digest()
        return "/" + "".join(chr(ord("A") + byte % 26) for byte in digest[:6]) + "+" + rest

    seen: set[int] = set()
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get_object().get("/Font", {}).get_object()
        for ref in fonts.values():
            font = ref.get_object()
            key = getattr(ref, "idnum", id(font))  # the resources are shared: rename each font once
            if key in seen:
                continue
            seen.add(key)
            for part in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                if "/BaseFont" in part:
                    part[NameObject("/BaseFont")] = NameObject(retag(str(part["/BaseFont"])))
                descriptor = part.get("/FontDescriptor")
                if descriptor is not None and "/FontName" in descriptor.get_object():
                    descriptor = descriptor.get_object()
                    descriptor[NameObject("/FontName")] = NameObject(retag(str(descriptor["/FontName"])))


def _outline(writer: Any, bookmarks: list[Any], parent: Any) -> None:
    from pypdf.generic import Fit

    for label, (number, x, y), children, state in bookmarks:
        item = writer.add_outline_item(
            title=label,
            page_number=number,
            parent=parent,
            fit=Fit.xyz(left=x, top=y, zoom=0),
            is_open=state == "open",
        )
        _outline(writer, children, item)
