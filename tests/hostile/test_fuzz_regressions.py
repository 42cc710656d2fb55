"""Small reproducers of what the atheris harnesses (``tests/fuzz/``) found, kept as regression tests.

Each test names the harness that found it and the bug it showed.
"""

from __future__ import annotations

import pytest

from postmortem.api import load
from postmortem.diagnostics import PostmortemError


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("a: é\x0b\n", 1, 5),
        ("a: 😀😀\x0b\n", 1, 6),
        ("é: 😀\n# \x85 \x0b\n", 2, 5),
        ("a: b\n\x0b", 2, 1),
    ],
)
def test_a_control_character_after_non_ascii_text_is_placed_on_its_character(text: str, line: int, col: int) -> None:
    """fuzz_load: libyaml's reader reports a byte offset; it was used as a code point offset,
    so the error pointed past the character, or past the end of the text."""
    with pytest.raises(PostmortemError) as info:
        load(text, "c.yml")
    d = info.value.diagnostic
    assert d.format() == f"c.yml:{line}:{col}: error: control character U+000B is not allowed in YAML; remove it"
    assert text[d.span.start] == "\x0b"


def test_a_lone_surrogate_in_text_given_to_the_library_is_a_positioned_error() -> None:
    """A ``str`` (not bytes) with a lone surrogate made the YAML reader raise UnicodeEncodeError."""
    with pytest.raises(PostmortemError) as info:
        load("title: ok\nsummary: a\ud800b\n", "s.yml")
    assert info.value.diagnostic.format() == (
        "s.yml:2:11: error: lone surrogate U+D800 in input; the text is not valid Unicode"
    )


@pytest.mark.parametrize(
    ("text", "col"),
    [('{"summary": "x\\ud800"}', 13), ('{"\\udfff": 1}', 2), ('{"a": ["ok", "\\udc00\\ud800"]}', 14)],
)
def test_a_json_escape_of_half_a_surrogate_pair_is_a_positioned_error(text: str, col: int) -> None:
    """Valid JSON, but not text: it loaded, and no output (rendered file, lint report) can encode it as UTF-8."""
    with pytest.raises(PostmortemError) as info:
        load(text, "s.json")
    message = info.value.diagnostic.format()
    assert message.startswith(f"s.json:1:{col}: error: the string holds a lone surrogate \\u"), message


def test_a_json_surrogate_pair_escape_is_one_character() -> None:
    assert load('{"title": "\\ud83d\\ude00"}', "p.json").data == {"title": "😀"}


@pytest.mark.parametrize("phase", ["{a: b}", "[x]"])
def test_a_phase_that_is_a_mapping_or_a_list_is_a_type_error_not_a_crash(phase: str) -> None:
    """fuzz_load: the phase-coverage check put every event's phase in a set, and a mapping is unhashable."""
    from postmortem.model.validate import validate

    text = (
        "id: INC-1\ntitle: x\nstatus: final\nseverity: high\nauthors: [a]\ncreated: 2026-03-16\nsummary: s\n"
        "impact: {description: d, started_at: 2026-03-14T10:00:00Z}\ndetection: {method: alert, text: t}\n"
        f"timeline:\n  - {{at: 2026-03-14T10:02:00Z, phase: {phase}, text: x}}\n"
    )
    result = validate(load(text, "p.yml"))
    assert any(d.format().startswith("p.yml:11:") and "timeline[0].phase:" in d.message for d in result.diagnostics)
