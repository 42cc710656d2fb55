"""Names must not reach a redacted report: not through a message, a field path, or a source line.

Each test renders a draft whose name the linter cannot mask by the finding's own text (the name is
in a heading, a key, a suppressed finding, a people field...), and checks every format that is
redacted (the CI formats by default, the others with ``--redact``): the name is absent and the
finding is still reported.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from postmortem.cli.app import app
from postmortem.diagnostics import Diagnostic, Span
from postmortem.lint import lint_source
from postmortem.lint.formats import Report, get_formatter
from postmortem.source import SourceFile

FORMATS = ("text", "concise", "json", "github", "sarif", "gitlab")
NAME = ("Dana", "Whitfield")
runner = CliRunner()


def lint(folder: Path, name: str, text: str, *args: str) -> str:
    f = folder / name
    f.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["lint", *args, str(f)], env={"GITHUB_ACTIONS": ""})
    assert result.exit_code in (0, 1), result.output
    out = result.stdout
    if "--format" in args and args[args.index("--format") + 1] == "sarif":
        out = json.dumps(json.loads(out)["runs"][0]["results"])  # the rule docs have their own examples
    return out


def assert_hidden(out: str, *words: str) -> None:
    for word in (*NAME, *words):
        assert word not in out, (word, out)


# --- bug 1: a heading in the message -----------------------------------------------------

HEADING = "# Notes from Dana Whitfield\n\nThis was human error.\n"
SUPPRESSED_HEADING = (
    "# Notes from Dana Whitfield <!-- postmortem: ignore[person-mention] -- byline -->\n\nThis was human error.\n"
)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_heading_that_holds_a_name_is_not_in_the_message(tmp_path: Path, fmt: str) -> None:
    """The name is not flagged (person-mention is not selected), so nothing could mask it."""
    out = lint(tmp_path, "a.md", HEADING, "--format", fmt, "--redact", "--select", "blame-language")
    assert_hidden(out)
    assert "PM201" in out or "blame-language" in out
    assert "human error" in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_suppressed_name_and_the_comment_of_a_heading_are_not_in_the_message(tmp_path: Path, fmt: str) -> None:
    out = lint(tmp_path, "b.md", SUPPRESSED_HEADING, "--format", fmt, "--redact")
    assert_hidden(out, "<!--", "byline")
    assert "PM201" in out or "blame-language" in out


@pytest.mark.parametrize("fmt", ["github", "sarif", "gitlab"])
def test_the_ci_formats_hide_a_heading_without_being_asked(tmp_path: Path, fmt: str) -> None:
    assert_hidden(lint(tmp_path, "b.md", SUPPRESSED_HEADING, "--format", fmt), "<!--")
    assert_hidden(lint(tmp_path, "a.md", HEADING, "--format", fmt, "--select", "blame-language"))


@pytest.mark.parametrize("fmt", ["concise", "json", "github", "sarif", "gitlab"])
def test_messages_and_fields_hold_no_heading_even_unredacted(tmp_path: Path, fmt: str) -> None:
    """The docs promise that messages never contain a name; the JSON ``field`` is the section's too."""
    out = lint(tmp_path, "b.md", SUPPRESSED_HEADING, "--format", fmt, "--no-redact")
    assert_hidden(out, "<!--")


def test_sections_are_named_when_the_heading_is_a_usual_one_and_numbered_otherwise() -> None:
    text = (
        "# Checkout outage, notes by Dana Whitfield\n\n"
        "## 1. Summary:\n\nThis was human error.\n\n"
        "## Dana's notes\n\nIt was human error again.\n"
    )
    diags = lint_source(SourceFile("d.md", text))
    found = [(d.rule, d.path, d.message) for d in diags if d.rule == "blame-language"]
    assert found == [
        ("blame-language", "section 'Summary'", "\"human error\" framing in section 'Summary'"),
        ("blame-language", "section #3", '"human error" framing in section #3'),
    ]
    heading = next(d for d in diags if d.rule == "person-mention" and d.start.line == 1)
    assert heading.path == "heading #1" and "Dana" not in heading.message


def test_an_empty_what_went_well_section_with_a_name_in_its_heading(tmp_path: Path) -> None:
    text = "---\nstatus: final\n---\n# Review\n\n## What went well, by Dana Whitfield\n\n## Timeline\n\nFine.\n"
    for fmt in FORMATS:
        out = lint(tmp_path, "d.md", text, "--format", fmt, "--redact", "--select", "missing-what-went-well")
        assert_hidden(out)
        assert "PM302" in out or "missing-what-went-well" in out
    diags = lint_source(SourceFile("d.md", text))
    (d,) = [d for d in diags if d.rule == "missing-what-went-well"]
    assert "Dana" not in (d.message + (d.path or "") + (d.matched or ""))


