"""Every rule fires at the exact line and column, in every scalar style and in Markdown."""

from __future__ import annotations

import pytest
from lintcheck import ROSTER, check, matched

# (source, rule, [(line, col)], matched text)
YAML_CASES = [
    pytest.param(
        ROSTER + "summary: Dana restarted the database.\n", "named-individual", [(8, 10)], ["Dana"], id="plain"
    ),
    pytest.param(
        ROSTER + "summary: |\n  The deploy went out.\n  Then Dana's fix landed.\n",
        "named-individual",
        [(10, 8)],
        ["Dana"],
        id="literal",
    ),
    pytest.param(
        ROSTER + "summary: >-\n  The deploy went out and\n    then Sam Rivera rolled back.\n",
        "named-individual",
        [(10, 10)],
        ["Sam Rivera"],
        id="folded-more-indented",
    ),
    pytest.param(
        ROSTER + "summary: 'It''s done: Whitfield\n  restarted it.'\n",
        "named-individual",
        [(8, 23)],
        ["Whitfield"],
        id="single-quoted-escape",
    ),
    pytest.param(
        ROSTER + 'summary: "A \\"quoted\\" line,\n  \\u00e9 then dana restarted."\n',
        "named-individual",
        [(9, 15)],
        ["dana"],
        id="double-quoted-escapes",
    ),
    pytest.param(
        ROSTER + "summary: The deploy went out\n  and then\n\n  @dwhit restarted it.\n",
        "named-individual",
        [(11, 3)],
        ["@dwhit"],
        id="plain-multiline-handle",
    ),
    pytest.param("summary: Paged @mkowalski about it.\n", "person-mention", [(1, 16)], ["@mkowalski"], id="handle"),
    pytest.param(
        "timeline:\n  - at: 2026-03-14T10:00:00Z\n    text: >\n      Asked ana.silva@example.org\n      for access.\n",
        "person-mention",
        [(4, 13)],
        ["ana.silva@example.org"],
        id="email-folded",
    ),
    pytest.param("trigger: |\n  A careless change.\n", "blame-language", [(2, 5)], ["careless"], id="blame-literal"),
    pytest.param(
        'resolution: "It was human\n  error."\n',
        "blame-language",
        [(1, 21)],
        ["human\n  error"],
        id="blame-across-fold",
    ),
    pytest.param(
        "what_went_wrong:\n  - The on-call engineer should have checked the lag.\n",
        "counterfactual",
        [(2, 26)],
        None,
        id="counterfactual",
    ),
    pytest.param(
        "action_items:\n  - title: Be more careful with deploys\n    type: process\n",
        "action-item-quality",
        [(2, 12)],
        None,
        id="action-item",
    ),
    pytest.param("resolution: |\n  TBD\n", "placeholder", [(2, 3)], ["TBD"], id="placeholder-block"),
    pytest.param("authors:\n  - TODO Your Name\n", "placeholder", [(2, 5)], ["TODO"], id="placeholder-people-field"),
    pytest.param(
        "summary: see ??? and lorem ipsum\n", "placeholder", [(1, 14), (1, 22)], ["???", "lorem ipsum"], id="qq-lorem"
    ),
    pytest.param(
        "status: final\nwhat_went_well: []\n", "missing-what-went-well", [(2, 1)], None, id="what-went-well-empty"
    ),
    pytest.param("status: final\n", "missing-what-went-well", [(1, 1)], None, id="what-went-well-absent"),
    pytest.param(
        "detection:\n  method: customer-report\n  text: Tickets.\n",
        "detect-action-missing",
        [(2, 11)],
        None,
        id="detect-action",
    ),
]


@pytest.mark.parametrize(("source", "rule", "problems", "texts"), YAML_CASES)
def test_yaml_positions(source: str, rule: str, problems: list[tuple[int, int]], texts: list[str] | None) -> None:
    diags = check(source, rule, problems)
    if texts is not None:
        assert matched(diags, rule) == texts


