"""PDF through WeasyPrint, imported here and only when a PDF is asked for.

The HTML is the same view model with the PDF stylesheet (``@page`` rules,
running header, "page X of Y", table of contents with ``target-counter``,
bookmarks from headings).  WeasyPrint gets :func:`weasyprint_fetcher`, which
serves only the templates' own files and bounded ``data:`` images.  Dates in
the metadata come from the incident, so the same input gives the same bytes.
"""

from __future__ import annotations

import dataclasses
import logging
import sys
import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from postmortem.render.options import RenderOptions

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.model.incident import Incident


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def import_weasyprint() -> None:
    """Import WeasyPrint without the library searches it does not need on Linux.

    WeasyPrint opens Pango, HarfBuzz and friends by trying a list of names per library
    (``libgobject-2.0-0``, ``gobject-2.0-0``, ... ``libgobject-2.0.so.0``); for each name that is
    not a file, cffi asks :func:`ctypes.util.find_library`, which on Linux runs ``ldconfig -p``
    and then ``gcc`` and ``ld`` in subprocesses: 22 searches, a third of a second of the import.
    The list ends with each library's soname, which the dynamic loader finds by itself, so on
    Linux the import first runs with searches that find nothing (the same files are loaded;
    a test compares the process's mappings).  Should that import fail, it is tried again the
    ordinary way, with WeasyPrint's "could not import some external libraries" banner kept
    off stdout the first time.  Elsewhere it is a plain import.

    ``ctypes.util.find_library`` and ``sys.stdout`` are replaced for the length of the import,
    for the whole process: call this where no other thread uses them (in the CLI's PDF worker, a task
    waits for this import before it does anything).  :func:`render_pdf` imports WeasyPrint the ordinary way.
    """
    if sys.platform != "linux" or "weasyprint" in sys.modules:
        import weasyprint

        return
    import contextlib
    import ctypes.util
    import io

    search = ctypes.util.find_library
    ctypes.util.find_library = _no_search
    try:
        # any failure: the ordinary import below tries again and reports it
        with contextlib.suppress(Exception), contextlib.redirect_stdout(io.StringIO()):
            import weasyprint
    finally:
        ctypes.util.find_library = search
    import weasyprint  # noqa: F401 - a no-op when the first import worked


def _no_search(name: str) -> None:
    return None


EXECUTIVE_PAGES = 2
"""The executive version is meant to be read in two minutes: one or two pages."""


def html_to_pdf(
    html: str,
    options: RenderOptions,
    *,
    log_messages: list[str] | None = None,
    before_layout: Callable[[], None] | None = None,
    draw_processes: int = 1,
) -> bytes:
    """WeasyPrint with the safe fetcher.

    WeasyPrint's own log (CSS it ignores, images it could not load) is kept
    off the user's terminal; what the fetcher refused comes back in
    ``log_messages`` for the caller to report.  ``before_layout`` is called once
    the HTML is parsed, before the pages are laid out; what it raises stops the render.
    With ``draw_processes=2``, a long document's pages are drawn by this process and a
    forked one (:mod:`postmortem.render.pdf_split`).
    """
    from weasyprint import HTML

    from postmortem.render.env import template_search_path
    from postmortem.render.fetcher import FetchLog, weasyprint_fetcher

    dirs = template_search_path(options.template_dir)
    fetch_log = FetchLog()
    fetcher = weasyprint_fetcher(dirs, fetch_log, options.max_image_bytes)
    logger = logging.getLogger("weasyprint")
    handler = _Collect()
    old_propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        document = HTML(string=html, base_url=dirs[0].resolve().as_uri() + "/", url_fetcher=fetcher)
        if before_layout is not None:
            before_layout()
        kwargs: dict[str, Any] = {"pdf_identifier": None}
        if options.pdf_variant:
            kwargs["pdf_variant"] = options.pdf_variant
        laid_out = document.render(**kwargs)
        if draw_processes > 1:
            from postmortem.render.pdf_split import can_split, write_in_two

            if can_split(laid_out, kwargs):
                data = write_in_two(laid_out, fetch_log.refused, **kwargs)
            else:
                data = laid_out.write_pdf(**kwargs)
        else:
            data = laid_out.write_pdf(**kwargs)
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate
    if log_messages is not None:
        log_messages.extend(fetch_log.refused)
        pages = len(laid_out.pages)
        if options.audience == "executive" and pages > EXECUTIVE_PAGES:
            log_messages.append(
                f"the executive version runs to {pages} pages, not one or two;"
                " a shorter summary or impact description would bring it back"
            )
    assert isinstance(data, bytes)
    return data


