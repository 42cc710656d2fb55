"""Loading: YAML 1.2 typing, duplicate keys, positions, and unreadable input."""

from __future__ import annotations

import pytest
import yaml

from postmortem.api import load
from postmortem.diagnostics import PostmortemError
from postmortem.source import SourceFile
from postmortem.yamlio import Limits, parse, resolve_plain


def error_of(content: str | bytes, name: str = "x.yml", **kw: object) -> tuple[int, int, str]:
    with pytest.raises(PostmortemError) as info:
        load(content, name, **kw)  # type: ignore[arg-type]
    d = info.value.diagnostic
    return d.start.line, d.start.column, d.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no", "no"),
        ("yes", "yes"),
        ("on", "on"),
        ("off", "off"),
        ("NO", "NO"),
        ("2026-03-14", "2026-03-14"),
        ("2026-03-14T10:00:00Z", "2026-03-14T10:00:00Z"),
        ("12:30", "12:30"),
        ("1_000", "1_000"),
        ("true", True),
        ("false", False),
        ("null", None),
        ("~", None),
        ("42", 42),
        ("-7", -7),
        ("+7", 7),
        ("007", "007"),
        ("0", 0),
        ("0x1F", "0x1F"),
        ("0o17", "0o17"),
        ("1.5", 1.5),
        (".5", 0.5),
        ("1.5e+3", 1500.0),
        ("1e3", "1e3"),
        ("0E0", "0E0"),
        (".inf", ".inf"),
    ],
)
def test_plain_scalars_are_typed_only_where_yaml_versions_agree(text: str, expected: object) -> None:
    assert resolve_plain(text) == expected
    assert load(f"k: {text}\n").data["k"] == expected


def test_norway_problem_country_code_stays_text() -> None:
    doc = load("countries: [GB, NO, SE]\nanswer: no\n")
    assert doc.data == {"countries": ["GB", "NO", "SE"], "answer": "no"}


def test_dates_are_left_to_the_model() -> None:
    assert load("created: 2026-03-14\n").data["created"] == "2026-03-14"


def test_every_library_dump_reads_back_unchanged() -> None:
    data = {"a": "0E0", "b": "1e3", "c": "0o17", "d": "007", "e": "1_000", "f": 1.5, "g": 12, "h": "no", "i": None}
    assert load(yaml.safe_dump(data)).data == data


def test_quoted_numbers_stay_text() -> None:
    assert load("id: '0042'\nn: \"7\"\n").data == {"id": "0042", "n": "7"}


def test_duplicate_key_is_an_error_at_the_second_key() -> None:
    doc = load("a: 1\nb:\n  c: 1\n  c: 2\n")
    assert [(d.start.line, d.start.column, d.message) for d in doc.diagnostics] == [
        (4, 3, "duplicate key 'c' (first defined on line 3); data would be lost")
    ]
    assert doc.data["b"] == {"c": 1}


def test_duplicate_key_in_json() -> None:
    doc = load('{"a": 1,\n "a": 2}', "x.json")
    assert [(d.start.line, d.start.column) for d in doc.diagnostics] == [(2, 2)]


def test_positions_of_keys_and_values() -> None:
    doc = load("top:\n  child: value\n  list:\n    - one\n    - two\n")
    src = doc.source
    assert src.line_col(doc.nodes[("top", "child")].span.start) == (2, 10)
    assert src.line_col(doc.nodes[("top", "child")].key_span.start) == (2, 3)  # type: ignore[union-attr]
    assert src.line_col(doc.nodes[("top", "list", 1)].span.start) == (5, 7)


def test_locate_falls_back_to_the_closest_ancestor() -> None:
    doc = load("impact:\n  description: x\n")
    path, node = doc.locate(("impact", "started_at"))
    assert path == ("impact",)
    assert node.key_span is not None and doc.source.line_col(node.key_span.start) == (1, 1)


@pytest.mark.parametrize(
    ("yaml_text", "word"),
    [
        ("k: |\n  first line\n  second Bob here\n", "Bob"),
        ("k: >\n  folded text\n  with Bob here\n\n  next para\n", "Bob"),
        ("k: >-\n  folded\n    more indented Bob\n", "Bob"),
        ('k: "double\n  quoted \\t Bob"\n', "Bob"),
        ('k: "esc \\u00e9\\n\\"q\\" Bob"\n', "Bob"),
        ("k: 'single ''quoted''\n  on two Bob'\n", "Bob"),
        ("k: plain multi\n  line scalar Bob\n  and more\n", "Bob"),
        ("k: |2\n    indented Bob\n", "Bob"),
        ("k: | # a comment\n  after Bob\n", "Bob"),
    ],
)
def test_char_offsets_point_at_the_source_characters(yaml_text: str, word: str) -> None:
    doc = load(yaml_text)
    value = doc.data["k"]
    offsets = doc.char_offsets(("k",))
    assert len(offsets) == len(value)
    i = value.index(word)
    start = offsets[i]
    assert yaml_text[start : start + len(word)] == word
    # every non-blank character maps to itself
    for ch, off in zip(value, offsets, strict=True):
        if ch not in " \n\t\\\"'é":
            assert yaml_text[off] == ch