def test_json_positions() -> None:
    src = (
        '{\n  "responders": [{"name": "Dana Whitfield", "role": "scribe"}],\n  "summary": "Tab\\there: Dana left."\n}\n'
    )
    diags = check(src, "named-individual", [(3, 26)], name="incident.json")
    assert matched(diags, "named-individual") == ["Dana"]


MD_FRONT = """\
---
responders:
  - name: Dana Whitfield
    role: incident-commander
---
"""


@pytest.mark.parametrize(
    ("body", "rule", "problems"),
    [
        ("# Summary\n\nIt broke. Dana restarted it.\n", "named-individual", [(9, 11)]),
        ("- 10:02 first\n- 10:05 Whitfield paged @tkim\n", "person-mention", [(8, 25)]),
        ("> A quote: human error.\n", "blame-language", [(7, 12)]),
        ("| when | what |\n|---|---|\n| 10:02 | a careless push |\n", "blame-language", [(9, 13)]),
        ("Text\n\n## Action items\n\n1. Retrain the operators.\n", "action-item-quality", [(11, 4)]),
        ("Not an action: be more careful.\n", "action-item-quality", []),
        ("## TODO\n", "placeholder", [(7, 4)]),
    ],
)
def test_markdown_positions(body: str, rule: str, problems: list[tuple[int, int]]) -> None:
    check(MD_FRONT + "\n" + body, rule, problems, name="draft.md")


def test_markdown_without_front_matter() -> None:
    check("# Draft\n\nPaged @tkim and jo@example.com.\n", "person-mention", [(3, 7), (3, 17)], name="draft.md")


def test_markdown_final_without_what_went_well() -> None:
    src = "---\nstatus: final\n---\n# T\n\n## What went well\n\n## What went wrong\n\nThings.\n"
    check(src, "missing-what-went-well", [(6, 1)], name="draft.md")
    ok = src.replace("## What went wrong", "The alert fired.\n\n## What went wrong")
    check(ok, "missing-what-went-well", [], name="draft.md")


def test_column_unit_is_code_points() -> None:
    # Astral characters count as one column internally; SARIF converts to UTF-16.
    diags = check(ROSTER + "summary: 🔥🔥 Dana left.\n", "named-individual", [(8, 13)])
    d = diags[0]
    assert d.source.utf16_column(8, 13) == 15


def test_yaml_alias_reported_once_at_the_anchor() -> None:
    src = ROSTER + "summary: &s Dana restarted it.\nresolution: *s\n"
    check(src, "named-individual", [(8, 13)])


@pytest.mark.parametrize(
    ("name", "source", "where"),
    [
        ("incident.yml", "summary: Fine.\nsummary: It was human error.\n", (2, 1)),
        ("incident.json", '{"summary": "Fine.", "summary": "It was human error."}', (1, 22)),
        ("draft.md", "---\nsummary: Fine.\nsummary: It was human error.\n---\n# Notes\n", (3, 1)),
    ],
)
def test_a_duplicate_key_hides_its_value_from_lint_so_lint_fails_on_it(
    name: str, source: str, where: tuple[int, int]
) -> None:
    """Most readers keep a duplicate's last value, which lint never sees: the duplicate is an error of its own."""
    from lintcheck import lint

    from postmortem.lint import LintConfig

    for config in (None, LintConfig(select=("blame-language",))):
        diags = lint(source, name=name, config=config)
        assert [(d.rule, d.start.line, d.start.column) for d in diags] == [("duplicate-key", *where)]


def test_a_json_duplicate_does_not_move_the_kept_values_positions() -> None:
    from lintcheck import lint

    diags = lint('{"summary": "Human error.", "summary": "Fine, later."}', name="incident.json")
    assert [(d.rule, d.start.column) for d in diags] == [("blame-language", 14), ("duplicate-key", 29)]


def test_the_lint_that_render_runs_reports_a_duplicate_key_too() -> None:
    from postmortem.lint import lint_document_with_suppressions
    from postmortem.source import SourceFile
    from postmortem.yamlio import parse

    doc = parse(SourceFile("incident.yml", "summary: Fine.\nsummary: It was human error.\n"))
    diagnostics, _ = lint_document_with_suppressions(doc)
    assert [d.rule for d in diagnostics] == ["duplicate-key"]
