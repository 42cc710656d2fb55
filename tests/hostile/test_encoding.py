"""Hostile encodings: invalid UTF-8, UTF-16, NUL bytes, CRLF, tabs, right-to-left and zero-width characters.

Every refusal is one positioned line and exit code 2, from every command that reads the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from postmortem.api import load, load_incident
from postmortem.diagnostics import PostmortemError
from postmortem.lint import lint_document, lint_markdown
from postmortem.source import SourceFile
from tests.hostile import generators as gen
from tests.hostile.bounded import one_positioned_line, run_cli

VALID = gen.to_yaml(gen.incident()).encode("utf-8")
COMMANDS = [["validate"], ["lint"], ["render", "-f", "md", "-o", "out"]]


def refusal(tmp_path: Path, command: list[str], name: str, data: bytes) -> str:
    (tmp_path / name).write_bytes(data)
    proc = run_cli([*command, name], seconds=60, cwd=tmp_path)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    return one_positioned_line(proc.stderr, name)


CASES = [
    (
        "invalid UTF-8",
        "bad.yml",
        VALID.replace(b"Customers could", b"Custom\xe9rs could"),
        "bad.yml:9:32: error: invalid UTF-8 (byte 0xe9); save the file as UTF-8",
    ),
    (
        "invalid UTF-8 in JSON",
        "bad.json",
        b'{\n  "title": "caf\xc3"\n}\n',
        "bad.json:2:16: error: invalid UTF-8 (byte 0xc3); save the file as UTF-8",
    ),
    (
        "UTF-16 LE with a BOM",
        "u16.yml",
        b"\xff\xfe" + VALID.decode().encode("utf-16-le"),
        "u16.yml:1:1: error: file is UTF-16 encoded; save it as UTF-8",
    ),
    (
        "UTF-16 BE with a BOM",
        "u16.yml",
        b"\xfe\xff" + VALID.decode().encode("utf-16-be"),
        "u16.yml:1:1: error: file is UTF-16 encoded; save it as UTF-8",
    ),
    (
        "UTF-16 without a BOM",
        "u16.yml",
        VALID.decode().encode("utf-16-le"),
        "u16.yml:1:2: error: NUL character in input; is this a binary file?",
    ),
    (
        "a NUL byte",
        "nul.yml",
        VALID.replace(b"Customers could", b"Customers\x00could"),
        "nul.yml:9:35: error: NUL character in input; is this a binary file?",
    ),
    (
        "a tab indenting a key",
        "tab.yml",
        b"id: X\ntitle: t\nimpact:\n\tdescription: x\n",
        "tab.yml:4:1: error: YAML syntax error: a tab cannot indent YAML; indent with spaces",
    ),
    (
        "a C1 control character",
        "ctl.yml",
        VALID.replace(b"Customers could", "Customers\x9bcould".encode()),
        "ctl.yml:9:35: error: control character U+009B is not allowed in YAML; remove it",
    ),
]


@pytest.mark.parametrize(("label", "name", "data", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_encodings_are_one_positioned_error_in_the_library(
    label: str, name: str, data: bytes, expected: str
) -> None:
    with pytest.raises(PostmortemError) as info:
        load(data, name)
    assert info.value.diagnostic.format() == expected


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
@pytest.mark.parametrize(
    ("label", "name", "data", "expected"), [CASES[i] for i in (0, 2, 5, 6)], ids=[CASES[i][0] for i in (0, 2, 5, 6)]
)
def test_bad_encodings_are_one_positioned_line_and_exit_2_from_every_command(
    tmp_path: Path, command: list[str], label: str, name: str, data: bytes, expected: str
) -> None:
    assert refusal(tmp_path, command, name, data) == expected


def test_invalid_utf8_in_a_markdown_draft_is_positioned() -> None:
    with pytest.raises(PostmortemError) as info:
        load(b"# Summary\n\nthe pool \xff filled\n", "draft.md")
    assert info.value.diagnostic.format() == "draft.md:3:10: error: invalid UTF-8 (byte 0xff); save the file as UTF-8"


def test_a_utf8_bom_is_accepted_and_positions_ignore_it() -> None:
    plain = load(VALID.replace(b"severity: ", b"severity: 1"), "a.yml")
    bom = load(b"\xef\xbb\xbf" + VALID.replace(b"severity: ", b"severity: 1"), "a.yml")
    assert plain.data == bom.data
    assert plain.nodes[("severity",)] == bom.nodes[("severity",)]


# --- CRLF -----------------------------------------------------------------------------------------

BLAMEFUL = gen.to_yaml(
    gen.incident(
        responders=[{"name": "Dana Whitfield", "role": "incident-commander"}],
        summary="Dana restarted the pool; the operator error was careless.",
        timeline=[{"at": "2026-03-14T10:03:00Z", "phase": "detect", "text": "Whitfield should have seen the alert."}],
    )
)


def _positions(text: str) -> list[tuple[str, int, int, str]]:
    return [(d.rule, d.start.line, d.start.column, d.matched or "") for d in lint_document(load(text, "x.yml"))]


def test_crlf_files_validate_and_lint_with_the_same_lines_and_columns() -> None:
    lf, crlf = BLAMEFUL, BLAMEFUL.replace("\n", "\r\n")
    assert load_incident(crlf, "x.yml") == load_incident(lf, "x.yml")
    found = _positions(crlf)
    assert found == _positions(lf)
    assert ("named-individual", 8, 11, "Dana") in found


def test_crlf_positions_of_validation_errors_match_lf() -> None:
    bad = BLAMEFUL.replace('"high"', "7")
    for text in (bad, bad.replace("\n", "\r\n")):
        with pytest.raises(Exception) as info:
            load_incident(text, "x.yml")
        assert "x.yml:4:11: error:" in str(info.value)


def test_lint_fix_keeps_crlf_line_ends(tmp_path: Path) -> None:
    path = tmp_path / "crlf.yml"
    original = BLAMEFUL.replace("\n", "\r\n").encode()
    path.write_bytes(original)
    proc = run_cli(["lint", "--fix", "crlf.yml"], seconds=60, cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr
    fixed = path.read_bytes()
    assert fixed != original and b"Dana restarted" not in fixed
    assert fixed.count(b"\r\n") == original.count(b"\r\n") and fixed.count(b"\n") == original.count(b"\n")


# --- right-to-left and zero-width characters -----------------------------------------------------

ODD = ["\u200f", "\u202e", "\u2066", "\u200d", "\u200b", "\u00ad", "e\u0301", "👩\u200d💻", "\u05e9\u05dc\u05d5\u05dd"]


@pytest.mark.parametrize("odd", ODD, ids=[f"U+{ord(c[-1]):04X}" for c in ODD])
def test_odd_unicode_in_values_loads_validates_lints_and_renders(odd: str) -> None:
    from postmortem.render import RenderOptions, render_html, render_markdown

    doc = gen.incident(title=f"Checkout {odd} latency", summary=f"The pool{odd} filled {odd}.")
    text = gen.to_yaml(doc)
    incident = load_incident(text, "odd.yml")
    assert odd in incident.title
    lint_document(load(text, "odd.yml"))
    assert odd in render_markdown(incident, RenderOptions())
    assert odd in render_html(incident, RenderOptions())


def test_a_right_to_left_override_cannot_hide_where_a_finding_is() -> None:
    """The finding is reported at the code point offset of the name, whatever the display order."""
    doc = gen.incident(
        responders=[{"name": "Dana Whitfield", "role": "incident-commander"}],
        summary="\u202eDana restarted the pool\u202c.",
    )
    text = gen.to_yaml(doc)
    found = [d for d in lint_document(load(text, "x.yml")) if d.rule == "named-individual"]
    assert [(d.matched, text[d.span.start : d.span.end]) for d in found] == [("Dana", "Dana")]


HIDDEN = {
    "zero-width joiner": "Da\u200dna",
    "zero-width non-joiner": "Da\u200cna",
    "zero-width space": "Da\u200bna",
    "word joiner": "Da\u2060na",
    "soft hyphen": "Da\u00adna",
    "ZWJ in the family name": "Whit\u200dfield",
}


@pytest.mark.parametrize("hidden", HIDDEN.values(), ids=HIDDEN.keys())
def test_a_name_hidden_with_zero_width_characters_is_still_found(hidden: str) -> None:
    doc = gen.incident(
        responders=[{"name": "Dana Whitfield", "role": "incident-commander"}],
        summary=f"{hidden} restarted the pool at 10:05.",
    )
    text = gen.to_yaml(doc)
    found = [d for d in lint_document(load(text, "x.yml")) if d.rule == "named-individual"]
    assert len(found) == 1
    assert text[found[0].span.start : found[0].span.end] == hidden


def test_a_name_hidden_with_a_zero_width_joiner_in_markdown_is_still_found() -> None:
    text = "---\nresponders:\n  - name: Dana Whitfield\n    role: scribe\n---\n# Summary\n\nDa\u200dna restarted the pool.\n"
    found = [d for d in lint_markdown(SourceFile("d.md", text)) if d.rule == "named-individual"]
    assert [d.start.line for d in found] == [8]


def test_json_escapes_of_odd_unicode_map_back_to_their_escape() -> None:
    """A name written as JSON escapes is found, and its span covers the escapes in the file."""
    doc = gen.incident(
        responders=[{"name": "Dana Whitfield", "role": "incident-commander"}],
        summary="\u200fDana restarted the pool.",
    )
    text = json.dumps(doc, ensure_ascii=True)
    found = [d for d in lint_document(load(text, "x.json")) if d.rule == "named-individual"]
    assert [text[d.span.start : d.span.end] for d in found] == ["Dana"]
