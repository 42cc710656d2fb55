"""Test helpers that read like the spec: ``check(source, rule, problems=[(line, col)])``."""

from __future__ import annotations

import textwrap

from postmortem.diagnostics import Diagnostic
from postmortem.lint import LintConfig, lint_document, lint_markdown
from postmortem.source import SourceFile
from postmortem.yamlio import parse

ROSTER = """\
responders:
  - name: Dana Whitfield
    role: incident-commander
    handle: "@dwhit"
    email: dana@example.com
  - name: Sam Rivera
    role: on-call-engineer
"""


# A minimal incident with no people in its narrative, for the fix tests.
INCIDENT = """\
id: INC-2026-001
title: Payments outage
status: draft
severity: high
authors:
  - sre-team
created: 2026-03-14
summary: Payments failed for an hour.
impact:
  description: Checkout errors.
  started_at: 2026-03-14T10:00:00Z
detection:
  method: alert
  text: The error-rate alert fired.
"""


def lint(source: str, *, name: str = "incident.yml", config: LintConfig | None = None) -> list[Diagnostic]:
    src = SourceFile(name, textwrap.dedent(source) if source.startswith("\n") else source)
    if name.endswith(".md"):
        return lint_markdown(src, config)
    return lint_document(parse(src), config)


def positions(diags: list[Diagnostic], rule: str | None = None) -> list[tuple[int, int]]:
    return [(d.start.line, d.start.column) for d in diags if rule is None or rule in (d.rule, d.code)]


def check(
    source: str,
    rule: str,
    problems: list[tuple[int, int]],
    *,
    name: str = "incident.yml",
    config: LintConfig | None = None,
) -> list[Diagnostic]:
    """Lint ``source`` and assert that ``rule`` fires exactly at ``problems`` (1-based line, column)."""
    diags = lint(source, name=name, config=config)
    assert positions(diags, rule) == problems, [d.format() for d in diags]
    return diags


def matched(diags: list[Diagnostic], rule: str) -> list[str]:
    return [d.source.text[d.span.start : d.span.end] for d in diags if rule in (d.rule, d.code)]
