"""The PDF, checked by structure with pypdf (never by bytes, except the determinism check)."""

from __future__ import annotations

import io
import pickle
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import pytest

from postmortem.render import RenderOptions, render_pdf
from postmortem.render.pdf import finish_pdf, prepare_pdf

from .helpers import AS_OF, FIXTURES, load, options_for, sample_paths

pypdf = pytest.importorskip("pypdf")


def read(pdf: bytes) -> tuple[object, str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    return reader, text


def outline_titles(reader: object) -> list[str]:
    out: list[str] = []

    def walk(items: list[object]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append(str(item.title))  # type: ignore[attr-defined]

    walk(reader.outline)  # type: ignore[attr-defined]
    return out


@pytest.fixture(scope="module")
def full_pdf() -> bytes:
    path = FIXTURES / "full.yml"
    incident = load(path)
    return render_pdf(incident, options_for(path, incident))


def test_pdf_structure(full_pdf: bytes) -> None:
    reader, text = read(full_pdf)
    pages = len(reader.pages)  # type: ignore[attr-defined]
    assert 3 <= pages <= 6
    flat = " ".join(text.split())
    assert "Checkout errors after a connection-pool change" in flat
    assert f"page 1 of {pages}" in flat and f"page {pages} of {pages}" in flat
    # Running header on every page: id, severity, confidentiality label.
    for page in reader.pages:  # type: ignore[attr-defined]
        assert "INC-2026-0142 · SEV2 · High · Internal" in " ".join((page.extract_text() or "").split())


def test_pdf_metadata_comes_from_the_incident(full_pdf: bytes) -> None:
    reader, _ = read(full_pdf)
    meta = reader.metadata  # type: ignore[attr-defined]
    assert meta.title == "INC-2026-0142: Checkout errors after a connection-pool change"
    assert meta.author == "Priya Raman"
    assert meta.subject == "Post-mortem of INC-2026-0142: Checkout errors after a connection-pool change"
    assert "checkout" in meta["/Keywords"] and "INC-2026-0142" in meta["/Keywords"]
    assert str(meta["/CreationDate"]).startswith("D:20260315")
    assert str(meta["/ModDate"]).startswith("D:20260320")


def test_pdf_outline_has_the_sections(full_pdf: bytes) -> None:
    reader, _ = read(full_pdf)
    titles = outline_titles(reader)
    for section in ("Summary", "Impact", "Detection", "Responders", "Timeline", "Analysis", "Action items", "Figures"):
        assert section in titles
    assert "Contributing factors" in titles  # second level


def test_pdf_table_of_contents_has_page_numbers(full_pdf: bytes) -> None:
    reader, _ = read(full_pdf)
    first = reader.pages[0].extract_text() or ""  # type: ignore[attr-defined]
    assert "Contents" in first
    # target-counter() numbers, one per section, in page order (float: right puts them on lines of their own).
    numbers = [int(n) for n in re.findall(r"^\s*(\d+)\s*$", first, re.MULTILINE)]
    assert len(numbers) == 10, numbers
    assert numbers[0] == 1 and numbers == sorted(numbers) and numbers[-1] <= len(reader.pages)  # type: ignore[attr-defined]


def test_pdf_has_no_responder_names_and_embeds_fonts(full_pdf: bytes) -> None:
    reader, text = read(full_pdf)
    incident = load(FIXTURES / "full.yml")
    for r in incident.responders:
        assert r.name not in text
        assert r.name.encode() not in full_pdf
    fonts = set()
    for page in reader.pages:  # type: ignore[attr-defined]
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            desc = desc.get_object()
            assert any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]))
    assert any("DejaVu" in f for f in fonts)


def test_pdf_pages_draw_no_dotted_rules(full_pdf: bytes) -> None:
    """WeasyPrint draws a dotted or dashed CSS border dot by dot, each dot a path of four curves.

    The table of contents' six dotted rules once made page 1 of a sample 1.5 MB of drawing
    (20,000 curves; the whole PDF 348 KB instead of 58 KB). Rounded corners, the visual
    timeline's markers and the badges need a few dozen curves a page.
    """
    reader, _ = read(full_pdf)
    for number, page in enumerate(reader.pages, 1):  # type: ignore[attr-defined]
        stream = page.get_contents().get_data()
        curves = len(re.findall(rb"(?m) c$", stream))
        assert curves < 400, f"page {number} draws {curves} curves"
    assert len(full_pdf) < 200_000


