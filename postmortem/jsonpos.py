"""JSON with source positions.

JSON is not quite a subset of what PyYAML reads (escaped surrogate pairs such
as ``\\ud83d\\ude00`` and some control characters differ), so JSON files get
their own small parser.  The standard library checks the syntax first and
decodes every string and number; this module only walks the text to record
where each value sits and to catch duplicate keys.
"""

from __future__ import annotations

import json
import re
from typing import Any

from postmortem.diagnostics import Diagnostic, PostmortemError, Severity, Span
from postmortem.source import SourceFile
from postmortem.yamlio import too_deep

scanstring = json.decoder.scanstring  # type: ignore[attr-defined]

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogate(source: SourceFile, value: str, at: int) -> None:
    """JSON may escape half of a surrogate pair (``"\\ud800"``); that is not text, and it
    could not be written out as UTF-8 later, so it is refused where it is written."""
    lone = _SURROGATE.search(value)
    if lone is not None:
        raise PostmortemError.at(
            source,
            at,
            f"the string holds a lone surrogate \\u{ord(lone.group()):04x}, which is not valid Unicode;"
            " escape the character as a pair, or write it as is",
            "PM005",
        )


class _Constant(ValueError):
    """NaN or Infinity: Python's json reads them, JSON does not allow them."""


def _reject_constant(name: str) -> Any:
    raise _Constant(name)


_STRING_OR_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|-?Infinity|NaN')


def _constant_offset(text: str, name: str) -> int:
    for m in _STRING_OR_CONSTANT.finditer(text):
        if m.group() == name:
            return m.start()
    return 0  # pragma: no cover - json.loads only reports constants that are in the text


def parse_json(
    source: SourceFile, max_nodes: int, max_depth: int
) -> tuple[dict[str, Any], dict[Any, Any], list[Diagnostic]]:
    """Return (data, nodes, diagnostics); ``nodes`` maps paths to yamlio.Node values."""
    from postmortem.yamlio import Node

    text = source.text
    try:
        json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise PostmortemError.at(source, exc.pos, f"JSON syntax error: {exc.msg}", "PM005") from None
    except _Constant as exc:
        # json.loads gives no position for these; find the first one outside a string
        name = str(exc)
        at = _constant_offset(text, name)
        raise PostmortemError.at(source, at, f"JSON syntax error: {name} is not valid JSON", "PM005") from None
    except RecursionError:
        raise PostmortemError.at(source, 0, "the document is nested too deeply", "PM003") from None

    nodes: dict[Any, Any] = {}
    diags: list[Diagnostic] = []
    count = 0

    def skip(i: int) -> int:
        m = _WS.match(text, i)
        return m.end() if m else i

    def value(i: int, path: tuple[Any, ...], key_span: Span | None, depth: int) -> tuple[Any, int]:
        nonlocal count
        count += 1
        if count > max_nodes:
            raise PostmortemError.at(source, i, f"the document has more than {max_nodes} values", "PM003")
        if depth > max_depth:
            raise PostmortemError.at(
                source,
                i,
                too_deep(max_depth),
                "PM003",
            )
        c = text[i]
        if c == "{":
            out: dict[str, Any] = {}
            first: dict[str, int] = {}
            j = skip(i + 1)
            if text[j] == "}":
                nodes[path] = Node(Span(i, j + 1), key_span, None)
                return out, j + 1
            while True:
                kstart = j
                key, j = scanstring(text, j + 1)
                _no_surrogate(source, key, kstart)
                kspan = Span(kstart, j)
                j = skip(skip(j) + 1)  # the colon
                here = (*path, key)
                if key in first:
                    # the duplicate's value is read (for its syntax and limits) but its positions
                    # must not replace those of the value kept
                    kept = {p: n for p, n in nodes.items() if p[: len(here)] == here}
                v, j = value(j, here, kspan, depth + 1)
                if key in first:
                    for p in [p for p in nodes if p[: len(here)] == here]:
                        del nodes[p]
                    nodes.update(kept)
                    line, _ = source.line_col(first[key])
                    diags.append(
                        Diagnostic(
                            source,
                            kspan,
                            f"duplicate key '{key}' (first defined on line {line}); data would be lost",
                            Severity.ERROR,
                            "PM006",
                            "duplicate-key",
                        )
                    )
                else:
                    first[key] = kstart
                    out[key] = v
                j = skip(j)
                if text[j] == ",":
                    j = skip(j + 1)
                    continue
                nodes[path] = Node(Span(i, j + 1), key_span, None)
                return out, j + 1
        if c == "[":
            items: list[Any] = []
            j = skip(i + 1)
            if text[j] == "]":
                nodes[path] = Node(Span(i, j + 1), key_span, None)
                return items, j + 1
            while True:
                v, j = value(j, (*path, len(items)), None, depth + 1)
                items.append(v)
                j = skip(j)
                if text[j] == ",":
                    j = skip(j + 1)
                    continue
                nodes[path] = Node(Span(i, j + 1), key_span, None)
                return items, j + 1
        if c == '"':
            s, j = scanstring(text, i + 1)
            _no_surrogate(source, s, i)
            nodes[path] = Node(Span(i, j), key_span, '"')
            return s, j
        for word, result in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, i):
                nodes[path] = Node(Span(i, i + len(word)), key_span, "")
                return result, i + len(word)
        m = _NUMBER.match(text, i)
        assert m is not None, "json.loads accepted what the walker cannot read"
        num: Any = float(m.group()) if m.group(1) or m.group(2) else int(m.group())
        nodes[path] = Node(Span(i, m.end()), key_span, "")
        return num, m.end()

    start = skip(0)
    if text[start] != "{":
        kind = "a list" if text[start] == "[" else "a single value"
        raise PostmortemError.at(
            source, start, f"the document is {kind}; expected a mapping of incident fields", "PM004"
        )
    data, _ = value(start, (), None, 0)
    return data, nodes, diags
