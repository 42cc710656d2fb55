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

import yaml

from postmortem.diagnostics import Diagnostic, PostmortemError, Severity, Span
from postmortem.source import SourceFile

try:  # libyaml is optional; both composers give code point indexes.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Limits:
    """Documented input limits (see ``docs/security.md``)."""

    max_bytes: int = 10 * 1024 * 1024
    max_nodes: int = 1_000_000
    max_depth: int = 200


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
    try:
        _check_shape(source, limits)
        docs = list(yaml.compose_all(text, Loader=_Loader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        offset = min(mark.index, len(text)) if mark else 0
        problem = exc.problem or exc.context or "invalid YAML"
        if text[offset : offset + 1] == "\t" and "cannot start any token" in problem:
            problem = "a tab cannot indent YAML; indent with spaces"
        raise PostmortemError.at(source, offset, f"YAML syntax error: {problem}", "PM005") from None
    except yaml.reader.ReaderError as exc:  # control characters and the like
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        # libyaml reports a *byte* offset; the first occurrence of the character is the one
        # the reader stopped at, as it reads in order
        offset = text.find(char)
        if offset == -1:  # pragma: no cover - the reader only reports characters of the text
            offset = 0
        raise PostmortemError.at(
            source, offset, f"control character U+{ord(char):04X} is not allowed in YAML; remove it", "PM005"
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every known error is marked or a reader error
        raise PostmortemError.at(source, 0, f"YAML error: {str(exc).splitlines()[0]}", "PM005") from None
    except RecursionError:
        raise PostmortemError.at(source, 0, "the document is nested too deeply", "PM003") from None
    docs = [d for d in docs if d is not None]
    if not docs:
        raise PostmortemError.at(
            source,
            0,
            "the file holds no document; expected an incident mapping",
            "PM004",
        )
    if len(docs) > 1:
        raise PostmortemError.at(
            source,
            docs[1].start_mark.index,
            "the file holds more than one YAML document; put one incident in each file",
            "PM004",
        )
    root = docs[0]
    if isinstance(root, yaml.ScalarNode) and root.value == "" and not root.style:
        raise PostmortemError.at(
            source, root.start_mark.index, "the document is empty; expected a mapping of incident fields", "PM004"
        )
    if not isinstance(root, yaml.MappingNode):
        kind = "a list" if isinstance(root, yaml.SequenceNode) else "a single value"
        raise PostmortemError.at(
            source,
            root.start_mark.index,
            f"the document is {kind}; expected a mapping of incident fields",
            "PM004",
        )
    builder = _Builder(source, json_mode, limits)
    data = builder.build(root, (), None, 0)
    return ParsedDocument(source, data, builder.nodes, tuple(builder.diags), json_mode)


def _check_shape(source: SourceFile, limits: Limits) -> None:
    """Refuse alias bombs, very wide and very deep documents *before* composing them.

    Composing builds a Python object for every node, so a 10 MB flat list or a
    "billion laughs" would cost seconds and gigabytes before the builder could
    count.  This pass reads the event stream (constant memory), counts the
    values as the builder will (mapping keys are not values; an alias counts
    the expanded size of its anchor) and stops at the first event over a limit.
    """
    count = 0
    sizes: dict[str, int | None] = {}  # anchor -> expanded size; None while still open
    # one frame per open collection: [is_mapping, anchor, count at start, next is a key]
    stack: list[list[Any]] = []
    for event in yaml.parse(source.text, Loader=_Loader):
        at = event.start_mark.index if event.start_mark is not None else 0
        if isinstance(event, yaml.CollectionEndEvent):
            _, anchor, start, _ = stack.pop()
            if anchor is not None:
                sizes[anchor] = count - start
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        is_key = False
        if stack and stack[-1][0]:
            is_key = stack[-1][3]
            stack[-1][3] = not is_key
        before = count
        if isinstance(event, yaml.AliasEvent):
            size = sizes.get(event.anchor or "", 0)
            if size is None:
                raise PostmortemError.at(
                    source,
                    at,
                    f"alias *{event.anchor} refers to a value that contains it; recursive data is not supported",
                    "PM003",
                )
            if not is_key:
                count += size
        elif not is_key:
            count += 1
        if isinstance(event, yaml.CollectionStartEvent):
            if len(stack) > limits.max_depth:
                raise PostmortemError.at(
                    source,
                    at,
                    f"the document is nested deeper than {limits.max_depth} levels; raise the limit with --max-depth",
                    "PM003",
                )
            stack.append([isinstance(event, yaml.MappingStartEvent), event.anchor, before, True])
            if event.anchor is not None:
                sizes[event.anchor] = None
        elif isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
            sizes[event.anchor] = count - before
        if count > limits.max_nodes:
            raise PostmortemError.at(
                source,
                at,
                f"the document expands to more than {limits.max_nodes} values"
                " (an alias bomb?); raise the limit with --max-nodes",
                "PM003",
            )


class _Builder:
    def __init__(self, source: SourceFile, json_mode: bool, limits: Limits) -> None:
        self.source = source
        self.json_mode = json_mode
        self.limits = limits
        self.nodes: dict[Path, Node] = {}
        self.diags: list[Diagnostic] = []
        self.count = 0

    def _diag(self, span: Span, message: str, code: str = "PM006", rule: str = "duplicate-key") -> None:
        self.diags.append(Diagnostic(self.source, span, message, Severity.ERROR, code, rule))

    def build(self, node: yaml.Node, path: Path, key_span: Span | None, depth: int) -> Any:
        self.count += 1
        span = Span(node.start_mark.index, node.end_mark.index)
        if self.count > self.limits.max_nodes:
            raise PostmortemError.at(
                self.source,
                span.start,
                f"the document expands to more than {self.limits.max_nodes} values"
                " (an alias bomb?); raise the limit with --max-nodes",
                "PM003",
            )
        if depth > self.limits.max_depth:
            raise PostmortemError.at(
                self.source,
                span.start,
                f"the document is nested deeper than {self.limits.max_depth} levels; raise the limit with --max-depth",
                "PM003",
            )
        if isinstance(node, yaml.ScalarNode):
            style = node.style or ""
            self.nodes[path] = Node(span, key_span, style)
            if node.tag not in _PLAIN_TAGS:
                self._diag(
                    span,
                    f"YAML tag {node.tag} is not supported; remove it",
                    "PM007",
                    "yaml-tag",
                )
            if node.tag == "tag:yaml.org,2002:str" and node.style is None and node.value != "":
                # an explicit !!str on a plain scalar
                explicit = self.source.text[span.start : span.start + 5] == "!!str"
                if explicit:
                    return node.value
            if style == "":
                return resolve_plain(node.value)
            return node.value
        self.nodes[path] = Node(span, key_span, None)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), None, depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        out: dict[str, Any] = {}
        first_seen: dict[str, Span] = {}
        for knode, vnode in node.value:
            kspan = Span(knode.start_mark.index, knode.end_mark.index)
            if not isinstance(knode, yaml.ScalarNode):
                self._diag(
                    kspan,
                    "a key must be a plain text, not a list or mapping",
                    "PM007",
                    "yaml-key",
                )
                continue
            key = knode.value
            if knode.tag == "tag:yaml.org,2002:merge" or (key == "<<" and not knode.style):
                self._diag(
                    kspan,
                    "YAML merge keys (<<) are not supported; write the fields out",
                    "PM007",
                    "yaml-merge",
                )
                continue
            if key in first_seen:
                line, _ = self.source.line_col(first_seen[key].start)
                self._diag(
                    kspan,
                    f"duplicate key '{key}' (first defined on line {line}); data would be lost",
                )
                continue
            first_seen[key] = kspan
            out[key] = self.build(vnode, (*path, key), kspan, depth + 1)
        return out


_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:value",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


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