def test_before_layout_runs_once_the_html_is_parsed_and_can_stop_the_render() -> None:
    path = FIXTURES / "minimal.yml"
    incident = load(path)
    source = prepare_pdf(incident, options_for(path, incident))
    calls: list[str] = []
    assert finish_pdf(source, before_layout=lambda: calls.append("go")).startswith(b"%PDF-")
    assert calls == ["go"]

    class Stop(Exception):
        pass

    def stop() -> None:
        raise Stop

    with pytest.raises(Stop):
        finish_pdf(source, before_layout=stop)


def test_pdf_is_deterministic() -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    assert render_pdf(incident, options_for(path, incident)) == render_pdf(incident, options_for(path, incident))


def test_a_pdf_made_in_two_halves_across_processes_is_the_same_pdf(full_pdf: bytes) -> None:
    """The CLI makes the HTML in its main process and the PDF in a worker: the bytes do not change."""
    path = FIXTURES / "full.yml"
    incident = load(path)
    source = prepare_pdf(incident, options_for(path, incident))
    assert finish_pdf(pickle.loads(pickle.dumps(source))) == full_pdf


def test_render_warnings_point_at_the_callers_line() -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    # pool.svg is not provided (a warning from the view); error-rate.png does not decode (left out).
    options = RenderOptions(as_of=AS_OF, figures={"figures/error-rate.png": b"\x89PNG\r\n\x1a\n broken"})
    for call in (lambda: render_pdf(incident, options), lambda: finish_pdf(prepare_pdf(incident, options))):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            call()
        where = {str(w.message): w.filename for w in caught}
        assert any("pool.svg" in m and "not provided" in m for m in where), where
        assert any("error-rate.png" in m and "cannot be decoded" in m for m in where), where
        assert set(where.values()) == {__file__}


def test_draft_watermark_only_for_drafts(full_pdf: bytes) -> None:
    _, final_text = read(full_pdf)
    assert "DRAFT" not in final_text
    path = FIXTURES / "hostile.yml"
    incident = load(path)
    reader, _ = read(render_pdf(incident, options_for(path, incident)))
    assert all("DRAFT" in (p.extract_text() or "") for p in reader.pages)  # type: ignore[attr-defined]


def _lines_of_text_object(page: Any, text: str) -> int:
    """How many lines (text matrices set) the page's text object showing ``text`` uses."""
    blocks: list[dict[str, Any]] = []

    def before(op: bytes, args: Any, cm: Any, tm: Any) -> None:
        if op == b"BT":
            blocks.append({"tm": 0, "text": ""})
        elif op in (b"Tm", b"Td", b"TD", b"T*") and blocks:
            blocks[-1]["tm"] += 1

    def visit(t: str, *_: Any) -> None:
        if blocks:
            blocks[-1]["text"] += t

    page.extract_text(visitor_operand_before=before, visitor_text=visit)
    return next(b["tm"] for b in blocks if "".join(b["text"].split()) == text)


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_the_draft_watermark_is_one_word_on_one_line(paper: str) -> None:
    """At 110 pt with wide letter spacing it wrapped to DRAF / T on both papers."""
    path = FIXTURES / "hostile.yml"
    incident = load(path)
    options = options_for(path, incident, paper=paper)
    reader, _ = read(render_pdf(incident, options))
    assert all(_lines_of_text_object(page, "DRAFT") == 1 for page in reader.pages)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("paper", "size"), [("a4", (595, 842)), ("letter", (612, 792))])
def test_paper_size(paper: str, size: tuple[int, int]) -> None:
    path = FIXTURES / "minimal.yml"
    incident = load(path)
    reader, _ = read(render_pdf(incident, options_for(path, incident, paper=paper)))
    box = reader.pages[0].mediabox  # type: ignore[attr-defined]
    assert (round(float(box.width)), round(float(box.height))) == size


def test_executive_pdf_is_one_or_two_pages() -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    reader, text = read(render_pdf(incident, options_for(path, incident, "executive")))
    assert 1 <= len(reader.pages) <= 2  # type: ignore[attr-defined]
    assert "Timeline" not in text and "AI-3" not in text


