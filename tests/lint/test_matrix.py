"""Every text rule, in every scalar style and in Markdown, at the exact position of its words.

The expected position is where the trigger phrase sits in the source, found by searching the
generated source itself, so the cases cannot drift from the inputs.
"""

from __future__ import annotations

import pytest
from lintcheck import ROSTER, lint

from postmortem.source import SourceFile

# rule -> (field, sentence before, trigger phrase, sentence after)
TRIGGERS = {
    "named-individual": ("summary", "After the alert fired,", "Dana", "restarted the primary database."),
    "person-mention": ("summary", "After the alert fired we paged", "@mkowalski", "about the primary database."),
    "blame-language": ("trigger", "The outage began with a", "careless", "change to the gateway timeout."),
    "counterfactual": ("resolution", "Looking back, the on-call engineer", "should have", "checked replica lag."),
    "action-item-quality": ("title", "Going forward,", "be more careful", "when editing gateway settings."),
    "placeholder": ("summary", "The customer impact is still", "TBD", "pending the billing export."),
}


def scalar(style: str, before: str, phrase: str, after: str, indent: str) -> str:
    """The YAML for one scalar value (after ``key:``), with the phrase on a continuation line where possible."""
    if style == "plain":
        return f" {before} {phrase} {after}"
    if style == "plain-multiline":
        return f" {before}\n{indent}  and so {phrase} {after}"
    if style == "single":
        return f" 'Per the ''runbook'': {before}\n{indent}  {phrase} {after}'"
    if style == "double":
        return f' "{before} \\"quoted\\"\\t\n{indent}  \\u00e9 {phrase} {after}"'
    if style == "literal":
        return f" |\n{indent}  {before}\n{indent}  {phrase} {after}\n"
    if style == "folded":
        return f" >\n{indent}  {before}\n{indent}    more indented\n{indent}  {phrase} {after}\n"
    raise AssertionError(style)


STYLES = ["plain", "plain-multiline", "single", "double", "literal", "folded"]


def document(rule: str, style: str) -> str:
    field, before, phrase, after = TRIGGERS[rule]
    if field == "title":
        value = scalar(style, before, phrase, after, "    ")
        return ROSTER + f"action_items:\n  - type: process\n    title:{value}\n"
    return ROSTER + f"{field}:{scalar(style, before, phrase, after, '')}\n"


def where(text: str, phrase: str, start: int = 0) -> tuple[int, int]:
    offset = text.index(phrase, start)
    return SourceFile("x", text).line_col(offset)


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("rule", list(TRIGGERS))
def test_rule_position_in_every_yaml_style(rule: str, style: str) -> None:
    text = document(rule, style)
    phrase = TRIGGERS[rule][2]
    expected = where(text, phrase, len(ROSTER))
    found = [(d.start.line, d.start.column) for d in lint(text) if d.rule == rule]
    assert found == [expected], text


@pytest.mark.parametrize("rule", list(TRIGGERS))
def test_rule_position_in_markdown(rule: str) -> None:
    field, before, phrase, after = TRIGGERS[rule]
    heading = "## Action items\n\n- " if field == "title" else "## Notes\n\n"
    text = (
        "---\nresponders:\n  - name: Dana Whitfield\n    role: incident-commander\n---\n"
        f"# Incident\n\n{heading}{before}\n  `code` then {phrase} {after}\n"
    )
    expected = where(text, phrase, text.index("# Incident"))
    found = [(d.start.line, d.start.column) for d in lint(text, name="draft.md") if d.rule == rule]
    assert found == [expected], text
