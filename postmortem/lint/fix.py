"""``--fix``: rewrite flagged names as roles or consistent placeholders, touching nothing else.

Each fix replaces exactly the source span of one ``named-individual`` or
``person-mention`` finding.  Every other character of the file, comments and
formatting included, stays as it was.  A replacement is escaped for the
scalar style it lands in (single-quoted ``''``, double-quoted and JSON
``\\"``), and a fix that could change how YAML reads a plain scalar (a
replacement holding ``": "`` or ``" #"``) or that would join lines is
skipped and left for a person.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass

from postmortem.diagnostics import Diagnostic
from postmortem.yamlio import ParsedDocument

FIXABLE = frozenset({"named-individual", "person-mention"})
_SENTENCE_START = set(".!?:|>-*#\"'")


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


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


def _style_at(doc: ParsedDocument | None, offset: int) -> str | None:
    """The scalar style of the innermost scalar holding ``offset`` (``None`` for Markdown prose)."""
    if doc is None:
        return None
    best: tuple[int, str] | None = None
    for node in doc.nodes.values():
        if node.style is not None and node.span.start <= offset < node.span.end:
            size = node.span.end - node.span.start
            if best is None or size < best[0]:
                best = (size, node.style)
    if best is None:
        return None
    return '"' if doc.is_json else best[1]


def plan(text: str, diags: Sequence[Diagnostic], doc: ParsedDocument | None = None) -> list[Edit]:
    """The edits for the fixable findings, in file order, never overlapping."""
    placeholders: dict[str, str] = {}
    edits: list[Edit] = []
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
        style = _style_at(doc, s)
        escaped = _escape(replacement, style)
        if escaped is None:
            continue
        edits.append(Edit(s, e, escaped))
        last_end = e
    return edits


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


def _escape(replacement: str, style: str | None) -> str | None:
    if style == '"':
        return json.dumps(replacement, ensure_ascii=False)[1:-1]
    if style == "'":
        return replacement.replace("'", "''")
    if style == "":
        if ": " in replacement or " #" in replacement or replacement.endswith(":") or "\n" in replacement:
            return None
        return replacement
    return replacement


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
    """The fixed text and the number of edits made."""
    edits = plan(text, diags, doc)
    return apply(text, edits), len(edits)


__all__ = ["FIXABLE", "Edit", "apply", "fix_text", "plan"]
