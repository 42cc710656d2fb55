"""``--fix`` edits only the flagged spans; every other byte stays the same."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lintcheck import ROSTER, lint

from postmortem.lint import lint_document
from postmortem.lint.fix import FIXABLE, apply, fix_text, plan
from postmortem.source import SourceFile
from postmortem.yamlio import parse


def fixed(source: str, name: str = "incident.yml") -> str:
    src = SourceFile(name, source)
    doc = parse(src)
    return fix_text(source, lint_document(doc), doc)[0]


def test_role_and_placeholders() -> None:
    src = ROSTER + "summary: Dana paged @tkim; later Sam's fix and @tkim again, then @jlee.\n"
    out = fixed(src)
    assert out.endswith(
        "summary: The incident commander paged Responder A; later the on-call engineer's fix and"
        " Responder A again, then Responder B.\n"
    )
    assert out.startswith(ROSTER)


def test_escaping_per_style() -> None:
    src = ROSTER.replace("incident-commander", "scribe") + (
        "summary: 'It''s Dana''s call'\ntrigger: \"Dana said \\\"go\\\"\"\nresolution: |\n  Dana: done\n"
    )
    out = fixed(src)
    assert "summary: 'It''s the scribe''s call'" in out
    assert 'trigger: "The scribe said \\"go\\""' in out
    assert "  The scribe: done" in out
    assert parse(SourceFile("x.yml", out)).data["summary"] == "It's the scribe's call"


def test_json_fix() -> None:
    src = '{"responders": [{"name": "Dana Whitfield", "role": "scribe"}], "summary": "Dana left."}\n'
    assert fixed(src, "x.json") == src.replace('"Dana left."', '"The scribe left."')


def test_markdown_fix() -> None:
    from postmortem.lint import lint_markdown
    from postmortem.lint.markdown import parse_markdown

    src = "---\nresponders:\n  - name: Dana Whitfield\n    role: scribe\n---\n# T\n\nThen Dana left. `Dana` stays.\n"
    source = SourceFile("d.md", src)
    out, n = fix_text(src, lint_markdown(source), parse_markdown(source).front_matter)
    assert n == 1
    assert out == src.replace("Then Dana left.", "Then the scribe left.")


def test_unsafe_plain_replacement_is_skipped() -> None:
    from postmortem.diagnostics import Diagnostic, Severity, Span

    src = "summary: Dana left\n"
    doc = parse(SourceFile("x.yml", src))
    d = Diagnostic(
        doc.source, Span(9, 13), "m", Severity.ERROR, "PM101", "named-individual", fix="a: b", matched="Dana"
    )
    assert plan(src, [d], doc) == []


WORDS = ["the", "database", "restarted", "and", "then", "alert", "fired", "Dana", "Whitfield", "Sam", "Sam's", "@tkim"]


@st.composite
def documents(draw: st.DrawFn) -> str:
    fields = []
    for key in ("summary", "trigger", "resolution"):
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
        text = " ".join(words)
        style = draw(st.sampled_from(["plain", "single", "double", "literal", "folded", "plain-multi"]))
        comment = draw(st.sampled_from(["", "  # keep this comment", "  #  Dana in a comment stays"]))
        if style == "plain":
            body = f"{key}: x {text}{comment}"
        elif style == "plain-multi":
            body = f"{key}: x {' '.join(words[:3])}\n  {' '.join(words[3:]) or 'end'}{comment}"
        elif style == "single":
            quoted = text.replace("'", "''")
            body = f"{key}: '{quoted}'{comment}"
        elif style == "double":
            body = f'{key}: "{text}"{comment}'
        else:
            indicator = "|" if style == "literal" else ">"
            body = f"{key}: {indicator}{comment}\n  {text}\n  second line {words[0]}"
        fields.append(body)
    return ROSTER + "# top comment\n" + "\n".join(fields) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_fix_touches_only_flagged_spans(text: str) -> None:
    doc = parse(SourceFile("x.yml", text))
    diags = lint_document(doc)
    flagged = {(d.span.start, d.span.end) for d in diags if d.rule in FIXABLE}
    edits = plan(text, diags, doc)
    assert {(e.start, e.end) for e in edits} <= flagged
    out = apply(text, edits)
    # Every byte outside the edited spans is identical, in order.
    pos_in, pos_out = 0, 0
    for e in sorted(edits, key=lambda x: x.start):
        gap = text[pos_in : e.start]
        assert out[pos_out : pos_out + len(gap)] == gap
        assert text[e.start : e.end] not in ("", "\n")
        pos_out += len(gap) + len(e.text)
        pos_in = e.end
    assert out[pos_out:] == text[pos_in:]
    # The result is still YAML with the same structure and the same comments.
    new = parse(SourceFile("x.yml", out))
    assert set(new.data) == set(doc.data)
    assert new.data["responders"] == doc.data["responders"]
    assert [c.text for c in new.comments()] == [c.text for c in doc.comments()]
    # Fixing again changes nothing that was already fixed: replacements are never names.
    again = {(d.span.start, d.span.end) for d in lint_document(new) if d.rule in FIXABLE}
    shift = 0
    for e in sorted(edits, key=lambda x: x.start):
        assert (e.start + shift, e.start + shift + len(e.text)) not in again
        shift += len(e.text) - (e.end - e.start)


def test_cli_fix_and_diff(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from postmortem.cli.app import app

    f = tmp_path / "x.yml"
    original = ROSTER + "summary: Dana restarted it.  # a comment\n"
    f.write_text(original)
    runner = CliRunner()
    diff = runner.invoke(app, ["lint", "--diff", str(f)])
    assert diff.exit_code == 0
    assert "-summary: Dana restarted it.  # a comment" in diff.stdout
    assert "+summary: The incident commander restarted it.  # a comment" in diff.stdout
    assert f.read_text() == original
    result = runner.invoke(app, ["lint", "--fix", "-f", "json", str(f)])
    assert result.exit_code == 0, result.stdout
    assert f.read_text() == original.replace("summary: Dana", "summary: The incident commander")
    assert json.loads(result.stdout)["diagnostics"] == []
    assert lint(f.read_text()) == []
