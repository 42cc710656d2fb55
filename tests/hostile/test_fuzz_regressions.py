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