def test_public_pdf_leaves_out_internal_content() -> None:
    path = FIXTURES / "full.yml"
    incident = load(path)
    reader, text = read(render_pdf(incident, options_for(path, incident, "public")))
    flat = " ".join(text.split())
    for hidden in ("Renegotiate", "Vendor contract", "Database platform team", "Priya Raman", "Responders"):
        assert hidden not in flat
    assert "Public" in reader.metadata.title or "Public" in flat  # type: ignore[attr-defined]


@pytest.mark.parametrize(("variant", "marker"), [("pdf/a-3b", b"pdfaid:part"), ("pdf/ua-1", b"pdfuaid:part")])
def test_pdf_variants(variant: str, marker: bytes) -> None:
    path = FIXTURES / "minimal.yml"
    incident = load(path)
    pdf = render_pdf(incident, options_for(path, incident, pdf_variant=variant))
    reader, _ = read(pdf)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()  # type: ignore[attr-defined]
    assert marker in xmp


@pytest.mark.slow
@pytest.mark.parametrize("path", sample_paths(), ids=lambda p: p.stem)
def test_sample_pdfs(path: Path) -> None:
    incident = load(path)
    reader, text = read(render_pdf(incident, options_for(path, incident)))
    flat = " ".join(text.split())
    n = len(reader.pages)  # type: ignore[attr-defined]
    assert 2 <= n <= 12
    assert " ".join(incident.title.split())[:40] in flat
    assert f"page {n} of {n}" in flat
    authors_etc = set(incident.authors) | set(incident.reviewers) | {a.owner for a in incident.action_items if a.owner}
    for r in incident.responders:
        if r.name not in authors_etc:
            assert r.name not in flat


@pytest.mark.slow
def test_phase_labels_stay_whole_in_the_timeline_column() -> None:
    """The longest phase label fits its column on one line ("Communica" / "te" was once printed)."""
    path = next(p for p in sample_paths() if p.stem == "cdn-config-push")
    incident = load(path)
    assert any(e.phase == "communicate" for e in incident.timeline)
    _, text = read(render_pdf(incident, options_for(path, incident)))
    lines = [line.strip() for line in text.splitlines()]
    assert any("Communicate" in line for line in lines)
    assert not any(line.endswith("Communica") for line in lines)


