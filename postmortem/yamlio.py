"""Parse YAML or JSON text into plain data plus a tree of source positions.

Why PyYAML's *composer* and not a loader: composing stops at the node graph,
which keeps every node's start and end marks and scalar style, and performs no
implicit typing.  We then resolve plain scalars ourselves with the YAML 1.2
core schema, so ``no`` stays the text ``"no"`` (the Norway problem) and
``2026-03-14`` stays a string for the model to parse.  The C-accelerated
composer is used when libyaml is present; both report code point indexes.

The position tree is built *next to* the data and keyed by path (a tuple of
keys and list indexes), as dagster's ``yaml_utils`` does.  A scalar's exact
characters can be mapped back to source offsets with
:meth:`ParsedDocument.char_offsets`, including inside block, folded, quoted
and multi-line plain scalars.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from postmortem.diagnostics import Diagnostic, PostmortemError, Span
from postmortem.source import SourceFile

Path = tuple[str | int, ...]


DEPTH_CEILING = 400
"""The deepest nesting ``max_depth`` may allow: parsing, validating and linting recurse once or twice
per level, and Python's stack ran out at about 500 levels of flow sequences."""


def too_deep(max_depth: int) -> str:
    """The message for a document nested deeper than ``max_depth``."""
    if max_depth >= DEPTH_CEILING:
        return f"the document is nested deeper than {max_depth} levels, the most --max-depth allows"
    return f"the document is nested deeper than {max_depth} levels; raise the limit with --max-depth"


@dataclass(frozen=True)
class Limits:
    """Documented input limits (see ``docs/security.md``)."""

    max_bytes: int = 10 * 1024 * 1024
    max_nodes: int = 1_000_000
    max_depth: int = 200

    def __post_init__(self) -> None:
        if not 1 <= self.max_depth <= DEPTH_CEILING:
            raise ValueError(f"max_depth must be between 1 and {DEPTH_CEILING}, not {self.max_depth}")


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class Node:
    """Where one value sits in the source.

    ``span`` covers the value; ``key_span`` covers its mapping key, if any.
    ``style`` is the scalar style (``""`` plain, ``"'"``, ``'"'``, ``"|"``,
    ``">"``) or ``None`` for a mapping or sequence.
    """

    span: Span
    key_span: Span | None = None
    style: str | None = None


@dataclass(frozen=True)
class Comment:
    """A ``#`` comment: its span (from ``#`` to the line end) and text after ``#``."""

    span: Span
    text: str
    line: int
    own_line: bool


@dataclass(frozen=True)
class ParsedDocument:
    source: SourceFile
    data: dict[str, Any]
    nodes: dict[Path, Node]
    diagnostics: tuple[Diagnostic, ...] = ()
    is_json: bool = False
    _cache: dict[Path, tuple[int, ...]] = field(default_factory=dict, repr=False, compare=False)

    def locate(self, path: Path) -> tuple[Path, Node]:
        """The node at ``path``, or the closest existing ancestor (for a missing key)."""
        p = tuple(path)
        while p not in self.nodes:
            p = p[:-1]
        return p, self.nodes[p]

    def value_at(self, path: Path) -> Any:
        cur: Any = self.data
        for part in path:
            cur = cur[part]
        return cur

    def char_offsets(self, path: Path) -> tuple[int, ...]:
        """Source offset of every character of the string scalar at ``path``.

        ``len(result) == len(value)``.  Characters that have no source
        character of their own (a fold, an escape) map to the nearest one.
        """
        cached = self._cache.get(path)
        if cached is not None:
            return cached
        value = self.value_at(path)
        node = self.nodes[path]
        if not isinstance(value, str):
            raise TypeError(f"{format_path(path)} is not a string")
        if self.is_json or node.style == '"':
            offsets = _double_quoted_offsets(self.source.text, node.span, value)
        else:
            offsets = _aligned_offsets(self.source.text, node.span, value)
        self._cache[path] = offsets
        return offsets

    def comments(self) -> list[Comment]:
        """Every comment, found as ``#`` outside all scalar spans (YAML only)."""
        if self.is_json:
            return []
        text = self.source.text
        # Scalar and key spans are disjoint; a block scalar's header line
        # (``| # comment``) may carry a comment, so its span starts after it.
        spans: list[tuple[int, int]] = []
        for n in self.nodes.values():
            if n.key_span is not None:
                spans.append((n.key_span.start, n.key_span.end))
            if n.style is None:
                continue
            begin = n.span.start
            if n.style in ("|", ">"):
                nl = text.find("\n", begin, n.span.end)
                begin = n.span.end if nl == -1 else nl
            spans.append((begin, n.span.end))
        spans.sort()
        starts = [a for a, _ in spans]
        out: list[Comment] = []
        for m in re.finditer(r"(?<![^ \t\n\r])#", text):
            pos = m.start()
            i = bisect.bisect_right(starts, pos) - 1
            if i >= 0 and pos < spans[i][1]:
                continue
            line, col = self.source.line_col(pos)
            own_line = not self.source.line_text(line)[: col - 1].strip()
            end = text.find("\n", pos)
            end = len(text) if end == -1 else end
            out.append(Comment(Span(pos, end), text[pos + 1 : end].rstrip("\r"), line, own_line))
        return out


