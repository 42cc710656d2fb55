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
