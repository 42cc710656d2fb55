"""Markdown drafts: which parts are prose."""

from __future__ import annotations

from postmortem.lint import lint_markdown
from postmortem.source import SourceFile


def test_people_columns_of_a_table_are_not_narrative() -> None:
    """An Owner (or Author, Reviewer, Assignee, Responder) column holds people by design; the
    other cells of the same row are still prose and still linted."""
    text = (
        "# Action items\n\n"
        "| Item | **Owner** | Due |\n"
        "|---|---|---|\n"
        "| Add a pool alert | Dana Whitfield | 2026-04-01 |\n"
        "| Ask Dana Whitfield to be careful \\| later | payments | 2026-05-01 |\n"
    )
    found = [(d.rule, d.start.line, d.start.column) for d in lint_markdown(SourceFile("d.md", text))]
    assert all(line != 5 for _, line, _ in found), found
    assert any(rule == "person-mention" and line == 6 and col == 7 for rule, line, col in found), found