@dataclasses.dataclass(frozen=True)
class PdfSource:
    """What WeasyPrint lays out: the PDF's HTML, its options, and the figures already left out.

    Made by :func:`prepare_pdf`, which needs no WeasyPrint, and turned into bytes by
    :func:`finish_pdf`; picklable, so that the two halves can run in different processes.
    """

    html: str
    options: RenderOptions
    left_out: tuple[str, ...] = ()


def prepare_pdf(incident: Incident, options: RenderOptions | None = None) -> PdfSource:
    """The first half of :func:`render_pdf`: figures checked, view built (its warnings emitted), HTML made."""
    return _prepare(incident, options)


def finish_pdf(source: PdfSource, *, before_layout: Callable[[], None] | None = None, draw_processes: int = 1) -> bytes:
    """The second half of :func:`render_pdf`: WeasyPrint, then a warning per figure left out or refused.

    ``before_layout``, if given, is called once WeasyPrint has parsed the HTML and before it lays
    out the pages (most of its time); an exception it raises stops the render and propagates.  The
    command line uses it to lint an input while its PDF's HTML is being parsed, and to stop there
    if the linter refuses the input.

    ``draw_processes=2`` draws the pages of a long document (eight pages or more) in this process
    and a forked child, on Linux, and joins the halves (:mod:`postmortem.render.pdf_split`): the
    same pages, text, links, outline and metadata, about a tenth sooner for 1,000 events.  Only
    for a caller whose process may fork (no other threads); the command line does it when a run
    renders one PDF and two CPUs are free.
    """
    return _finish(source, before_layout, draw_processes)


def render_pdf(incident: Incident, options: RenderOptions | None = None) -> bytes:
    """The incident as a PDF.  Reads no file of the incident's and makes no request."""
    return _finish(_prepare(incident, options))


# The public functions above each call these directly, so that a warning's stack level
# (the caller's line) is the same whichever one the caller used.
def _prepare(incident: Incident, options: RenderOptions | None) -> PdfSource:
    from postmortem.render.context import build_view
    from postmortem.render.html import _emit, render_view_html

    options = options or RenderOptions()
    figures, messages = _decodable(options.figures)
    if len(figures) != len(options.figures):
        options = dataclasses.replace(options, figures=figures)
    view = build_view(incident, options)
    _emit(view, stacklevel=4)
    return PdfSource(render_view_html(view, options, pdf=True), options, tuple(messages))


def _finish(source: PdfSource, before_layout: Callable[[], None] | None = None, draw_processes: int = 1) -> bytes:
    from postmortem.render.html import RenderWarning

    messages = list(source.left_out)
    data = html_to_pdf(
        source.html, source.options, log_messages=messages, before_layout=before_layout, draw_processes=draw_processes
    )
    for message in dict.fromkeys(messages):
        warnings.warn(message, RenderWarning, stacklevel=3)
    return data


def _decodable(figures: Mapping[str, bytes]) -> tuple[dict[str, bytes], list[str]]:
    """The figures WeasyPrint can draw, and a warning for each raster image left out.

    WeasyPrint stops the whole PDF on an image that opens but cannot be decoded.  The command
    line has already left such figures out when it read them (:func:`~postmortem.render.fetcher.collect_figures`);
    this keeps a library caller's PDF from failing the same way.  A figure of no supported type
    passes on, for the view to report as such.
    """
    from postmortem.render.images import figure_problem, image_type

    ok: dict[str, bytes] = {}
    dropped: list[str] = []
    for path, data in figures.items():
        problem = figure_problem(data) if image_type(data) is not None else None
        if problem is not None:
            dropped.append(f"figure {path!r} left out of the PDF: {problem}")
            continue
        ok[path] = data
    return ok, dropped
