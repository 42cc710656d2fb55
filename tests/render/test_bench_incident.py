"""The benchmark's 1,000-event incident renders (valid, no lint error), and its formatting mix is what it says."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from postmortem.api import load, load_incident
from postmortem.diagnostics import Severity
from postmortem.lint import lint_document
from postmortem.model.validate import validate

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_render", ROOT / "bench" / "bench_render.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_render"] = module
    spec.loader.exec_module(module)
    yield module
    del sys.modules["bench_render"]


@pytest.mark.parametrize(("code", "bold"), [(1.0, 1.0), (0.5, 0.02), (0.0, 0.0)])
def test_formatting_shares(bench, code: float, bold: float) -> None:
    source = bench.big_incident_yaml(200, code_share=code, bold_share=bold)
    incident = load_incident(source.encode(), "big.yml")
    texts = [event.text for event in incident.timeline]
    assert len(texts) == 200
    assert sum("`consumer-lag`" in t for t in texts) == round(200 * code)
    assert sum("**above**" in t for t in texts) == round(200 * bold)
    # the same text otherwise: lengths differ only by the markup
    assert max(len(t) for t in texts) - min(len(t) for t in texts) <= len("``****") + 2


def test_the_incidents_render_without_lint_errors(bench) -> None:
    """Else the benchmark would time a refused render."""
    for source in (bench.big_incident_yaml(), bench.big_incident_yaml(code_share=0.5, bold_share=0.02)):
        doc = load(source.encode(), "big.yml")
        assert not validate(doc).errors
        assert [d for d in lint_document(doc) if d.severity is Severity.ERROR] == []


def test_samples_formatting_is_measured_from_the_samples(bench) -> None:
    code, bold = bench.samples_formatting()
    assert 0 < code < 1 and 0 <= bold < 1
