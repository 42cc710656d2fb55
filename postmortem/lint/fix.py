"""``--fix``: rewrite flagged names as roles or consistent placeholders, touching nothing else.

Each fix replaces exactly the source span of one ``named-individual`` or
``person-mention`` finding.  Every other character of the file, comments and
formatting included, stays as it was.  A replacement is written so that it
reads back as itself in the scalar it lands in, or it is skipped and left for
a person:

* double-quoted and JSON: escaped (``\\"``, and in YAML the characters YAML
  would not read raw, as ``\\uXXXX``);
* single-quoted: ``'`` doubled;
* plain: YAML 1.2's rules for plain scalars.  At the start of the scalar the
  first character may not be an indicator (``-``, ``?`` and ``:`` only when
  followed by a character that is not a space, and inside a flow collection
  only ``-``, as PyYAML reads it); ``:`` must be followed and
  ``#`` preceded by a character that is not a space, so no ``": "``,
  ``" #"`` or trailing ``:``; inside a flow collection (``[...]``, ``{...}``)
  none of ``,[]{}``; no leading or trailing blank; and a replacement of the
  whole scalar must stay text (not ``null``, ``true`` or a number);
* a replacement holding a line break or a character YAML does not allow raw
  is skipped in every style but double-quoted, and so is a fix that would
  join lines.

Then a safety net, for YAML and JSON (and a Markdown draft's front matter):
the fixed text must parse to the same shape as the original, the same paths
in the same order with the same node kinds, scalar styles and value types,
and every value must read as the original with only the flagged characters
replaced.  Edits that break this are dropped (left for a person), never
written.  The library does no file I/O; the command line writes the result.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from postmortem.diagnostics import Diagnostic, PostmortemError
from postmortem.yamlio import DEFAULT_LIMITS, Limits, ParsedDocument, Path, resolve_plain

FIXABLE = frozenset({"named-individual", "person-mention"})
_SENTENCE_START = set(".!?:|>-*#\"'")


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class _Planned:
    edit: Edit
    value: str
    """The replacement as a reader reads it back (``text`` is it escaped for the scalar's style)."""


def _placeholder(n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(65 + r) + letters
    return f"Responder {letters}"


def _person_key(matched: str) -> str:
    key = matched.strip().lstrip("@").casefold()
    for suffix in ("'s", "’s"):
        if key.endswith(suffix):
            key = key[: -len(suffix)]
    return key.split("@")[0] if "@" in key else key


# --- where an edit lands ---------------------------------------------------------------------

# A node's properties (an anchor ``&a``, a tag ``!!str``) sit inside its span, before its content.
_PROPERTIES = re.compile(r"(?:[&!][^ \t\r\n]*[ \t\r\n]+)*")


@dataclass(frozen=True)
class _Scalar:
    start: int
    end: int
    style: str


class _Layout:
    """The document's value scalars and flow collections, for looking up an offset."""

    def __init__(self, doc: ParsedDocument) -> None:
        text = doc.source.text
        self.is_json = doc.is_json
        scalars: dict[tuple[int, int], str] = {}
        flows: list[tuple[int, int]] = []
        for node in doc.nodes.values():
            a, b = node.span.start, node.span.end
            if node.style is not None:
                scalars.setdefault((a, b), node.style)  # an alias repeats its anchor's span
            else:
                content = _PROPERTIES.match(text, a, b).end()  # type: ignore[union-attr]
                if text[content : content + 1] in ("[", "{"):
                    flows.append((a, b))
        self.scalars = [_Scalar(a, b, style) for (a, b), style in sorted(scalars.items())]
        self.starts = [s.start for s in self.scalars]
        self.flows = flows

    def scalar_at(self, offset: int) -> _Scalar | None:
        """The value scalar holding ``offset`` (scalar spans do not overlap), or ``None``."""
        i = bisect.bisect_right(self.starts, offset) - 1
        while i >= 0 and self.scalars[i].start == offset and self.scalars[i].end == offset:
            i -= 1  # an empty scalar (``key:``) at the same offset holds nothing
        if i >= 0 and self.scalars[i].start <= offset < self.scalars[i].end:
            return self.scalars[i]
        return None

    def in_flow(self, offset: int) -> bool:
        return any(a <= offset < b for a, b in self.flows)


# --- escaping for each scalar style ------------------------------------------------------------

_BREAKS = "\n\r\x85\u2028\u2029"
# Characters YAML accepts raw in a stream (YAML 1.2 c-printable, as PyYAML's reader checks it).
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# What YAML must not read raw inside double quotes: the above, the Unicode line breaks, and a BOM.
_DQ_ESCAPE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = frozenset(",[]{}")
_BLANKS = " \t" + _BREAKS


def _raw_ok(replacement: str) -> bool:
    """No line break and nothing YAML refuses in the stream: the only rule for block and single-quoted."""
    return not any(c in _BREAKS for c in replacement) and _NOT_PRINTABLE.search(replacement) is None


def _double_quoted(replacement: str, is_json: bool) -> str:
    escaped = json.dumps(replacement, ensure_ascii=False)[1:-1]
    if is_json:
        return escaped

    def esc(m: re.Match[str]) -> str:
        c = ord(m.group())
        return f"\\u{c:04x}" if c <= 0xFFFF else f"\\U{c:08x}"

    return _DQ_ESCAPE.sub(esc, escaped)


def _plain_safe(c: str, flow: bool) -> bool:
    """YAML's ns-plain-safe: a character that may follow ``:`` (or ``-``/``?``/``:`` starting a scalar)."""
    return c != "" and c not in _BLANKS and not (flow and c in _FLOW_INDICATORS)


def _plain_ok(text: str, start: int, end: int, replacement: str, scalar: _Scalar, flow: bool) -> bool:
    """Whether ``replacement`` in place of ``text[start:end]`` keeps the plain scalar reading as intended."""
    if not replacement or replacement != replacement.strip(_BLANKS) or not _raw_ok(replacement):
        return False
    if flow and any(c in _FLOW_INDICATORS for c in replacement):
        return False
    at_start = _PROPERTIES.fullmatch(text, scalar.start, start) is not None
    left = "" if at_start else text[start - 1]
    right = text[end] if end < scalar.end else ""  # "" is the end of the scalar
    if at_start:
        first = replacement[0]
        if first in _INDICATORS:
            # YAML 1.2 allows ``?`` and ``:`` here in flow context too; PyYAML does not
            if first not in ("-" if flow else "-?:"):
                return False
            following = replacement[1] if len(replacement) > 1 else right
            if not _plain_safe(following, flow):
                return False
        if end >= scalar.end and not isinstance(resolve_plain(replacement), str):
            return False  # the whole scalar would become null, a boolean or a number
    for i, c in enumerate(replacement):
        if c == ":":
            following = replacement[i + 1] if i + 1 < len(replacement) else right
            if not _plain_safe(following, flow):
                return False
        elif c == "#":
            before = replacement[i - 1] if i else left
            if before == "" or before in _BLANKS:
                return False
    return True


def _escape(text: str, start: int, end: int, replacement: str, layout: _Layout | None) -> str | None:
    """``replacement`` written for the scalar at ``start``, or ``None`` when it cannot be written safely there."""
    scalar = layout.scalar_at(start) if layout is not None else None
    if layout is None or scalar is None:
        return replacement  # Markdown prose (or not in a value: the safety net judges it)
    if layout.is_json or scalar.style == '"':
        return _double_quoted(replacement, layout.is_json)
    if not _raw_ok(replacement):
        return None
    if scalar.style == "'":
        return replacement.replace("'", "''")
    if scalar.style == "":
        return replacement if _plain_ok(text, start, end, replacement, scalar, layout.in_flow(start)) else None
    return replacement  # a block scalar (| or >)


# --- planning -------------------------------------------------------------------------------


def _candidates(text: str, diags: Sequence[Diagnostic], doc: ParsedDocument | None) -> list[_Planned]:
    """Every edit the rules allow, before the safety net."""
    layout = _Layout(doc) if doc is not None else None
    placeholders: dict[str, str] = {}
    out: list[_Planned] = []
    last_end = -1
    for d in sorted((d for d in diags if d.rule in FIXABLE), key=lambda d: (d.span.start, d.span.end)):
        s, e = d.span.start, d.span.end
        if s < last_end or e <= s:
            continue
        original = text[s:e]
        if "\n" in original or "\r" in original:
            continue
        replacement = d.fix
        if not replacement:
            key = _person_key(d.matched or original)
            replacement = placeholders.setdefault(key, _placeholder(len(placeholders)))
        if original.endswith(("'s", "’s")) and not replacement.endswith("s"):
            replacement += original[-2:]
        if _at_sentence_start(text, s):
            replacement = replacement[:1].upper() + replacement[1:]
        escaped = _escape(text, s, e, replacement, layout)
        if escaped is None:
            continue
        out.append(_Planned(Edit(s, e, escaped), replacement))
        last_end = e
    return out


def plan(text: str, diags: Sequence[Diagnostic], doc: ParsedDocument | None = None) -> list[Edit]:
    """The edits for the fixable findings, in file order, never overlapping.

    With ``doc`` (the parsed ``text``, or for a Markdown draft its front matter, parsed from a
    prefix of ``text``), only edits that keep the document's shape and values are returned.
    """
    planned = _candidates(text, diags, doc)
    if doc is not None and planned:
        planned = _keep_safe(doc, text, planned)
    return [p.edit for p in planned]


_LINE_LEAD = re.compile(
    r"[ \t>]*(?:(?:[-*+]|\d{1,3}[.)])[ \t]+)?(?:\*\*|__)?\[?(?:\d{4}-\d{2}-\d{2}[T ])?\d{1,2}:\d{2}(?::\d{2})?"
    r"(?:[ \t]*(?:UTC|Z))?\]?(?:\*\*|__)?[ \t:—–-]*"
)


def _at_sentence_start(text: str, offset: int) -> bool:
    """After ``.``, ``!``, ``?``, a YAML indicator or a list marker, or after a timeline line's time."""
    line_start = text.rfind("\n", 0, offset) + 1
    if _LINE_LEAD.fullmatch(text, line_start, offset):
        return True
    i = offset - 1
    while i >= 0 and text[i] in " \t\r\n":
        i -= 1
    return i < 0 or text[i] in _SENTENCE_START


# --- the safety net -----------------------------------------------------------------------


_MAX_CHECKS = 64
"""At most this many parses to find the edits at fault; edits not proven sound by then are dropped."""


def _keep_safe(doc: ParsedDocument, text: str, planned: list[_Planned]) -> list[_Planned]:
    """Drop the edits that would change the parsed document's shape or values.

    One parse when every edit is sound (the usual case).  When the fixed document still parses to
    the same paths, the edits in the scalars that read differently are dropped and the rest checked
    again.  Otherwise the set is halved until the edits at fault are found; a bounded number of
    parses (:data:`_MAX_CHECKS`) keeps a pathological file from costing one parse per edit.
    """
    base = doc.source.text
    if not text.startswith(base):
        raise ValueError("doc must be the parsed text, or its front matter parsed from a prefix of the text")
    inside = [p for p in planned if p.edit.start < len(base)]
    if not inside:
        return planned
    outside = [p for p in planned if p.edit.start >= len(base)]
    checks = 0

    def verdict(subset: list[_Planned]) -> set[int] | None:
        nonlocal checks
        checks += 1
        if checks > _MAX_CHECKS:
            return set(range(len(subset)))
        return _faults(doc, text, subset)

    kept = inside
    while kept:
        faults = verdict(kept)
        if faults is None:
            break
        if faults:  # the scalars at fault are known
            kept = [p for i, p in enumerate(kept) if i not in faults]
            continue
        kept = _filter(kept, lambda subset: verdict(subset) is None)
        break
    return sorted(kept + outside, key=lambda p: p.edit.start)


def _filter(items: list[_Planned], ok: Callable[[list[_Planned]], bool]) -> list[_Planned]:
    """The items that ``ok`` accepts, found by halving: ``items`` as a whole is known to fail."""
    if len(items) <= 1:
        return []
    mid = len(items) // 2
    left, right = items[:mid], items[mid:]
    kept = (left if ok(left) else _filter(left, ok)) + (right if ok(right) else _filter(right, ok))
    if len(kept) < len(items) and (not kept or ok(kept)):
        return kept
    # Each part is sound alone but not together: add edits one by one, keeping what stays sound.
    out: list[_Planned] = []
    for item in kept:
        if ok([*out, item]):
            out.append(item)
    return out


def _faults(doc: ParsedDocument, text: str, planned: list[_Planned]) -> set[int] | None:
    """Whether the edits keep ``doc`` the same shape, with only the flagged characters replaced.

    ``None`` when they do.  Otherwise the indexes of the edits at fault when the fixed document
    has the same paths and only some scalars read differently, or an empty set when the fault
    cannot be pinned on edits (the text does not parse, or its shape changed).
    """
    from postmortem.source import SourceFile
    from postmortem.yamlio import parse

    base = doc.source.text
    edits = [p.edit for p in planned]
    new_base = apply(base, edits)
    if len(base) < len(text):  # a Markdown draft's front matter: it must still end where it did
        from postmortem.lint.markdown import split_front_matter

        fm = split_front_matter(apply(text, edits))
        if fm is None or fm[0] != len(new_base):
            return set()
    depth = max((len(p) for p in doc.nodes), default=0)
    limits = Limits(
        max_bytes=max(DEFAULT_LIMITS.max_bytes, len(new_base)),
        max_nodes=max(DEFAULT_LIMITS.max_nodes, 2 * len(doc.nodes)),
        max_depth=max(DEFAULT_LIMITS.max_depth, depth + 1),
    )
    try:
        new = parse(SourceFile(doc.source.name, new_base), json_mode=doc.is_json, limits=limits)
    except PostmortemError:
        return set()
    if [(d.code, d.rule) for d in new.diagnostics] != [(d.code, d.rule) for d in doc.diagnostics]:
        return set()
    if list(new.nodes) != list(doc.nodes):
        return set()
    spans = sorted((p.edit.start, p.edit.end, p.value) for p in planned)
    index = {p.edit.start: i for i, p in enumerate(planned)}  # edits never overlap: a start is one edit
    faults: set[int] = set()
    for path, node in doc.nodes.items():
        old_value = doc.value_at(path)
        new_value = new.value_at(path)
        if node.style is None:
            if type(new_value) is not type(old_value):
                return set()
            continue
        touched = _touching(spans, node.span.start, node.span.end)
        expected = _expected(doc, path, old_value, touched)
        if new.nodes[path].style != node.style or type(new_value) is not type(expected) or new_value != expected:
            if not touched:
                return set()  # a scalar no edit touches reads differently: the fault is elsewhere
            faults.update(index[sp[0]] for sp in touched)
    return faults or None


def _touching(spans: list[tuple[int, int, str]], start: int, end: int) -> list[tuple[int, int, str]]:
    """The edits (sorted, never overlapping) that overlap ``[start, end)``."""
    j = max(bisect.bisect_left(spans, (start,)) - 1, 0)  # one edit may start before
    out: list[tuple[int, int, str]] = []
    while j < len(spans) and spans[j][0] < end:
        if spans[j][1] > start:
            out.append(spans[j])
        j += 1
    return out


def _expected(doc: ParsedDocument, path: Path, value: Any, touched: list[tuple[int, int, str]]) -> Any:
    """The scalar's value with each edited span's characters read as that edit's replacement."""
    if not touched or not isinstance(value, str):
        return value
    offsets = doc.char_offsets(path)
    starts = [sp[0] for sp in touched]
    out: list[str] = []
    done: set[int] = set()
    previous = -1
    for ch, off in zip(value, offsets, strict=True):
        k = bisect.bisect_right(starts, off) - 1
        # a character with its predecessor's offset has no source character of its own (a
        # chomped or folded line end): it is not part of a name
        if k >= 0 and off < touched[k][1] and off != previous:
            if k not in done:
                out.append(touched[k][2])
                done.add(k)
        else:
            out.append(ch)
        previous = off
    return "".join(out)


def apply(text: str, edits: Sequence[Edit]) -> str:
    out = []
    pos = 0
    for ed in sorted(edits, key=lambda x: x.start):
        out.append(text[pos : ed.start])
        out.append(ed.text)
        pos = ed.end
    out.append(text[pos:])
    return "".join(out)


def fix_text(text: str, diags: Sequence[Diagnostic], doc: ParsedDocument | None = None) -> tuple[str, int]:
    """The fixed text and the number of edits made.

    ``doc`` is ``text`` parsed (for a Markdown draft, its front matter or ``None``); with it, a fix
    never changes how the document parses (see the module docstring).  No file is read or written.
    """
    edits = plan(text, diags, doc)
    return apply(text, edits), len(edits)


__all__ = ["FIXABLE", "Edit", "apply", "fix_text", "plan"]
