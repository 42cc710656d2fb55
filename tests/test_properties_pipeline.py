"""Properties of the whole pipeline: load -> validate -> lint -> render.

* Whatever the input (valid incidents, mutations of them, arbitrary text and
  bytes), the only exception that may escape is :class:`PostmortemError`, and it
  carries a position inside the text.  Every diagnostic's span lies inside the text.
* A valid incident renders to Markdown, HTML and PDF (PDF is slow: few examples in
  the ``ci`` profile).
* ``lint --fix`` changes only the flagged spans.  The lint owners' property
  ``tests/lint/test_fix.py::test_fix_touches_only_flagged_spans`` proves it on
  documents built around names in every scalar style; here the same check runs
  on the generated and mutated incidents of :mod:`tests.strategies`.

Profiles (``tests/conftest.py``): ``ci`` by default; ``HYPOTHESIS_PROFILE=long`` for a long hunt.
"""

from __future__ import annotations

import io
import json
import os
import warnings
from collections.abc import Sequence
from html import escape as html_escape
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem.api import load
from postmortem.diagnostics import Diagnostic, PostmortemError
from postmortem.lint import fix_text, lint_document, lint_markdown
from postmortem.lint.fix import FIXABLE, plan
from postmortem.model.incident import Incident
from postmortem.model.validate import validate
from postmortem.render import RenderOptions, render_html, render_markdown, render_pdf
from postmortem.source import SourceFile
from postmortem.yamlio import ParsedDocument, decode
from tests import strategies as pms

LONG = os.environ.get("HYPOTHESIS_PROFILE", "ci") == "long"
PDF_EXAMPLES = 60 if LONG else 5


def _png() -> bytes:
    """A small valid PNG, so that some generated figures exist."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 3), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


PNG = _png()


def assert_positioned(exc: PostmortemError, text_len: int) -> None:
    d = exc.diagnostic
    assert 0 <= d.span.start <= d.span.end <= max(text_len, len(d.source.text)), d
    pos = d.start
    assert pos.line >= 1 and pos.column >= 1
    line = d.format()
    assert line.startswith(f"{d.source.name}:{pos.line}:{pos.column}: error: "), line
    assert "\n" not in d.message, d.message


def assert_spans_inside(diags: Sequence[Diagnostic], text: str) -> None:
    for d in diags:
        assert 0 <= d.span.start <= d.span.end <= len(text), (d.rule, d.span, len(text), d.message)
        line, col = d.start.line, d.start.column
        assert 1 <= line <= text.count("\n") + 1 and col >= 1, (d.rule, line, col)


def assert_fix_changes_only_flagged_spans(text: str, diags: Sequence[Diagnostic], doc: ParsedDocument | None) -> None:
    """``fix_text`` edits only inside fixable findings' spans; every other character is kept, in order."""
    fixed, count = fix_text(text, diags, doc)
    edits = sorted(plan(text, diags, doc), key=lambda e: e.start)
    assert count == len(edits)
    flagged = [(d.span.start, d.span.end) for d in diags if d.rule in FIXABLE]
    for e in edits:
        assert any(s <= e.start <= e.end <= t for s, t in flagged), (e, flagged)
    i_in = i_out = 0
    for e in edits:
        gap = text[i_in : e.start]
        assert fixed[i_out : i_out + len(gap)] == gap
        assert fixed[i_out + len(gap) : i_out + len(gap) + len(e.text)] == e.text
        i_out += len(gap) + len(e.text)
        i_in = e.end
    assert fixed[i_out:] == text[i_in:]
    if doc is not None and count:
        load(fixed, doc.source.name)  # a fix never breaks a document that parsed


