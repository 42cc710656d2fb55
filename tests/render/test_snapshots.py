"""Snapshots of the Markdown and HTML of every fixture and sample, for every audience.

Options are fixed (as_of, tz) so that nothing depends on the day the tests run.
After an intended change: ``pytest tests/render --snapshot-update`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from syrupy.assertion import SnapshotAssertion

from postmortem.render import render_html, render_markdown

from .helpers import AUDIENCES, fixture_paths, load, options_for, sample_paths, strip_style

DOCS = [*fixture_paths(), *sample_paths()]


def _id(p: Path) -> str:
    kind = "sample" if p.parent.name == "samples" else "fixture"
    return f"{kind}-{p.stem}"


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("path", DOCS, ids=_id)
def test_markdown_snapshot(path: Path, audience: str, md_snapshot: SnapshotAssertion) -> None:
    incident = load(path)
    assert render_markdown(incident, options_for(path, incident, audience)) == md_snapshot


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("path", DOCS, ids=_id)
def test_html_snapshot(path: Path, audience: str, html_snapshot: SnapshotAssertion) -> None:
    incident = load(path)
    assert strip_style(render_html(incident, options_for(path, incident, audience))) == html_snapshot
