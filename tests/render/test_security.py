"""Hostile input, each case proven harmless in HTML and in the PDF."""

from __future__ import annotations

import os
import re
import shutil
import warnings
from pathlib import Path

import pytest

from postmortem.render import render_html, render_markdown, render_pdf
from postmortem.render.fetcher import FetchLog, RefusedResource, collect_figures, read_inside
from postmortem.render.options import RenderOptions
from postmortem.render.pdf import html_to_pdf

from .helpers import AS_OF, FIXTURES, load

pypdf = pytest.importorskip("pypdf")


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("hostile")
    shutil.copy(FIXTURES / "hostile.yml", d / "hostile.yml")
    (d / "figures").mkdir()
    shutil.copy(FIXTURES / "figures" / "not-an-image.png", d / "figures" / "not-an-image.png")
    os.symlink("/etc/passwd", d / "figures" / "link-out.png")
    return d


@pytest.fixture(scope="module")
def rendered(hostile_dir: Path) -> dict[str, object]:
    path = hostile_dir / "hostile.yml"
    incident = load(path)
    figures, refusals = collect_figures(incident, hostile_dir)
    options = RenderOptions(as_of=AS_OF, figures=figures)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pdf = render_pdf(incident, options)
        html = render_html(incident, options)
        md = render_markdown(incident, options)
    text = "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(__import__("io").BytesIO(pdf)).pages)
    return {
        "html": html,
        "md": md,
        "pdf_text": text,
        "pdf": pdf,
        "figures": figures,
        "refusals": refusals,
    }


def test_symlink_out_of_the_folder_is_refused(rendered: dict[str, object]) -> None:
    # a text file inside the folder, named .png, is read and left out as no image: no figure is kept
    assert rendered["figures"] == {}
    refusals = " ".join(rendered["refusals"])  # type: ignore[arg-type]
    assert "link-out.png" in refusals and "outside" in refusals
    assert "missing.png" in refusals
    assert "'figures/not-an-image.png' left out: it is not a PNG, JPEG, GIF, WebP or SVG image" in refusals


@pytest.mark.parametrize("key", ["html", "pdf_text", "md"])
def test_no_file_content_leaks(rendered: dict[str, object], key: str) -> None:
    out = rendered[key]
    assert isinstance(out, str)
    assert "root:x:0:0" not in out
    assert "cm9vdDp4OjA6MDpyb290" not in out  # base64 of the same


def test_script_in_fields_is_text_not_markup(rendered: dict[str, object]) -> None:
    html = rendered["html"]
    assert isinstance(html, str)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt;" in html or "&lt;script&gt;alert('summary')" in html
    assert "<iframe" not in html and "onerror=" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    # In the PDF the same text is printed literally (data, never markup).
    assert "<script>alert('summary')</script>" in str(rendered["pdf_text"]).replace("\n", " ")
    md = rendered["md"]
    assert isinstance(md, str)
    body = md.split("\n---\n", 1)[1]  # after the front matter (YAML strings are data)
    assert not re.search(r"(?<!\\)<(script|iframe|img)", body)


def test_javascript_and_data_links_are_dropped(rendered: dict[str, object]) -> None:
    html = str(rendered["html"])
    for bad in ('href="javascript', 'href="data:', 'href="vbscript', 'href="file:'):
        assert bad not in html
    assert 'href="https://example.com/ok"' in html
    md = str(rendered["md"])
    assert "](javascript:" not in md and "](data:" not in md and "](vbscript:" not in md


def test_template_syntax_in_a_field_is_never_evaluated(rendered: dict[str, object]) -> None:
    for key in ("html", "md", "pdf_text"):
        out = str(rendered[key])
        assert "{{ 7*7 }}" in out or "{{ 7\\*7 }}" in out, key
        visible = re.sub(r"<style>.*?</style>|data:[^\"]*|#[0-9a-f]{6}", "", out, flags=re.DOTALL)
        assert not re.search(r"(?<![\d.])49(?![\d.])", visible), key
        assert "{% raw %}x{% endraw %}" in out.replace("\n", " ") or key == "pdf_text"


def test_markdown_images_in_fields_are_not_loaded(rendered: dict[str, object]) -> None:
    html = str(rendered["html"])
    assert "evil.example.com/track.png" not in html
    assert '<img src="file:' not in html and '<img src="http' not in html


def test_pdf_from_hostile_input_is_a_pdf(rendered: dict[str, object]) -> None:
    assert bytes(rendered["pdf"]).startswith(b"%PDF-")  # type: ignore[call-overload]


# --- the sandboxed reader ------------------------------------------------------------


