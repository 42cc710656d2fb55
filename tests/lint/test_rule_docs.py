"""Rule docs: required sections, executed examples, and docs/rules/ kept current."""

from __future__ import annotations

from pathlib import Path

import pytest
from lintcheck import lint

from postmortem.lint import RULES, LintConfig
from postmortem.lint.docs import first_code_block, pages, rule_page, section
from postmortem.lint.rule import Rule

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules"
SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "Options")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_rule_identity(rule: Rule) -> None:
    assert rule.name == rule.name.lower() and " " not in rule.name
    assert rule.code.startswith("PM") and len(rule.code) == 5
    assert [line[3:] for line in rule.doc.splitlines() if line.startswith("## ")] == list(SECTIONS)


def test_codes_and_names_unique() -> None:
    keys = [k for r in RULES for k in (r.code, r.name, *r.aliases)]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_example_triggers_and_use_instead_does_not(rule: Rule) -> None:
    example = first_code_block(section(rule.doc, "Example"))
    instead = first_code_block(section(rule.doc, "Use instead"))
    assert example and instead
    config = LintConfig(select=("all",) if rule.code.startswith("PM9") else (rule.name,))
    assert rule.name in {d.rule for d in lint(example, config=config)}
    assert rule.name not in {d.rule for d in lint(instead, config=config)}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_options_documented(rule: Rule) -> None:
    opts = section(rule.doc, "Options")
    for name, _type, _default, doc in rule.option_fields():
        assert f"`{name.replace('_', '-')}`" in opts
        assert doc


def test_docs_rules_are_current() -> None:
    """Regenerate with: python -m postmortem.lint.docs docs/rules"""
    expected = pages()
    on_disk = {p.name: p.read_text(encoding="utf-8") for p in DOCS.glob("*.md")}
    assert on_disk == expected


def test_rules_command_prints_the_docs_page() -> None:
    from typer.testing import CliRunner

    from postmortem.cli.app import app

    runner = CliRunner()
    for rule in RULES:
        result = runner.invoke(app, ["rules", rule.name])
        assert result.exit_code == 0
        assert result.stdout == rule_page(rule) == (DOCS / f"{rule.name}.md").read_text(encoding="utf-8")
    listing = runner.invoke(app, ["rules"])
    assert all(r.code in listing.stdout and r.name in listing.stdout for r in RULES)
    assert runner.invoke(app, ["rules", "nope"]).exit_code == 2