_MAPPED_LIBRARIES = """
import ctypes.util, io, sys
original = ctypes.util.find_library
if sys.argv[1] == "quick":
    from postmortem.render.pdf import import_weasyprint
    import_weasyprint()
from weasyprint import HTML
HTML(string="<p>text <b>bold</b> <code>code</code></p>").write_pdf(target=io.BytesIO())
print("RESTORED", ctypes.util.find_library is original)
print("\\n".join(sorted({line.split()[-1] for line in open("/proc/self/maps") if ".so" in line})))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="the quick import is Linux-only")
def test_the_quick_weasyprint_import_loads_the_same_libraries() -> None:
    """Skipping the library searches must not change which Pango, HarfBuzz or fontconfig is loaded."""
    runs = {
        how: subprocess.run([sys.executable, "-c", _MAPPED_LIBRARIES, how], capture_output=True, text=True, timeout=120)
        for how in ("quick", "plain")
    }
    assert runs["quick"].returncode == 0, runs["quick"].stderr
    assert runs["quick"].stdout.startswith("RESTORED True\n")
    assert "libpango" in runs["quick"].stdout and "libharfbuzz" in runs["quick"].stdout
    assert runs["quick"].stdout == runs["plain"].stdout


def test_the_quick_import_falls_back_to_the_ordinary_one(tmp_path: Path) -> None:
    """A WeasyPrint that needs the searches still imports, and the first attempt's banner stays quiet."""
    (tmp_path / "weasyprint.py").write_text(
        "import ctypes.util\n"
        "if ctypes.util.find_library('c') is None:\n"
        "    print('WeasyPrint could not import some external libraries')\n"
        "    raise OSError('cannot load library')\n"
        "READY = True\n"
    )
    code = (
        "import ctypes.util, sys\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "original = ctypes.util.find_library\n"
        "from postmortem.render.pdf import import_weasyprint\n"
        "import_weasyprint()\n"
        "import weasyprint\n"
        "print('READY', weasyprint.READY, ctypes.util.find_library is original)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert proc.stdout == "READY True True\n", (proc.stdout, proc.stderr)


@pytest.mark.parametrize(
    ("sample", "paper", "tz"),
    [("cdn-config-push", "a4", None), ("db-connection-pool-exhaustion", "letter", "Europe/Paris")],
)
def test_no_page_holds_only_the_closing_lines(sample: str, paper: str, tz: str | None) -> None:
    """These two samples ended on a page with only the document's footer (or the overdue note and
    the footer) on it, and the responders' lead-in sat at the foot of a page with its table on the next."""
    from .helpers import SAMPLES

    path = SAMPLES / f"{sample}.yml"
    incident = load(path)
    reader, _ = read(render_pdf(incident, options_for(path, incident, paper=paper, tz=tz)))
    pages = [page.extract_text() or "" for page in reader.pages]  # type: ignore[attr-defined]
    closing = ("generated by postmortem", "Overdue relative to", "page ", incident.id)
    body = [line for line in pages[-1].splitlines() if line.strip() and not any(c in line for c in closing)]
    assert body, pages[-1]
    lead_in = next(p for p in pages if "took part, listed by role." in p)
    assert "Incident commander" in lead_in  # the table's first row is on the same page


def test_the_executive_version_lists_the_most_urgent_items_and_warns_past_two_pages(tmp_path: Path) -> None:
    from postmortem.render.context import EXECUTIVE_ITEMS, build_view
    from postmortem.render.html import RenderWarning

    from .helpers import SAMPLES

    text = (SAMPLES / "cdn-config-push.yml").read_text(encoding="utf-8")
    extra = "".join(
        f"  - id: EX-{n}\n    title: Add a synthetic check of cached pages in region {n}\n    type: detect\n"
        f"    owner: edge-delivery\n    priority: P1\n    due: 2026-12-{n + 10}\n    status: open\n"
        for n in range(EXECUTIVE_ITEMS)
    )
    path = tmp_path / "many.yml"
    path.write_text(text.replace("action_items:\n", "action_items:\n" + extra, 1), encoding="utf-8")
    incident = load(path)
    view = build_view(incident, options_for(path, incident, "executive"))
    urgent = [a for a in incident.action_items if a.priority in ("P0", "P1") and a.status in ("open", "in-progress")]
    assert len(urgent) > EXECUTIVE_ITEMS == len(view.action_items)
    assert view.action_items_note == (
        f"The {EXECUTIVE_ITEMS} most urgent of {len(urgent)} open P0 and P1 action items;"
        " the others are in the full post-mortem."
    )
    long_summary = text.replace("summary: |\n", "summary: |\n  " + "A long summary sentence. " * 400 + "\n\n", 1)
    path.write_text(long_summary, encoding="utf-8")
    incident = load(path)
    with pytest.warns(RenderWarning, match="the executive version runs to [3-9] pages, not one or two"):
        render_pdf(incident, options_for(path, incident, "executive"))


def test_a_wide_table_written_in_a_field_stays_on_the_page(tmp_path: Path) -> None:
    """Twelve columns and a long code span ran off the right edge of the page."""
    header = "| " + " | ".join(f"Col{i}" for i in range(12)) + " |\n|" + "---|" * 12 + "\n"
    row = "| `a_very_long_identifier_in_code_that_cannot_wrap_anywhere_at_all` | " + " | ".join(
        f"v{i}" for i in range(11)
    )
    table = "".join(f"    {line}\n" for line in (header + row + " |").splitlines())
    text = (FIXTURES / "minimal.yml").read_text(encoding="utf-8")
    path = tmp_path / "wide.yml"
    path.write_text(text.replace("summary: ", "summary: |\n" + table + "\n    ", 1), encoding="utf-8")
    incident = load(path)
    pdf = tmp_path / "wide.pdf"
    pdf.write_bytes(render_pdf(incident, options_for(path, incident)))
    if shutil.which("pdftotext") is None:  # .ci/test installs poppler-utils
        pytest.skip("needs pdftotext (poppler-utils) for word boxes")
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))  # type: ignore[union-attr]
    right = max(float(x) for x in re.findall(r'xMax="([\d.]+)"', boxes))
    assert right <= width - 20, (right, width)