def format_path(path: Path) -> str:
    """``("timeline", 3, "text")`` -> ``timeline[3].text``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out or "(document)"


# --- typing of plain scalars ------------------------------------------------------
#
# Only the forms that YAML 1.1 and YAML 1.2 agree on become numbers, booleans
# or null, so a file written by any YAML library reads back unchanged:
# ``no``/``on``/``yes`` stay text (the Norway problem), and so do dates,
# ``1e3``, ``0x1f``, ``0o17`` and ``1_000``.  The model then checks types strictly:
# a number where text belongs is an error that asks for quotes.

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+][0-9]+)?\Z")


def resolve_plain(value: str) -> Any:
    """Type a plain (unquoted) scalar; anything not plainly a number, boolean or null is text."""
    if value in ("", "~", "null", "Null", "NULL"):
        return None
    if value in ("true", "True", "TRUE"):
        return True
    if value in ("false", "False", "FALSE"):
        return False
    if _INT.match(value):
        if len(value.lstrip("+-")) > 1 and value.lstrip("+-").startswith("0"):
            return value  # 012 is octal in YAML 1.1 and decimal in 1.2: keep the text
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    return value


# --- parsing ------------------------------------------------------------------


def _decode(source_name: str, raw: bytes, limits: Limits = DEFAULT_LIMITS) -> SourceFile:
    """Decode UTF-8 (a UTF-8 BOM is allowed); anything else is a positioned error."""
    if len(raw) > limits.max_bytes:
        raise PostmortemError.at(
            SourceFile(source_name, ""),
            0,
            f"file is {len(raw)} bytes, over the {limits.max_bytes} byte limit (raise it with --max-bytes)",
            "PM003",
        )
    if raw.startswith(b"\xff\xfe") or raw.startswith(b"\xfe\xff"):
        src = SourceFile(source_name, "")
        raise PostmortemError.at(src, 0, "file is UTF-16 encoded; save it as UTF-8", "PM002")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8")
        src = SourceFile(source_name, good)
        raise PostmortemError.at(
            src,
            len(good),
            f"invalid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
            "PM002",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return SourceFile(source_name, text)


def decode(name: str, raw: bytes, limits: Limits = DEFAULT_LIMITS) -> SourceFile:
    """Public wrapper: bytes -> :class:`SourceFile`, or :class:`PostmortemError`."""
    return _decode(name, raw, limits)


_SURROGATE = re.compile("[\ud800-\udfff]")


def parse(
    source: SourceFile,
    *,
    json_mode: bool | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ParsedDocument:
    """Parse one YAML or JSON document into data and positions.

    Raises :class:`PostmortemError` for input that cannot be parsed at all
    (syntax error, empty, not a mapping).  Problems that leave a usable tree
    (duplicate keys, unsupported tags) are returned as diagnostics.
    """
    text = source.text
    if len(text) > limits.max_bytes:
        raise PostmortemError.at(
            source,
            0,
            f"file is larger than the {limits.max_bytes} byte limit (raise it with --max-bytes)",
            "PM003",
        )
    if "\x00" in text:
        raise PostmortemError.at(
            source,
            text.index("\x00"),
            "NUL character in input; is this a binary file?",
            "PM002",
        )
    lone = _SURROGATE.search(text)
    if lone is not None:  # only a str handed to the library can hold one; decoded bytes cannot
        raise PostmortemError.at(
            source,
            lone.start(),
            f"lone surrogate U+{ord(lone.group()):04X} in input; the text is not valid Unicode",
            "PM002",
        )
    if json_mode is None:
        json_mode = source.name.lower().endswith(".json")
    if not text.strip():
        raise PostmortemError.at(source, 0, "the file is empty; expected an incident mapping", "PM004")
    if json_mode:
        from postmortem.jsonpos import parse_json

        data, nodes, diags = parse_json(source, limits.max_nodes, limits.max_depth)
        return ParsedDocument(source, data, nodes, tuple(diags), True)
    from postmortem.yamlcompose import compose  # PyYAML is imported only when YAML is read

    return compose(source, limits)


# --- mapping scalar characters back to source offsets ---------------------------


def _aligned_offsets(text: str, span: Span, value: str) -> tuple[int, ...]:
    """Align the characters of a plain, single-quoted or block scalar with its source.

    These styles only delete characters (indentation, quotes, a doubled
    ``''``) or turn a line break into a space, so a greedy left-to-right
    alignment is exact: a value character matches the next equal source
    character, and a space produced by folding matches a line break.
    """
    out: list[int] = []
    i = span.start
    end = span.end
    n = len(value)
    j = 0
    # skip the block header (| or > with indicators) or opening quote
    if i < end and text[i] in "|>":
        nl = text.find("\n", i, end)
        i = nl + 1 if nl != -1 else end
    elif i < end and text[i] == "'":
        i += 1
    while j < n:
        c = value[j]
        k = i
        while k < end:
            s = text[k]
            if s == c or (c == " " and s in "\r\n") or (c == "\n" and s == "\n"):
                break
            k += 1
        if k >= end:
            # chomped or synthetic characters at the end: point at the last char
            last = out[-1] if out else span.start
            out.extend([last] * (n - j))
            break
        out.append(k)
        i = k + 1
        j += 1
    return tuple(out)


_ESCAPE_LEN = {"x": 2, "u": 4, "U": 8}


def _is_high_surrogate(hex4: str) -> bool:
    try:
        return 0xD800 <= int(hex4, 16) <= 0xDBFF
    except ValueError:
        return False


def _double_quoted_offsets(text: str, span: Span, value: str) -> tuple[int, ...]:
    """Offsets for a double-quoted (or JSON) string, decoding escapes as we go."""
    out: list[int] = []
    i = span.start + 1 if span.start < len(text) and text[span.start] == '"' else span.start
    end = span.end - 1 if span.end > span.start and text[span.end - 1] == '"' else span.end
    while i < end and len(out) < len(value):
        c = text[i]
        if c == "\\" and i + 1 < end:
            nxt = text[i + 1]
            if nxt in "\r\n":  # escaped line break: joins lines with nothing
                i += 2
                while i < end and text[i] in " \t\r\n":
                    i += 1
                continue
            if nxt in _ESCAPE_LEN:
                out.append(i)
                size = 2 + _ESCAPE_LEN[nxt]
                if nxt == "u" and _is_high_surrogate(text[i + 2 : i + 6]) and text[i + 6 : i + 8] == "\\u":
                    size += 6  # a JSON surrogate pair is one character
                i += size
            else:
                out.append(i)
                i += 2
            continue
        if c in "\r\n":
            # folding: trailing spaces already emitted must be undone, as the
            # parser strips them; then one break -> space, more -> newlines
            start_break = i
            # the parser strips unescaped blanks before a line break
            while out and text[out[-1]] in " \t" and not text[out[-1] + 1 : i].strip(" \t"):
                out.pop()
            breaks = 0
            while i < end and text[i] in " \t\r\n":
                if text[i] == "\n":
                    breaks += 1
                i += 1
            if breaks <= 1:
                out.append(start_break)
            else:
                out.extend([start_break] * (breaks - 1))
            continue
        out.append(i)
        i += 1
    if len(out) < len(value):
        last = out[-1] if out else span.start
        out.extend([last] * (len(value) - len(out)))
    return tuple(out[: len(value)])


def iter_strings(doc: ParsedDocument, path: Path = ()) -> Iterator[tuple[Path, str]]:
    """Every string value in the document with its path, depth first."""
    stack: list[tuple[Path, Any]] = [(path, doc.value_at(path))]
    while stack:
        p, v = stack.pop()
        if isinstance(v, str):
            yield p, v
        elif isinstance(v, dict):
            stack.extend(((*p, k), x) for k, x in reversed(list(v.items())))
        elif isinstance(v, list):
            stack.extend(((*p, i), x) for i, x in reversed(list(enumerate(v))))
