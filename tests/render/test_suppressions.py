"""Suppression comments of the incident file, carried into the Markdown so that it lints as clean.

``postmortem lint x.yml`` clean and ``postmortem render x.yml -f md`` must give a Markdown that
``postmortem lint`` finds clean too: each suppression comes back as a Markdown suppression (an HTML
comment, hidden on GitHub) over the text it covered, with its reason.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from syrupy.assertion import SnapshotAssertion
from typer.testing import CliRunner

from postmortem.api import load
from postmortem.cli.app import app
from postmortem.lint import lint_document_with_suppressions, lint_markdown
from postmortem.model.validate import validate
from postmortem.render import RenderOptions, render_markdown
from postmortem.render.context import markdown_front_matter
from postmortem.render.markdown import Mark, place_suppressions, suppression_comment
from postmortem.source import SourceFile

from .helpers import AS_OF, AUDIENCES, BASE, FIXTURES, options_for

runner = CliRunner()
FIXED = ["--as-of", "2026-03-26"]
SUPPRESSED = FIXTURES / "suppressed.yml"

VENDOR = "# postmortem: ignore[person-mention] -- quoted from the vendor's public statement"
QUOTE = '"We thank Ada Lovelace for the report," the vendor\'s statement said.'


def with_quote(text: str = BASE) -> str:
    """The incident with a suppressed quote that names a person at the top of its summary."""
    return text.replace("summary: |\n  For", f"{VENDOR}\nsummary: |\n  {QUOTE}\n  For")


def render_carrying(text: str, audience: str = "internal", path: Path | None = None) -> str:
    """Lint, then render the Markdown with the suppressions, as ``postmortem render`` does."""
    doc = load(text, str(path or "x.yml"))
    incident = validate(doc).incident
    assert incident is not None
    if path is not None:
        options = options_for(path, incident, audience)
    else:
        options = RenderOptions(audience=audience, as_of=AS_OF)  # type: ignore[arg-type]
    _, suppressions = lint_document_with_suppressions(
        doc, markdown_front_matter=markdown_front_matter(incident, options)
    )
    return render_markdown(incident, dataclasses.replace(options, suppressions=suppressions))


def lint_md(text: str) -> list[str]:
    return [d.format() for d in lint_markdown(SourceFile("out.md", text))]


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- the round trip ---------------------------------------------------------------


def test_a_suppressed_summary_round_trips_through_the_command_line(tmp_path: Path) -> None:
    src = tmp_path / "x.yml"
    src.write_text(with_quote(), encoding="utf-8")
    assert invoke("lint", str(src))[0] == 0
    code, _, err = invoke("render", str(src), "-f", "md", "-o", str(tmp_path / "out"), *FIXED)
    assert code == 0, err
    md = (tmp_path / "out" / "x.md").read_text(encoding="utf-8")
    # The whole summary was covered in the YAML: the comment stands on its own line above it.
    assert (
        "## Summary\n\n"
        "<!-- postmortem: ignore[person-mention] -- quoted from the vendor's public statement -->\n"
        f"{QUOTE}\n" in md
    )
    code, out, _ = invoke("lint", str(tmp_path / "out" / "x.md"))
    assert code == 0, out
    assert "No problems" in out


def test_allow_lint_errors_still_carries_the_suppressions(tmp_path: Path) -> None:
    src = tmp_path / "x.yml"
    src.write_text(
        with_quote().replace(
            "resolution: The cache was warmed.", "resolution: The cache was warmed after a careless deploy."
        ),
        encoding="utf-8",
    )
    out_dir = tmp_path / "out"
    code, _, err = invoke("render", str(src), "-f", "md", "-o", str(out_dir), *FIXED)
    assert code == 1 and "not rendered" in err
    assert not (out_dir / "x.md").exists()
    code, _, err = invoke("render", str(src), "-f", "md", "-o", str(out_dir), "--allow-lint-errors", *FIXED)
    assert code == 0, err
    findings = lint_md((out_dir / "x.md").read_text(encoding="utf-8"))
    # Only the finding that nothing suppressed is left: the suppressed quote still is.
    assert len(findings) == 1 and "blame" in findings[0], findings


@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_place_that_shows_incident_text_carries_its_suppressions(audience: str) -> None:
    text = SUPPRESSED.read_text(encoding="utf-8")
    assert [d.format() for d in lint_document_with_suppressions(load(text, str(SUPPRESSED)))[0]] == []
    out = render_carrying(text, audience, SUPPRESSED)
    assert lint_md(out) == []
    # Without them the Markdown has findings: the comments are what makes it clean.
    incident = validate(load(text, str(SUPPRESSED))).incident
    assert incident is not None
    assert lint_md(render_markdown(incident, options_for(SUPPRESSED, incident, audience))) != []


@pytest.mark.parametrize("audience", AUDIENCES)
def test_suppression_comments_are_hidden_on_github(audience: str) -> None:
    out = render_carrying(SUPPRESSED.read_text(encoding="utf-8"), audience, SUPPRESSED)
    body = out.split("---\n", 2)[2]
    # markdown-it reads an inline HTML comment as CommonMark 0.29 and older versions
    # of cmark-gfm do (no "--" inside): what it hides, every GitHub renderer hides.
    html = MarkdownIt("commonmark", {"html": True}).enable("table").render(body)
    assert "postmortem:" not in re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_markdown_snapshot_with_suppressions(audience: str, md_snapshot: SnapshotAssertion) -> None:
    assert render_carrying(SUPPRESSED.read_text(encoding="utf-8"), audience, SUPPRESSED) == md_snapshot


# --- what is carried, and where ----------------------------------------------------


def test_each_paragraph_gets_the_comment_that_covers_its_findings() -> None:
    text = BASE.replace(
        "summary: |\n  For 20 minutes search was slow because the cache was cold after a deploy.\n",
        f"{VENDOR}\nsummary: |\n  For 20 minutes search was slow.\n\n  {QUOTE}\n\n  The cache was cold.\n",
    )
    out = render_carrying(text)
    summary = out[out.index("## Summary") : out.index("## Impact")]
    assert summary == (
        "## Summary\n\nFor 20 minutes search was slow.\n\n"
        "<!-- postmortem: ignore[person-mention] -- quoted from the vendor's public statement -->\n"
        f"{QUOTE}\n\nThe cache was cold.\n\n"
    )
    assert lint_md(out) == []


def test_a_list_item_and_a_table_row_get_the_comment_at_the_end_of_the_line() -> None:
    text = BASE.replace(
        "what_went_well: [The alert fired quickly.]",
        f"what_went_well:\n  {VENDOR}\n  - Ada Lovelace's status page was quick.",
    ).replace(
        "  - {at: 2026-03-14T10:10:00Z, phase: mitigate, text: The cache was warmed from the replica.}",
        "  # postmortem: ignore[person-mention] -- vendor | quote\n"
        "  - {at: 2026-03-14T10:10:00Z, phase: mitigate, text: Ada Lovelace confirmed the fix.}",
    )
    out = render_carrying(text)
    assert (
        "- Ada Lovelace's status page was quick. "
        "<!-- postmortem: ignore[person-mention] — quoted from the vendor's public statement -->\n" in out
    )
    # In a table row the reason's pipe is escaped, so that the row keeps its cells.
    assert "| Ada Lovelace confirmed the fix. <!-- postmortem: ignore[person-mention] — vendor \\| quote --> |" in out
    assert lint_md(out) == []


def test_a_file_wide_suppression_goes_at_the_end_when_the_markdown_shows_what_it_silenced() -> None:
    text = BASE.replace(
        "resolution: The cache was warmed.",
        "# postmortem: disable-file[blame-language] -- quotes the vendor's report verbatim\n"
        "resolution: The cache was warmed after the careless deploy.",
    )
    internal = render_carrying(text)
    assert internal.endswith(
        "\n\n<!-- postmortem: disable-file[blame-language] -- quotes the vendor's report verbatim -->\n"
    )
    assert lint_md(internal) == []
    # The executive summary leaves the analysis out: nothing to silence, so no comment (it would be unused).
    executive = render_carrying(text, "executive")
    assert "blame-language" not in executive
    assert lint_md(executive) == []


def test_disable_file_all_is_carried_as_all() -> None:
    text = with_quote(BASE + "# postmortem: disable-file[all] -- a transcript\n").replace(VENDOR + "\n", "")
    out = render_carrying(text)
    assert out.endswith("<!-- postmortem: disable-file[all] -- a transcript -->\n")
    assert lint_md(out) == []


def test_a_suppression_that_silenced_nothing_is_not_carried() -> None:
    out = render_carrying(BASE.replace("summary: |", f"{VENDOR}\nsummary: |"))
    assert "postmortem:" not in out


def test_a_responder_named_in_the_narrative_is_a_person_mention_in_the_markdown() -> None:
    # The Markdown's roster is its front matter (authors, reviewers): responders are never named
    # there, so what the YAML linter reports as named-individual is a person-mention in the Markdown.
    text = BASE.replace(
        "created: 2026-03-15",
        "created: 2026-03-15\nresponders: [{name: Dana Whitfield, role: incident-commander}]",
    ).replace(
        "trigger: A deploy flushed the cache.",
        "# postmortem: ignore[named-individual] -- the vendor's statement names our incident commander\n"
        "trigger: A deploy flushed the cache, as Dana Whitfield told the vendor.",
    )
    for audience in AUDIENCES:
        out = render_carrying(text, audience)
        if audience != "executive":
            assert "<!-- postmortem: ignore[person-mention] -- the vendor's statement names" in out
        assert lint_md(out) == [], audience


def test_an_author_named_in_the_narrative_is_on_the_markdown_roster_but_in_the_public_version() -> None:
    text = BASE.replace(
        "summary: |\n  For",
        "# postmortem: ignore[named-individual] -- the author signs the statement\nsummary: |\n"
        "  As Alex Doe wrote to customers, search was slow.\n  For",
    )
    assert "ignore[named-individual]" in render_carrying(text)
    assert "ignore[person-mention]" in render_carrying(text, "public")  # no authors in its front matter
    for audience in AUDIENCES:
        assert lint_md(render_carrying(text, audience)) == [], audience


def test_a_missing_what_went_well_suppression_lands_on_the_front_matter_status() -> None:
    text = BASE.replace(
        "what_went_well: [The alert fired quickly.]",
        "what_went_well: []  # postmortem: ignore[missing-what-went-well] -- nothing went well, on record",
    )
    out = render_carrying(text)
    assert '# postmortem: ignore[missing-what-went-well] -- nothing went well, on record\nstatus: "final"\n' in out
    assert lint_md(out) == []
    # The executive version disables the rule itself; a second comment would be unused.
    executive = render_carrying(text, "executive")
    assert "nothing went well" not in executive
    assert lint_md(executive) == []


# --- placing comments in a field --------------------------------------------------


def test_place_suppressions_scopes() -> None:
    field = (
        "Para one with Ada.\n"  # 0
        "\n"
        "- item with Ada\n"  # 2
        "\n"
        "> quoted Ada\n"  # 4
        "\n"
        "Ends in a hard break with Ada\\\n"  # 6
        "next `code\n"  # 7
        "span` end\n"
        "\n"
        "| a | b |\n"
        "|---|---|\n"
        "| Ada | x |"  # 12
    )
    marks = [Mark(line, "person-mention", "r", 0) for line in (0, 2, 4, 6, 12)]
    marks.append(Mark(7, "person-mention", "s", 1))
    out = place_suppressions(field, marks).split("\n")
    own = "<!-- postmortem: ignore[person-mention] -- r -->"
    inline = "<!-- postmortem: ignore[person-mention] — r -->"
    assert out[0] == own and out[1] == "Para one with Ada."
    assert out[3] == f"- item with Ada {inline}"
    assert out[5] == f"> quoted Ada {inline}"
    # A paragraph on lines of its own: one comment above covers both findings in it.
    assert out[7] == "<!-- postmortem: ignore[person-mention] -- r; s -->"
    assert out[8] == "Ends in a hard break with Ada\\"
    assert out[9] == "next `code"
    assert out[-1] == f"| Ada | x {inline} |"


def test_place_suppressions_at_the_end_of_a_line_keeps_its_hard_break_and_open_code() -> None:
    marks = [Mark(0, "person-mention", "r", 0)]
    inline = "<!-- postmortem: ignore[person-mention] — r -->"
    assert place_suppressions("- Ada\\\n  next", marks) == f"- Ada {inline}\\\n  next"
    assert place_suppressions("- Ada `open\n  code` x", marks) == f"- Ada {inline} `open\n  code` x"
    # The first line of a list item follows the template's "- ": the comment goes at its end.
    assert place_suppressions("Ada\n\nmore", marks, item=True) == f"Ada {inline}\n\nmore"


def test_suppression_comment_forms() -> None:
    assert suppression_comment("ignore", ["a", "b"], "why") == "<!-- postmortem: ignore[a, b] -- why -->"
    assert suppression_comment("ignore", ["a"], None) == "<!-- postmortem: ignore[a] -->"
    # The reason is the author's text: it cannot end the comment early ("-->", or "--!>" for HTML5).
    assert suppression_comment("ignore", ["a"], "x --> y --!> z") == "<!-- postmortem: ignore[a] -- x –> y –!> z -->"
    # Inside a line: no "--" at all (older GitHub and markdown-it would show the comment), pipes escaped.
    inline = suppression_comment("ignore", ["a"], "x --> y | z", inline=True)
    assert inline == "<!-- postmortem: ignore[a] — x –> y \\| z -->"
    assert "--" not in inline[4:-3]
