"""Composing YAML with PyYAML into a :class:`~postmortem.yamlio.ParsedDocument`.

Kept apart from :mod:`postmortem.yamlio` so that a run that reads no YAML (a Markdown draft
without front matter, a JSON incident) never imports PyYAML.
"""

from __future__ import annotations

from typing import Any

import yaml

from postmortem.diagnostics import Diagnostic, PostmortemError, Severity, Span
from postmortem.source import SourceFile
from postmortem.yamlio import Limits, Node, ParsedDocument, Path, resolve_plain, too_deep

try:  # libyaml is optional; both composers give code point indexes.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]


def compose(source: SourceFile, limits: Limits) -> ParsedDocument:
    """The YAML half of :func:`postmortem.yamlio.parse` (size, NUL and emptiness already checked)."""
    text = source.text
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
    builder = _Builder(source, limits)
    data = builder.build(root, (), None, 0)
    return ParsedDocument(source, data, builder.nodes, tuple(builder.diags), False)


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
                    too_deep(limits.max_depth),
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
    def __init__(self, source: SourceFile, limits: Limits) -> None:
        self.source = source
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
                too_deep(self.limits.max_depth),
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