# --- bug 1 in YAML: a key that is not a schema key ----------------------------------------

UNKNOWN_KEY = "summary: Fine.\nimpact:\n  Dana Whitfield: TODO\n  dana: TBD\n"


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_key_outside_the_schema_is_not_in_the_message_or_field(tmp_path: Path, fmt: str) -> None:
    out = lint(tmp_path, "x.yml", UNKNOWN_KEY, "--format", fmt, "--redact")
    assert_hidden(out, "dana")
    assert out.count("PM301") == 2 or out.count("placeholder") >= 2


def test_keys_outside_the_schema_are_numbered_and_suppressions_still_cover_them() -> None:
    diags = lint_source(SourceFile("x.yml", UNKNOWN_KEY))
    assert [d.path for d in diags] == ["impact.<key 1>", "impact.<key 2>"]
    assert [d.path for d in lint_source(SourceFile("x.yml", "summary: Fine.\nDana: TODO\n"))] == ["<key 2>"]
    assert [d.path for d in lint_source(SourceFile("d.md", "---\ndate: TODO\n---\nText.\n"))] == ["date"]
    text = "impact:\n  # postmortem: ignore[placeholder] -- drafting\n  Dana Whitfield:\n    - TODO\n  dana: TBD\n"
    diags = lint_source(SourceFile("x.yml", text))
    assert [(d.rule, d.start.line) for d in diags] == [("placeholder", 5)]


def test_an_unknown_rule_in_a_suppression_is_named_only_when_it_looks_like_one(tmp_path: Path) -> None:
    text = "summary: Fine.  # postmortem: ignore[Dana Whitfield, blame-langauge] -- agreed\n"
    out = lint(tmp_path, "x.yml", text, "--format", "concise")
    assert_hidden(out)
    assert "PM901" in out
    text = "summary: Fine.  # postmortem: ignore[blame-langauge] -- typo\n"
    assert "unknown rule `blame-langauge`" in lint(tmp_path, "x.yml", text, "--format", "concise")


# --- bug 2: the source lines of the text format ----------------------------------------------

SUPPRESSED = (
    "authors: [Dana Whitfield, TODO]\n"
    "summary: Dana Whitfield said it was human error.  # postmortem: ignore[named-individual] -- public quote\n"
)


def test_redacted_text_masks_people_fields_and_suppressed_names(tmp_path: Path) -> None:
    out = lint(tmp_path, "x.yml", SUPPRESSED, "--redact")
    assert_hidden(out)
    assert "PM301" in out and "PM201" in out
    assert "1 | authors: [**** *********, TODO]" in out
    assert "2 | summary: **** ********* said it was human error." in out
    assert "Dana Whitfield" in lint(tmp_path, "x.yml", SUPPRESSED, "--no-redact")


def test_redacted_text_masks_names_of_rules_not_selected(tmp_path: Path) -> None:
    text = "summary: Dana Whitfield said it was human error; ping @dwhit or dana@example.com.\n"
    out = lint(tmp_path, "x.yml", text, "--redact", "--select", "blame-language")
    assert_hidden(out, "dwhit", "dana@")
    assert "PM201" in out


def test_redacted_text_masks_the_roster_anywhere_and_markdown_people_columns(tmp_path: Path) -> None:
    text = (
        "---\nauthors: [Dana Whitfield]\n---\n# Action items\n\n"
        "| Item | Owner |\n|---|---|\n| TODO add an alert | Wanjiru Kamau |\n\n"
        "Human error. <!-- postmortem: ignore[counterfactual] -- Dana Whitfield agreed -->\n"
    )
    out = lint(tmp_path, "d.md", text, "--redact")
    assert_hidden(out, "Wanjiru", "Kamau")
    assert "PM301" in out and "PM201" in out and "PM902" in out


def test_a_line_that_cannot_be_checked_is_left_out() -> None:
    """A diagnostic that the linter did not make carries no people spans: its line is not shown."""
    src = SourceFile("x.yml", "summary: Dana Whitfield did it.\n")
    d = Diagnostic(src, Span(24, 30), "something", rule="placeholder", code="PM301")
    redacted = get_formatter("text")(Report([d], files=1, redact=True))
    assert_hidden(redacted)
    assert "1:25" in redacted and "something" in redacted
    assert "Dana Whitfield" in get_formatter("text")(Report([d], files=1, redact=False))
