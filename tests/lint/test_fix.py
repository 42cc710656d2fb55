"""``--fix`` edits only the flagged spans; every other byte stays the same."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lintcheck import INCIDENT, ROSTER, lint

from postmortem.diagnostics import Diagnostic, Severity, Span
from postmortem.lint import lint_document
from postmortem.lint.fix import FIXABLE, apply, fix_text, plan
from postmortem.source import SourceFile
from postmortem.yamlio import ParsedDocument, parse


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
    assert diff.exit_code == 1  # a fix is pending: the CI step fails until it is applied
    assert "-summary: Dana restarted it.  # a comment" in diff.stdout
    assert "+summary: The incident commander restarted it.  # a comment" in diff.stdout
    assert f.read_text() == original
    result = runner.invoke(app, ["lint", "--fix", "-f", "json", str(f)])
    assert result.exit_code == 0, result.stdout
    assert f.read_text() == original.replace("summary: Dana", "summary: The incident commander")
    assert json.loads(result.stdout)["diagnostics"] == []
    assert lint(f.read_text()) == []
    again = runner.invoke(app, ["lint", "--diff", str(f)])
    assert (again.exit_code, again.stdout) == (0, "")  # nothing left to fix


# --- a fix never changes how the YAML reads (plain-scalar rules and the safety net) --------------


def fix_with_role(source: str, role: str, name: str = "incident.yml") -> tuple[str, int, int]:
    """Fix ``source`` with Grace Hopper on the roster as ``role``: (fixed text, edits, findings)."""
    from postmortem.lint import LintConfig
    from postmortem.lint.detect import KnownPerson

    config = LintConfig(people=(KnownPerson("Grace Hopper", role),))
    doc = parse(SourceFile(name, source))
    diags = lint_document(doc, config)
    out, n = fix_text(source, diags, doc)
    new = parse(SourceFile(name, out))  # the fixed text always parses
    assert [(d.code, d.rule) for d in new.diagnostics] == [(d.code, d.rule) for d in doc.diagnostics]
    return out, n, sum(d.rule in FIXABLE for d in diags)


# A role that cannot start a plain scalar: an indicator, or ``-``/``?``/``:`` and a space.
@pytest.mark.parametrize(
    "role",
    ["@payments-oncall", "[the lead]", "*star", "%ops", "&ops", "!ops", "|ops", ">ops", "'ops", '"ops', "`ops",
     "{ops}", "#ops", ",ops", "- ops", "? ops", ": ops", "-", "ops:"],
)  # fmt: skip
def test_a_role_that_cannot_start_a_plain_scalar_is_left_for_a_person(role: str) -> None:
    src = INCIDENT + "trigger: Grace restarted it\n"
    out, n, found = fix_with_role(src, role)
    assert found == 1 and n == 0
    assert out == src


@pytest.mark.parametrize(
    ("role", "line"),
    [
        ("@payments-oncall", "trigger: @payments-oncall restarted it"),  # not at the start: plain text
        ("[the lead]", "trigger: [the lead] restarted it"),
        ("-ops", "trigger: -ops restarted it"),  # - followed by a non-space may start a plain scalar
        ("?ops", "trigger: ?ops restarted it"),
        ("a:b", "trigger: A:b restarted it"),
        ("ops#1", "trigger: Ops#1 restarted it"),
        ("a, b", "trigger: A, b restarted it"),  # , is plain text outside flow collections
    ],
)
def test_a_role_that_plain_yaml_reads_as_itself_is_written(role: str, line: str) -> None:
    src = INCIDENT + "trigger: Grace restarted it\n"
    if role.startswith(("@", "[")):
        src = src.replace("Grace restarted it", "it was restarted by Grace")
        line = line.replace(f"trigger: {role} restarted it", f"trigger: it was restarted by {role}")
    out, n, _ = fix_with_role(src, role)
    assert n == 1
    assert out == INCIDENT + line + "\n"
    assert parse(SourceFile("x.yml", out)).data["trigger"] == line.removeprefix("trigger: ")


# Inside a plain scalar: ``#`` after a space starts a comment; ``:`` before a space or a line end,
# or at the end, starts a mapping; a line break, or a blank at either end, is not kept.
@pytest.mark.parametrize(
    ("role", "trigger"),
    [
        ("#ops", "it was restarted by Grace"),
        ("ops #1", "it was restarted by Grace"),
        ("a: b", "it was restarted by Grace"),
        ("ops:", "it was restarted by Grace"),
        ("ops:", "Grace\n  restarted it"),
        ("ops\u2028x", "it was restarted by Grace"),
        ("ops\x85x", "it was restarted by Grace"),
        ("ops\x07", "it was restarted by Grace"),
        (" ops", "re:Grace restarted it"),  # would make "re: ops"
        ("ops ", "it was restarted by Grace#1"),  # would make "ops #1"
    ],
)
def test_a_role_that_would_change_a_plain_scalar_is_left_for_a_person(role: str, trigger: str) -> None:
    src = INCIDENT + f"trigger: {trigger}\n"
    out, n, found = fix_with_role(src, role)
    assert found == 1 and n == 0
    assert out == src


FLOW = INCIDENT + (
    "timeline:\n"
    "  - {at: 2026-03-14T10:00:00Z, text: Grace restarted it}\n"
    "  - {at: 2026-03-14T10:05:00Z, text: then Grace left}\n"
)


# In a flow collection, ``,[]{}`` end a plain scalar.
@pytest.mark.parametrize("role", ["a,b", "[x]", "x]", "{x", "x}"])
def test_a_role_with_flow_indicators_in_a_flow_collection_is_left_for_a_person(role: str) -> None:
    out, n, found = fix_with_role(FLOW, role)
    assert found == 2 and n == 0
    assert out == FLOW


# YAML 1.2 lets ``?x`` and ``:x`` start a plain scalar in a flow collection; PyYAML does not.
@pytest.mark.parametrize("role", [":ops", "?ops"])
def test_a_role_that_pyyaml_cannot_start_a_flow_scalar_with_is_written_only_inside_it(role: str) -> None:
    out, n, found = fix_with_role(FLOW, role)
    assert found == 2 and n == 1
    assert out == FLOW.replace("then Grace left", f"then {role} left")


def test_in_a_flow_collection_a_plain_safe_role_is_written() -> None:
    out, n, _ = fix_with_role(FLOW, "the lead (ops)")
    assert n == 2
    timeline = parse(SourceFile("x.yml", out)).data["timeline"]
    assert [e["text"] for e in timeline] == ["The lead (ops) restarted it", "then the lead (ops) left"]


@pytest.mark.parametrize("role", ["null", "~", "true", "False", "12", "1.5"])
def test_a_role_that_would_make_a_whole_plain_scalar_a_non_text_value_is_left(role: str) -> None:
    src = INCIDENT + "resolution: Grace Hopper\ntrigger: it was restarted by Grace\n"
    out, n, found = fix_with_role(src, role)
    assert found == 2 and n == 1  # inside a longer text the role is just words
    assert out == INCIDENT + f"resolution: Grace Hopper\ntrigger: it was restarted by {role}\n"


def test_an_anchored_or_tagged_scalar_starts_after_its_properties() -> None:
    src = INCIDENT + "trigger: &t Grace restarted it\nresolution: !!str Grace restarted it\n"
    out, n, _ = fix_with_role(src, "@oncall")
    assert n == 0 and out == src
    out, n, _ = fix_with_role(src, "the lead")
    assert n == 2 and out.endswith("trigger: &t the lead restarted it\nresolution: !!str the lead restarted it\n")


def test_a_double_quoted_replacement_escapes_what_yaml_would_not_read_raw() -> None:
    src = INCIDENT + 'trigger: "Grace restarted it"\n'
    out, n, _ = fix_with_role(src, "ops\u2028\x85\ufeffx")
    assert n == 1
    assert out.endswith('trigger: "Ops\\u2028\\u0085\\ufeffx restarted it"\n')
    assert parse(SourceFile("x.yml", out)).data["trigger"] == "Ops\u2028\x85\ufeffx restarted it"


def test_a_json_replacement_is_escaped_and_never_left_out() -> None:
    src = json.dumps({"summary": "Grace restarted it", "title": "x"}) + "\n"
    out, n, _ = fix_with_role(src, '@ops "a", [b]: c', "x.json")
    assert n == 1
    assert json.loads(out)["summary"] == '@ops "a", [b]: c restarted it'


def test_markdown_front_matter_follows_the_plain_rules_and_the_body_is_fixed() -> None:
    from postmortem.lint import LintConfig, lint_markdown
    from postmortem.lint.detect import KnownPerson
    from postmortem.lint.markdown import parse_markdown

    src = "---\ntitle: x\nsummary: Grace restarted it\n---\n# Summary\n\nThen Grace restarted it.\n"
    source = SourceFile("d.md", src)
    config = LintConfig(people=(KnownPerson("Grace Hopper", "@oncall"),))
    out, n = fix_text(src, lint_markdown(source, config), parse_markdown(source).front_matter)
    assert n == 1
    assert out == src.replace("Then Grace", "Then @oncall")


def _finding(doc: ParsedDocument, start: int, end: int, fix: str) -> Diagnostic:
    return Diagnostic(
        doc.source, Span(start, end), "m", Severity.ERROR, "PM101", "named-individual", fix=fix, matched="Dana"
    )


def test_the_safety_net_drops_an_edit_that_changes_the_shape_and_keeps_the_others() -> None:
    src = "Dana: 1\nsummary: Dana left  # Dana\ntrigger: Dana\n"
    doc = parse(SourceFile("x.yml", src))
    key = src.index("Dana")  # a key: the path would change
    value = src.index("Dana left")
    comment = src.index("Dana", src.index("#"))  # a line break in a comment would add a key
    last = src.rindex("Dana")
    diags = [
        _finding(doc, key, key + 4, "the lead"),
        _finding(doc, value, value + 4, "the lead"),
        _finding(doc, comment, comment + 4, "x\nextra: 1"),
        _finding(doc, last, last + 4, "the scribe"),
    ]
    out, n = fix_text(src, diags, doc)
    assert n == 2
    assert out == "Dana: 1\nsummary: The lead left  # Dana\ntrigger: The scribe\n"


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    import postmortem.yamlio

    calls: list[int] = []
    real = postmortem.yamlio.parse

    def counting(*args: Any, **kwargs: Any) -> ParsedDocument:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(postmortem.yamlio, "parse", counting)
    return calls


def test_the_safety_net_pins_a_changed_value_on_its_edit(monkeypatch: pytest.MonkeyPatch) -> None:
    src = "summary: Dana left\nresolution: |\n  Dana left\n"
    doc = parse(SourceFile("x.yml", src))
    block = src.index("Dana", src.index("|"))
    # in a literal block, a blank at the start of its first line becomes indentation and is lost
    diags = [_finding(doc, 9, 13, "the lead"), _finding(doc, block, block + 4, " the lead")]
    calls = _count_parses(monkeypatch)
    out, n = fix_text(src, diags, doc)
    assert n == 1 and out == "summary: The lead left\nresolution: |\n  Dana left\n"
    assert len(calls) == 2  # the faulty edit is found from the first parse; the second confirms the rest


def test_the_safety_net_stops_after_a_bounded_number_of_parses(monkeypatch: pytest.MonkeyPatch) -> None:
    from postmortem.lint import fix

    src = "".join(f"Dana{i}: 1\n" for i in range(10)) + "summary: Dana left\n"
    doc = parse(SourceFile("x.yml", src))
    keys = [_finding(doc, m.start(), m.start() + 4, "the lead") for m in re.finditer("Dana(?=[0-9])", src)]
    value = src.index("Dana left")
    diags = [*keys, _finding(doc, value, value + 4, "the lead")]
    calls = _count_parses(monkeypatch)
    assert fix_text(src, diags, doc) == (src.replace("Dana left", "The lead left"), 1)
    many = len(calls)
    monkeypatch.setattr(fix, "_MAX_CHECKS", 5)
    calls.clear()
    assert fix_text(src, diags, doc) == (src, 0)  # nothing proven sound in time: everything left for a person
    assert len(calls) == 5 < many


def test_the_safety_net_keeps_edits_that_are_sound_alone_but_not_together() -> None:
    from postmortem.lint.fix import _filter

    def ok(items: list[int]) -> bool:  # 2 and 5 clash; 7 is bad alone
        return 7 not in items and not {2, 5} <= set(items)

    assert _filter(list(range(10)), ok) == [0, 1, 2, 3, 4, 6, 8, 9]


def test_the_safety_net_checks_that_front_matter_still_ends_where_it_did() -> None:
    src = "---\ntitle: x\nsummary: |\n  Dana left\n---\n# Body\n"
    from postmortem.lint.markdown import parse_markdown

    source = SourceFile("d.md", src)
    fm = parse_markdown(source).front_matter
    assert fm is not None
    at = src.index("Dana")
    out, n = fix_text(src, [_finding(fm, at, at + 4, "x\n---")], fm)
    assert n == 0 and out == src


def test_fix_text_refuses_a_document_that_is_not_the_text() -> None:
    doc = parse(SourceFile("x.yml", "summary: Dana left\n"))
    with pytest.raises(ValueError, match="parsed text"):
        fix_text("summary: Sam left\n", [_finding(doc, 9, 13, "the lead")], doc)
