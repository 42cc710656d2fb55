"""A long PDF drawn by two processes and joined (postmortem.render.pdf_split) is the same document.

Compared with WeasyPrint's own single PDF by structure: page sizes, each page's text, every link
and where it lands, the named destinations, the outline (titles, nesting, targets, open state),
the document information, the language, and embedded fonts whose subsets have names of their own.
"""

from __future__ import annotations

import dataclasses
import io
import os
import threading
import warnings
from pathlib import Path
from typing import Any

import pytest

from postmortem.render.pdf import finish_pdf, prepare_pdf

from .helpers import FIXTURES, load, options_for

pypdf = pytest.importorskip("pypdf")
weasyprint = pytest.importorskip("weasyprint")
pdf_split = pytest.importorskip("postmortem.render.pdf_split")

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the split forks")


def _point(value: Any) -> float:
    return round(float(value), 1)


def structure(pdf: bytes) -> dict[str, Any]:
    """What a reader of the PDF gets, in a form two PDFs can be compared by."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))

    def target(dest: Any) -> tuple[int, float, float]:
        return reader.get_destination_page_number(dest), _point(dest.left), _point(dest.top)

    def outline(items: list[Any]) -> list[Any]:
        out: list[Any] = []
        for item in items:
            if isinstance(item, list):
                out.append(outline(item))
            else:
                out.append((str(item.title), *target(item), item.get("/Count", 0) >= 0))
        return out

    named = reader.named_destinations
    pages = []
    for page in reader.pages:
        links = []
        for ref in page.get("/Annots") or []:
            annotation = ref.get_object()
            rect = tuple(_point(v) for v in annotation["/Rect"])
            if "/Dest" in annotation:
                links.append((rect, "internal", str(annotation["/Dest"]), *target(named[str(annotation["/Dest"])])))
            else:
                links.append((rect, "external", str(annotation["/A"]["/URI"])))
        pages.append((tuple(_point(v) for v in page.mediabox), page.extract_text(), sorted(links)))
    fonts = []
    for page in reader.pages:
        for ref in page["/Resources"].get_object()["/Font"].values():
            font = ref.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            embedded = "/FontFile2" in descendant["/FontDescriptor"].get_object()
            fonts.append((str(font["/BaseFont"]), embedded, ref.idnum))
    return {
        "header": reader.pdf_header,
        "info": {key: str(value) for key, value in (reader.metadata or {}).items()},
        "lang": str(reader.root_object.get("/Lang")),
        "pages": pages,
        "named": {name: target(dest) for name, dest in named.items()},
        "outline": outline(reader.outline),
        "fonts": sorted(set(fonts)),
    }


def laid_out(pdf_source: Any) -> Any:
    from postmortem.render.env import template_search_path
    from postmortem.render.fetcher import FetchLog, weasyprint_fetcher

    dirs = template_search_path(None)
    fetcher = weasyprint_fetcher(dirs, FetchLog(), pdf_source.options.max_image_bytes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        html = weasyprint.HTML(string=pdf_source.html, base_url=dirs[0].as_uri() + "/", url_fetcher=fetcher)
        return html.render(pdf_identifier=None)


def long_incident(events: int = 120) -> Any:
    """The full fixture (table of contents, figures, links) with its timeline repeated: 8 pages or more."""
    incident = load(FIXTURES / "full.yml")
    timeline = list(incident.timeline) * (events // len(incident.timeline) + 1)
    return incident.model_copy(update={"timeline": timeline[:events]})


def long_source() -> Any:
    incident = long_incident()
    return prepare_pdf(incident, options_for(FIXTURES / "full.yml", incident))


@pytest.fixture(scope="module")
def document() -> Any:
    return laid_out(long_source())


@pytest.fixture(scope="module")
def single(document: Any) -> bytes:
    return document.write_pdf(pdf_identifier=None)


@pytest.fixture(scope="module")
def split(document: Any) -> bytes:
    return pdf_split.write_in_two(document, pdf_identifier=None)


def test_the_joined_pdf_is_the_same_document(document: Any, single: bytes, split: bytes) -> None:
    one, two = structure(single), structure(split)
    assert len(document.pages) >= pdf_split.SPLIT_PAGES
    assert two["pages"] == one["pages"]
    assert two["named"] == one["named"]
    assert two["outline"] == one["outline"]
    assert two["info"] == one["info"] and "/Title" in one["info"] and one["info"]["/Producer"].startswith("WeasyPrint")
    assert two["lang"] == one["lang"] == "en"
    assert two["header"] == one["header"]
    # Each half embeds the subsets it draws; none is left out.
    assert {name.split("+")[1] for name, _, _ in two["fonts"]} == {name.split("+")[1] for name, _, _ in one["fonts"]}
    assert all(embedded for _, embedded, _ in two["fonts"])


def test_links_that_cross_the_cut_are_made_again(document: Any, single: bytes, split: bytes) -> None:
    """The table of contents on the first page points into the second half, which the first half's PDF cannot."""
    cut = (len(document.pages) + 1) // 2
    crossing = [
        link
        for number, page in enumerate(structure(split)["pages"][:cut])
        for link in page[2]
        if link[1] == "internal" and link[3] >= cut
    ]
    assert crossing, "the fixture no longer has a link from the first half into the second"
    assert structure(single)["pages"][0][2] == structure(split)["pages"][0][2]


