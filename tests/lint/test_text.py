"""Masking keeps every offset: same length, line breaks kept, and only blanks introduced."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from postmortem.lint.markdown import parse_markdown
from postmortem.lint.text import code_span_ranges, looks_like_chat, mask_inline
from postmortem.source import SourceFile

PIECES = st.sampled_from(
    [
        "Dana",
        " ",
        "\n",
        "`",
        "``",
        "[a](",
        ")",
        "http://x.example/",
        "<b>",
        "</b>",
        "<!--",
        "-->",
        "@x",
        "\r\n",
        "é",
        "🔥",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_mask_inline_keeps_offsets(text: str) -> None:
    out = mask_inline(text)
    assert len(out) == len(text)
    for a, b in zip(text, out, strict=True):
        assert b == a or (b == " " and a not in "\r\n")


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.sampled_from(["# H\n", "text Dana\n", "\n", "```\n", "    code\n", "- item\n", "<div>\n", "| a |\n"]),
        max_size=25,
    ).map("".join)
)
def test_markdown_masked_text_keeps_offsets(text: str) -> None:
    draft = parse_markdown(SourceFile("d.md", text))
    assert len(draft.masked) == len(text)
    for a, b in zip(text, draft.masked, strict=True):
        assert b == a or (b == " " and a not in "\r\n")
    for seg in draft.segments:
        assert 0 <= seg.start <= seg.end <= len(text)


def test_code_spans() -> None:
    text = "a `b` c ``d ` e`` f ` g"
    assert [text[s:e] for s, e in code_span_ranges(text)] == ["`b`", "``d ` e``"]


def test_chat_lines() -> None:
    assert looks_like_chat("10:02 tkim: paging")
    assert looks_like_chat("- **2026-03-14 10:02** restart")
    assert not looks_like_chat("The deploy at 10:02 failed")


def _naive_code_spans(text: str) -> list[tuple[int, int]]:
    """CommonMark's rule read literally: a run opens a span closed by the next run of the same length."""
    runs = []
    i = 0
    while i < len(text):
        if text[i] == "`":
            j = i
            while j < len(text) and text[j] == "`":
                j += 1
            runs.append((i, j - i))
            i = j
        else:
            i += 1
    out = []
    k = 0
    while k < len(runs):
        start, n = runs[k]
        close = next((c for c in range(k + 1, len(runs)) if runs[c][1] == n), None)
        if close is None:
            k += 1
        else:
            out.append((start, runs[close][0] + n))
            k = close + 1
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="`a \n", max_size=30))
def test_code_spans_follow_the_commonmark_rule(text: str) -> None:
    assert code_span_ranges(text) == _naive_code_spans(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_mask_inline_blanks_exactly_the_found_constructs(text: str) -> None:
    out = mask_inline(text)
    # every code span is blanked whole (line breaks kept), and text outside every construct is kept
    for s, e in code_span_ranges(text):
        assert all(c == " " or c in "\r\n" for c in out[s:e])
    if not any(mark in text for mark in ("`", "<", "://", "www.", "](", "]:")):
        assert out == text


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("We <b>rolled</b> back.", ["<b>", "</b>"]),
        ('See <span class="x">the log</span>.', ['<span class="x">', "</span>"]),
        ("A <status-badge>custom</status-badge> element.", ["<status-badge>", "</status-badge>"]),
        ("[10:02] <jsmith> rolling back", []),  # a chat log's nick is text, not a tag
        ("<dwhit> rolling back", []),
    ],
)
def test_only_html_elements_are_masked_as_tags(text: str, masked: list[str]) -> None:
    from postmortem.lint.text import mask_inline

    out = mask_inline(text)
    expected = text
    for tag in masked:
        expected = expected.replace(tag, " " * len(tag))
    assert out == expected


def test_a_footnote_definition_is_prose_but_a_link_definition_target_is_not() -> None:
    from postmortem.lint.text import mask_inline

    assert mask_inline("[^1]: Dana wrote this note.") == "[^1]: Dana wrote this note."
    assert mask_inline("[docs]: https://example.com/x") == "[docs]:" + " " * len(" https://example.com/x")