@pytest.mark.parametrize(
    "relative",
    [
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/x.png",
        "/etc/passwd",
        "../x.png",
        "a/../../x.png",
        "C:/x.png",
        "data:image/png;base64,AA==",
    ],
)
def test_read_inside_refuses_escapes(tmp_path: Path, relative: str) -> None:
    (tmp_path / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    inner = tmp_path / "inner"
    inner.mkdir()
    with pytest.raises(RefusedResource):
        read_inside(inner, relative, 1000)


def test_read_inside_refuses_oversized_and_non_regular(tmp_path: Path) -> None:
    (tmp_path / "big.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 2000)
    with pytest.raises(RefusedResource, match="limit"):
        read_inside(tmp_path, "big.png", 1000)
    assert read_inside(tmp_path, "big.png", 5000).startswith(b"\x89PNG")
    (tmp_path / "dir.png").mkdir()
    with pytest.raises(RefusedResource):
        read_inside(tmp_path, "dir.png", 1000)


def test_read_inside_allows_symlinks_that_stay_inside(tmp_path: Path) -> None:
    (tmp_path / "real.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    os.symlink(tmp_path / "real.png", tmp_path / "alias.png")
    assert read_inside(tmp_path, "alias.png", 100) == b"\x89PNG\r\n\x1a\n"


# --- the WeasyPrint fetcher ------------------------------------------------------------


def test_pdf_fetcher_refuses_files_and_network_with_warnings(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-CONTENT")
    html = f"""<!DOCTYPE html><html lang="en"><head><title>t</title>
    <link rel="stylesheet" href="file://{secret}">
    <link rel="stylesheet" href="../../../../../../etc/passwd">
    </head><body><h1>Hello</h1>
    <img src="file:///etc/passwd" alt="a"><img src="http://127.0.0.1:9/x.png" alt="b">
    <img src="https://example.com/x.png" alt="c"><img src="ftp://example.com/x.png" alt="d">
    <iframe src="file:///etc/passwd"></iframe><object data="file:///etc/hostname"></object>
    <p style="background: url(file:///etc/passwd)">{secret.read_text()[:3]}</p>
    </body></html>"""
    messages: list[str] = []
    pdf = html_to_pdf(html, RenderOptions(), log_messages=messages)
    text = "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(__import__("io").BytesIO(pdf)).pages)
    assert "TOPSECRET-CONTENT" not in text and "root:x:0:0" not in text
    joined = "\n".join(messages)
    # long URLs are shortened to 77 characters in the warning, and tmp_path may be long
    secret_url = f"file://{secret}"[:77]
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.com/x.png", secret_url):
        assert url in joined, url
    assert all(m.startswith("refused to load") for m in messages)


def test_pdf_fetcher_bounds_data_images() -> None:
    import base64

    big = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"0" * 4000).decode()
    html = f'<html lang="en"><body><img src="data:image/png;base64,{big}" alt="x"></body></html>'
    messages: list[str] = []
    html_to_pdf(html, RenderOptions(max_image_bytes=1000), log_messages=messages)
    assert any("over the limit" in m for m in messages)


def test_fetch_log_type() -> None:
    assert FetchLog().refused == []


def test_css_injection_in_the_running_header_is_inert(rendered: dict[str, object]) -> None:
    """The confidentiality label goes into a CSS string; quotes and braces stay text on every page."""
    reader = pypdf.PdfReader(__import__("io").BytesIO(rendered["pdf"]))  # type: ignore[arg-type]
    label = 'Secret "; } body { display: none } /*'
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert label in " ".join((page.extract_text() or "").split())
    assert "Summary" in str(rendered["pdf_text"])  # the body is still there


def _png_with_garbage_pixels() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 100, 100, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"\x00garbage" * 10) + chunk(b"IEND", b"")


def test_a_png_whose_pixels_cannot_be_decoded_is_left_out_of_every_format(tmp_path: Path) -> None:
    """Its chunks are valid, so Pillow's verify passed it, and the PDF showed a black square without a word."""
    import weasyprint  # noqa: F401 - it tells Pillow to fill broken images in, for the whole process
    from PIL import ImageFile

    from postmortem.render.fetcher import collect_figures
    from postmortem.render.images import figure_problem

    data = _png_with_garbage_pixels()
    assert ImageFile.LOAD_TRUNCATED_IMAGES
    assert figure_problem(data) == "the image cannot be decoded (OSError)"
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # WeasyPrint's setting is left as it was
    path = FIXTURES / "full.yml"
    incident = load(path)
    (tmp_path / "figures").mkdir()
    for fig in incident.figures:
        (tmp_path / fig.path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / fig.path).write_bytes(data)
    figures, refusals = collect_figures(incident, tmp_path)
    assert figures == {}
    assert all("left out: the image cannot be decoded" in r for r in refusals) and refusals