def test_two_subsets_never_share_a_name(split: bytes) -> None:
    """WeasyPrint names a subset after its font; the halves carry different subsets of one font."""
    fonts = structure(split)["fonts"]
    names = [name for name, _, _ in fonts]
    assert len(names) == len(set(names))
    assert len({ref for _, _, ref in fonts}) == len(fonts)
    assert len(fonts) > len({name.split("+")[1] for name in names})  # both halves embed a font


def test_the_joined_pdf_is_the_same_bytes_every_time(document: Any, split: bytes) -> None:
    assert pdf_split.write_in_two(document, pdf_identifier=None) == split


def test_a_child_that_fails_costs_time_not_the_pdf(
    document: Any, split: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object) -> None:
        os._exit(3)

    monkeypatch.setattr(pdf_split, "_child", fail)
    assert pdf_split.write_in_two(document, pdf_identifier=None) == split


def test_no_fork_draws_both_halves_here(document: Any, split: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", no_fork)
    assert pdf_split.write_in_two(document, pdf_identifier=None) == split


def test_when_the_pages_are_split(document: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    assert pdf_split.can_split(document, {}) is (os.uname().sysname == "Linux")
    assert not pdf_split.can_split(document, {"pdf_variant": "pdf/ua-1"})
    assert not pdf_split.can_split(document.copy(document.pages[: pdf_split.SPLIT_PAGES - 1]), {})
    # Never fork a process with another thread running: a lock it held would stay held in the child.
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not pdf_split.can_split(document, {})
    finally:
        stop.set()
        other.join()
    monkeypatch.setattr(pdf_split.sys, "platform", "darwin")
    assert not pdf_split.can_split(document, {})


def test_finish_pdf_splits_a_long_document_only_when_asked() -> None:
    source = long_source()
    single = finish_pdf(source)
    split = finish_pdf(source, draw_processes=2)
    assert structure(split)["pages"] == structure(single)["pages"]
    if pdf_split.can_split(laid_out(source), {}):
        # The halves' subsets: more font objects than fonts.
        assert len(structure(split)["fonts"]) > len(structure(single)["fonts"])
    else:  # pragma: no cover - not Linux
        assert split == single


def test_what_the_fetcher_refuses_while_the_child_draws_is_still_reported() -> None:
    """An image inside an SVG figure is fetched while its page is drawn: here, by the child (the figures come last)."""
    source = long_source()
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20">'
        b'<image href="http://example.com/tracker.png" width="10" height="10"/></svg>'
    )
    options = dataclasses.replace(source.options, figures={**source.options.figures, "figures/pool.svg": svg})
    source = prepare_pdf(long_incident(), options)

    def warnings_of(processes: int) -> list[str]:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            finish_pdf(source, draw_processes=processes)
        return [str(w.message) for w in caught]

    one = warnings_of(1)
    assert any("example.com" in message for message in one), one
    assert warnings_of(2) == one


def test_a_short_document_is_never_split() -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    source = prepare_pdf(incident, options_for(path, incident))
    assert finish_pdf(source, draw_processes=2) == finish_pdf(source)


def test_pdf_variants_are_never_split() -> None:
    """Tags, XMP metadata and output intents describe one whole file: a variant is drawn in one process."""
    source = long_source()
    variant = dataclasses.replace(source, options=dataclasses.replace(source.options, pdf_variant="pdf/a-3b"))
    fonts = structure(finish_pdf(variant, draw_processes=2))["fonts"]
    assert len({name.split("+")[1] for name, _, _ in fonts}) == len(fonts)  # one subset per font


def test_drawing_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    from postmortem.cli import cmd_render

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    assert cmd_render.drawing_processes(1) == 2
    assert cmd_render.drawing_processes(2) == 1  # the --jobs workers share the CPUs
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert cmd_render.drawing_processes(1) == 1


def test_render_draws_a_lone_long_pdf_in_two_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from postmortem.cli.app import app

    from .helpers import BASE

    events = "".join(
        f'  - {{at: "2026-03-14T10:{3 + i // 60:02d}:{i % 60:02d}Z", phase: triage,'
        f' text: "Step {i}: the dashboard showed the cache hit rate at {i % 90} percent, still climbing."}}\n'
        for i in range(240)
    )
    start, end = BASE.index("timeline:\n") + len("timeline:\n"), BASE.index("trigger:")
    src = tmp_path / "long.yml"
    src.write_text(BASE[:start] + events + BASE[end:], encoding="utf-8")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["render", str(src), "-f", "pdf", "-o", str(out), "--as-of", "2026-03-26"])
    assert result.exit_code == 0, result.output
    pdf = (out / "long.pdf").read_bytes()
    found = structure(pdf)
    assert len(found["pages"]) >= pdf_split.SPLIT_PAGES
    assert any("Step 239:" in page[1] for page in found["pages"])
    if os.uname().sysname == "Linux":
        fonts = found["fonts"]
        assert len(fonts) > len({name.split("+")[1] for name, _, _ in fonts})  # drawn in two halves


def test_a_message_cut_short_is_not_taken_for_a_pdf(split: bytes) -> None:
    message = pdf_split._pack(split, ["refused http://example.com/x.png"])
    assert pdf_split._unpack(message) == (split, ["refused http://example.com/x.png"])
    for cut in (0, 5, 8, len(split) // 2, len(message) - 2):
        assert pdf_split._unpack(message[:cut]) is None
    assert pdf_split._unpack(pdf_split._pack(b"not a pdf", [])) is None