def run_pipeline(data: bytes | str, name: str, *, render: bool = True) -> Incident | None:
    """Load, validate, lint (and fix), render; return the incident when it is valid."""
    text_len = len(data)
    if name.endswith(".md"):
        try:
            source = decode(name, data) if isinstance(data, bytes) else SourceFile(name, data)
            diags = lint_markdown(source)
        except PostmortemError as exc:
            assert_positioned(exc, text_len)
            return None
        assert_spans_inside(diags, source.text)
        assert_fix_changes_only_flagged_spans(source.text, diags, None)
        return None
    try:
        doc = load(data, name)
    except PostmortemError as exc:
        assert_positioned(exc, text_len)
        return None
    text = doc.source.text
    result = validate(doc)
    assert_spans_inside(result.diagnostics, text)
    diags = lint_document(doc)
    assert_spans_inside(diags, text)
    assert_fix_changes_only_flagged_spans(text, diags, doc)
    if result.incident is not None and render:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            render_markdown(result.incident, RenderOptions())
            render_html(result.incident, RenderOptions(audience="public"))
    return result.incident


def figures_for(doc: dict[str, Any]) -> dict[str, bytes]:
    return {f["path"]: PNG for i, f in enumerate(doc.get("figures", [])) if i % 2 == 0}


# --- properties --------------------------------------------------------------------------------


@given(pms.serialized(pms.incidents()))
def test_generated_incidents_are_valid_and_go_through_the_whole_pipeline(case: tuple[str, str]) -> None:
    text, name = case
    incident = run_pipeline(text, name)
    if incident is None:
        result = validate(load(text, name))
        pytest.fail("a generated incident does not validate:\n" + "\n".join(d.format() for d in result.errors))


@given(pms.serialized(pms.mutations()))
def test_mutated_incidents_never_raise_anything_but_positioned_errors(case: tuple[str, str]) -> None:
    text, name = case
    run_pipeline(text, name)


@given(pms.raw_inputs())
def test_arbitrary_input_never_raises_anything_but_positioned_errors(case: tuple[bytes, str]) -> None:
    data, name = case
    run_pipeline(data, name)


@given(st.text(max_size=500))
def test_arbitrary_markdown_drafts_lint_without_crashing(text: str) -> None:
    run_pipeline(text.encode("utf-8", "surrogatepass"), "draft.md")


@given(pms.incidents(), st.sampled_from(["internal", "executive", "public"]))
def test_a_valid_incident_renders_to_markdown_and_html_for_every_audience(doc: dict[str, Any], audience: str) -> None:
    incident = Incident.model_validate(doc)
    options = RenderOptions(audience=audience, figures=figures_for(doc))  # type: ignore[arg-type]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        md = render_markdown(incident, options)
        html = render_html(incident, options)
    assert md.endswith("\n") and md.strip()
    assert html.lstrip().lower().startswith("<!doctype html>")
    assert "<script" not in html.lower()
    if audience == "public":
        # what is marked internal (a link, here) stays out of the customer-facing version
        everything = json.dumps(doc, ensure_ascii=False)
        for link in doc.get("links", []):
            url = link["url"]
            if link.get("internal") and everything.count(json.dumps(url)[1:-1]) == 1:
                assert url not in html and html_escape(url) not in html, url
                assert url not in md, url


@settings(max_examples=PDF_EXAMPLES)
@given(pms.incidents(max_events=4))
def test_a_valid_incident_renders_to_pdf(doc: dict[str, Any]) -> None:
    pypdf = pytest.importorskip("pypdf")
    incident = Incident.model_validate(doc)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pdf = render_pdf(incident, RenderOptions(figures=figures_for(doc)))
    assert pdf.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1


# --- every sample and fixture: the same checks, on real files ---------------------------------

ROOT = Path(__file__).resolve().parents[1]
REAL_FILES = sorted(
    [
        *ROOT.glob("samples/*.yml"),
        *ROOT.glob("samples/*.json"),
        *ROOT.glob("samples/blameful/*"),
        *ROOT.glob("tests/render/fixtures/*.yml"),
        *ROOT.glob("tests/fuzz/seeds/*"),
    ]
)


@pytest.mark.parametrize("path", REAL_FILES, ids=[str(p.relative_to(ROOT)) for p in REAL_FILES])
def test_every_sample_and_fixture_goes_through_the_pipeline_and_fix_keeps_the_rest(path: Path) -> None:
    run_pipeline(path.read_bytes(), path.name)
