"""Rule cases kept as data, one YAML file per rule (``tests/lint/cases/RULE.yml``), as sqlfluff does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from lintcheck import lint, positions

from postmortem.lint import RULES, fix_text, lint_markdown
from postmortem.lint.markdown import parse_markdown
from postmortem.source import SourceFile
from postmortem.yamlio import parse

CASES = Path(__file__).parent / "cases"


def load() -> list[Any]:
    out = []
    for path in sorted(CASES.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for case in data["cases"]:
            out.append(pytest.param(data["rule"], case, id=f"{data['rule']}: {case['name']}"))
    return out


def test_every_rule_has_cases() -> None:
    assert {p.stem for p in CASES.glob("*.yml")} == {r.name for r in RULES}


@pytest.mark.parametrize(("rule", "case"), load())
def test_case(rule: str, case: dict[str, Any]) -> None:
    name = "draft.md" if case.get("markdown") else "incident.yml"
    source = case["source"]
    diags = lint(source, name=name)
    expected = [] if case.get("pass") else [tuple(p) for p in case["fail"]]
    assert positions(diags, rule) == expected, [d.format() for d in diags]
    if "fix" in case:
        src = SourceFile(name, source)
        if case.get("markdown"):
            fixed, _ = fix_text(source, lint_markdown(src), parse_markdown(src).front_matter)
        else:
            fixed, _ = fix_text(source, diags, parse(src))
        assert fixed == case["fix"]