def test_char_offsets_in_json_with_escapes() -> None:
    text = '{"k": "a\\"b \\u00e9 Bob"}'
    doc = load(text, "x.json")
    value = doc.data["k"]
    off = doc.char_offsets(("k",))[value.index("Bob")]
    assert text[off : off + 3] == "Bob"


def test_comment_on_a_block_scalar_header() -> None:
    text = "a: | # on the header\n  body # not a comment\nb: > # folded header\n  x\n"
    comments = load(text).comments()
    assert [(c.line, c.text.strip()) for c in comments] == [(1, "on the header"), (3, "folded header")]


def test_comments_are_found_outside_scalars() -> None:
    text = 'a: "not # a comment"  # real one\n# own line\nb: |\n  # inside a block\n'
    comments = load(text).comments()
    assert [(c.line, c.text.strip(), c.own_line) for c in comments] == [(1, "real one", False), (2, "own line", True)]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", (1, 1, "the file is empty; expected an incident mapping")),
        ("   \n\n", (1, 1, "the file is empty; expected an incident mapping")),
        ("---\n...\n", (2, 1, "the document is empty; expected a mapping of incident fields")),
        ("- a\n- b\n", (1, 1, "the document is a list; expected a mapping of incident fields")),
        ("just text\n", (1, 1, "the document is a single value; expected a mapping of incident fields")),
        ("a: [\n", (2, 1, "YAML syntax error: did not find expected node content")),
        ("a: [", (1, 5, "YAML syntax error: did not find expected node content")),
        ("a: b\n  c: d\n", (2, 4, "YAML syntax error: mapping values are not allowed in this context")),
        ("a: 1\n---\nb: 2\n", (3, 1, "the file holds more than one YAML document; put one incident in each file")),
        (b"a: \xff\n", (1, 4, "invalid UTF-8 (byte 0xff); save the file as UTF-8")),
        (b"\xff\xfea\x00", (1, 1, "file is UTF-16 encoded; save it as UTF-8")),
        ("a: b\x00c\n", (1, 5, "NUL character in input; is this a binary file?")),
        ("a: b\x07\n", (1, 5, "control character U+0007 is not allowed in YAML; remove it")),
        ("a: !!python/object:os.system x\n", None),
    ],
)
def test_unusable_input_is_one_positioned_error(content: str | bytes, expected: tuple[int, int, str] | None) -> None:
    if expected is None:  # tags are diagnostics, not crashes
        doc = load(content)
        assert [d.message for d in doc.diagnostics] == [
            "YAML tag tag:yaml.org,2002:python/object:os.system is not supported; remove it"
        ]
        return
    assert error_of(content) == expected


def test_json_syntax_error_is_positioned() -> None:
    assert error_of('{\n  "a": 1,\n}', "x.json") == (
        3,
        1,
        "JSON syntax error: Expecting property name enclosed in double quotes",
    )


def test_utf8_bom_is_accepted() -> None:
    assert load(b"\xef\xbb\xbfa: 1\n").data == {"a": 1}


def test_crlf_line_ends_keep_positions() -> None:
    doc = load("a: 1\r\nb:\r\n  c: x\r\n  c: y\r\n")
    assert [(d.start.line, d.start.column) for d in doc.diagnostics] == [(4, 3)]


def test_alias_expansion_is_bounded() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    prev = "a"
    for i in range(8):
        bomb += (
            f"b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
        )
        prev = f"b{i}"
    _line, _col, message = error_of(bomb, limits=Limits(max_nodes=100_000))
    assert "expands to more than 100000 values" in message


def test_nesting_depth_is_bounded() -> None:
    text = "a: " + "[" * 300 + "]" * 300 + "\n"
    _, _, message = error_of(text)
    assert "nested" in message


def test_size_limit() -> None:
    _, _, message = error_of(b"a: " + b"x" * 100, limits=Limits(max_bytes=50))
    assert "over the 50 byte limit" in message


def test_merge_keys_are_refused_not_silently_merged() -> None:
    doc = load("base: &b {x: 1}\nother:\n  <<: *b\n  y: 2\n")
    assert [d.message for d in doc.diagnostics] == ["YAML merge keys (<<) are not supported; write the fields out"]


def test_source_line_col_round_trip() -> None:
    src = SourceFile("x", "ab\ncé\n\nd")
    for offset in range(len(src.text) + 1):
        line, col = src.line_col(offset)
        assert src.offset(line, col) == offset
    assert src.line_text(2) == "cé"
    assert SourceFile("x", "a😀b").utf16_column(1, 3) == 4


def test_parse_takes_a_source_file() -> None:
    doc = parse(SourceFile("mem.yml", "k: v\n"))
    assert doc.data == {"k": "v"}
