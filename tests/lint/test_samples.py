"""The shipped samples: the blameless ones lint clean, the blameful ones trigger every rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from postmortem.lint import RULES, lint_source
from postmortem.source import SourceFile

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted([*ROOT.glob("samples/*.yml"), *ROOT.glob("samples/*.yaml"), *ROOT.glob("samples/*.json")])


def lint_file(path: Path) -> list[tuple[str, int, int]]:
    src = SourceFile(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
    return [(d.code, d.start.line, d.start.column) for d in lint_source(src)]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_sample_lints_clean(path: Path) -> None:
    assert lint_file(path) == []


# The findings the blameful samples must produce, at these positions (the detectors may add
# more; every listed one must be there, and every rule must appear in each file).
BLAMEFUL_YAML = [
    ("PM902", 3, 1),  # unused suppression
    ("PM101", 6, 34),  # title: "caused by Dana"
    ("PM101", 15, 3),  # block scalar: Dana Whitfield
    ("PM201", 16, 12),  # human error
    ("PM301", 16, 43),  # TODO
    ("PM303", 24, 11),  # customer-report, no detect action
    ("PM102", 25, 37),  # @mkowalski in a double-quoted multi-line scalar
    ("PM101", 36, 12),  # 'Dana''s' in a single-quoted scalar
    ("PM101", 39, 11),  # Sam in a multi-line plain scalar
    ("PM101", 39, 25),  # Dana
    ("PM202", 40, 7),  # should have
    ("PM901", 43, 5),  # suppression without a reason
    ("PM201", 45, 12),  # careless
    ("PM102", 46, 57),  # email
    ("PM302", 47, 1),  # what_went_well: []
    ("PM202", 49, 26),  # failed to
    ("PM203", 51, 12),  # Remind
    ("PM203", 54, 12),  # Retrain
    ("PM101", 54, 20),  # Dana in an action item
]
BLAMEFUL_MD = [
    ("PM303", 8, 11),
    ("PM902", 14, 1),
    ("PM101", 21, 1),
    ("PM102", 21, 46),
    ("PM301", 21, 59),
    ("PM201", 23, 10),
    ("PM201", 23, 31),
    ("PM102", 27, 9),  # chat nickname "tkim:" in a timeline line
    ("PM101", 28, 9),
    ("PM202", 28, 54),
    ("PM302", 34, 1),
    ("PM203", 38, 3),
    ("PM901", 40, 1),
    ("PM901", 41, 1),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("checkout-outage.yml", BLAMEFUL_YAML), ("draft.md", BLAMEFUL_MD)],
)
def test_blameful_samples_trigger_every_rule(name: str, expected: list[tuple[str, int, int]]) -> None:
    found = lint_file(ROOT / "samples" / "blameful" / name)
    missing = [e for e in expected if e not in found]
    assert missing == [], found
    assert {r.code for r in RULES} <= {code for code, _, _ in found}
