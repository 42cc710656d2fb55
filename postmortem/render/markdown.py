"""Markdown inside incident fields: to safe HTML, and to safe GitHub-flavoured Markdown.

HTML goes through markdown-it-py with raw HTML off, links restricted to
http(s) and mailto, images shown as their alt text (figures are the only
images a document carries), and headings demoted below the document's own.
The result becomes :class:`markupsafe.Markup` only after that.

The Markdown format keeps the author's Markdown, with the same rules applied
to the text: raw HTML is escaped, unsafe link targets are dropped, images
become links and headings are demoted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markupsafe import Markup, escape

SAFE_SCHEMES = ("http:", "https:", "mailto:")
MIN_FIELD_HEADING = 4


def is_safe_url(url: str) -> bool:
    """Only absolute http(s) and mailto URLs; everything else (javascript:, data:, file:, relative) is refused."""
    u = url.strip().lower()
    # Control characters and whitespace inside a scheme are a classic filter bypass.
    u = re.sub(r"[\x00-\x20]", "", u)
    return u.startswith(SAFE_SCHEMES)


def _render_image(self: Any, tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    return f'<span class="md-image-omitted">[image: {escape(alt)}]</span>'


def _render_heading_open(self: Any, tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
    level = max(MIN_FIELD_HEADING, int(tokens[idx].tag[1:]))
    return f"<h{min(level, 6)}>"


def _render_heading_close(self: Any, tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
    level = max(MIN_FIELD_HEADING, int(tokens[idx].tag[1:]))
    return f"</h{min(level, 6)}>\n"


def _render_table_open(self: Any, tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
    return '<div class="table-wrap">\n<table>\n'


def _render_table_close(self: Any, tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
    return "</table>\n</div>\n"


def _render_link_open(self: Any, tokens: Sequence[Any], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    return f'<a href="{escape(href)}" rel="noopener noreferrer">'


class FieldRenderer:
    """One markdown-it parser per render call (it is cheap, and never shared or mutated globally)."""

    def __init__(self) -> None:
        md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        md.enable(["table", "strikethrough"])
        md.validateLink = is_safe_url  # type: ignore[method-assign]
        md.add_render_rule("image", _render_image)
        md.add_render_rule("heading_open", _render_heading_open)
        md.add_render_rule("heading_close", _render_heading_close)
        md.add_render_rule("table_open", _render_table_open)
        md.add_render_rule("table_close", _render_table_close)
        md.add_render_rule("link_open", _render_link_open)
        self._md = md

    def html(self, text: str) -> Markup:
        """Block-level HTML for a Markdown field."""
        return Markup(self._md.render(text))  # safe: markdown-it escaped it; raw HTML is off

    def inline_html(self, text: str) -> Markup:
        """Inline HTML (no paragraph) for short fields such as a table cell."""
        return Markup(self._md.renderInline(text))


# --- Markdown output -------------------------------------------------------------

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)
# A link reference definition (not a GFM footnote, ``[^label]: text``) and its destination.
_REF_DEF = re.compile(r"^( {0,3}\[(?!\^)(?:[^\]\\]|\\.)+\]:[ \t]*)(<[^<>\n]*>|\S+)")
_HEADING = re.compile(r"^( {0,3})(#{1,6})(?=\s|$)")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9.+-]{1,31}:[^\x00-\x20<>]*)>")
_EMAIL_AUTOLINK = re.compile(
    r"<[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*>"
)
_TAG_NEXT = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/!?")


def _link_destination(text: str, i: int, out: list[str]) -> int:
    """After ``](`` at ``i``: copy a safe destination, write ``#`` for another; the index after it.

    A destination is ``<...>`` (spaces allowed) or a run without spaces whose parentheses
    balance, as CommonMark reads it, so ``javascript:alert(1)`` is replaced whole.
    """
    j = i
    while j < len(text) and text[j] in " \t":
        j += 1
    if j < len(text) and text[j] == "<":
        k = j + 1
        while k < len(text) and text[k] not in "<>":
            k += 2 if text[k] == "\\" else 1
        if k < len(text) and text[k] == ">":
            out.append(text[i : k + 1] if is_safe_url(text[j + 1 : k]) else text[i:j] + "#")
            return k + 1
        out.append(text[i:j])  # not a destination: the ``<`` is read as text again
        return j
    k = j
    depth = 0
    while k < len(text):
        c = text[k]
        if c == "\\":
            k += 2
            continue
        if c <= " ":
            break
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        k += 1
    k = min(k, len(text))
    target = text[j:k]
    out.append(text[i:k] if not target or is_safe_url(target) else text[i:j] + "#")
    return k


def _sanitize_prose(segment: str) -> str:
    """Prose outside code: raw HTML escaped, unsafe link targets replaced, images made links.

    Read left to right as CommonMark does, so that a ``<`` that opens an autolink or a
    ``<...>`` link destination is not taken for a tag, and a backslash escape is kept whole.
    """
    if not any(c in segment for c in "<]!\\"):
        return segment
    out: list[str] = []
    i = 0
    n = len(segment)
    while i < n:
        c = segment[i]
        if c == "\\":
            out.append(segment[i : i + 2])
            i += 2
        elif c == "<":
            m = _AUTOLINK.match(segment, i) or _EMAIL_AUTOLINK.match(segment, i)
            if m is not None:
                safe = m.re is _EMAIL_AUTOLINK or is_safe_url(m.group(0)[1:-1])  # an email is a mailto: link
                out.append(m.group(0) if safe else "&lt;" + m.group(0)[1:])
                i = m.end()
            elif i + 1 < n and segment[i + 1] in _TAG_NEXT:
                out.append("&lt;")
                i += 1
            else:
                out.append(c)
                i += 1
        elif c == "]" and segment.startswith("](", i):
            out.append("](")
            i = _link_destination(segment, i + 2, out)
        elif c == "!" and segment.startswith("![", i):
            out.append("\\![")
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def _sanitize_line(line: str) -> str:
    prefix = ""
    m = _REF_DEF.match(line)
    if m:
        target = m.group(2)
        safe = is_safe_url(target[1:-1] if target.startswith("<") else target)
        prefix = m.group(0) if safe else m.group(1) + "#"
        line = line[m.end() :]
    else:
        line = _HEADING.sub(lambda h: h.group(1) + "#" * max(MIN_FIELD_HEADING, len(h.group(2))), line)
    out: list[str] = [prefix]
    pos = 0
    for span in _CODE_SPAN.finditer(line):
        out.append(_sanitize_prose(line[pos : span.start()]))
        out.append(span.group(0))
        pos = span.end()
    out.append(_sanitize_prose(line[pos:]))
    return "".join(out)


def sanitize_markdown(text: str) -> str:
    """The author's Markdown, made safe to publish in a repository.

    Raw HTML is escaped (``<`` becomes ``&lt;``), link targets other than
    http(s)/mailto become ``#``, images become links, headings are demoted
    below the document's own.  Autolinks (``<https://...>``, ``<a@b.example>``),
    ``<...>`` link destinations and GFM footnotes (``[^1]``, ``[^1]: text``)
    are kept.  Code blocks and code spans are left alone.
    """
    lines = text.strip("\n").split("\n")
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        m = _FENCE.match(line)
        if fence is not None:
            out.append(line)
            closing = m.group(1) if m else ""
            if closing and closing[0] == fence[0] and len(closing) >= len(fence) and not line.strip()[len(closing) :]:
                fence = None
            continue
        if m:
            fence = m.group(1)
            out.append(line)
            continue
        if line.startswith(("    ", "\t")) and (not out or not out[-1].strip()):
            out.append(line)
            continue
        out.append(_sanitize_line(line))
    if fence is not None:
        out.append(fence)
    return "\n".join(out)


_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>|~#!])")


def escape_markdown_text(text: str) -> str:
    """Plain text (a title, a name of a service) as literal Markdown inline text."""
    out = _INLINE_SPECIALS.sub(r"\\\1", text.replace("\r", ""))
    out = re.sub(r"&(?=[A-Za-z#][A-Za-z0-9]*;)", "&amp;", out)
    out = re.sub(r"^(\s*)([-+=])(?=\s)", r"\1\\\2", out)
    out = re.sub(r"^(\s*\d+)([.)])(?=\s)", r"\1\\\2", out)
    return " ".join(out.split("\n"))


def table_cell(markdown: str) -> str:
    """A GFM table cell from a Markdown field: one line, pipes escaped.

    Line breaks become ``<br>`` (a space inside a code span, as CommonMark reads
    it) and paragraphs ``<br><br>``; a hard line break (a trailing backslash, or
    two spaces) is just a ``<br>``, since a ``\\`` left before it would escape
    the ``<`` and show the tag as text.  A code block
    becomes one code span per line, joined by ``<br>``: a code span cannot hold
    a line break (``<br>`` inside it is shown as typed), and the text of a
    ``<code>`` element would be read as Markdown, and as prose by the linter.
    """
    blocks: list[str] = []
    for kind, lines in _cell_blocks(sanitize_markdown(markdown).split("\n")):
        if kind == "code":
            blocks.append("<br>".join(_code_span(line) for line in lines))
        else:
            blocks.append(_cell_paragraph(lines))
    return "<br><br>".join(b for b in blocks if b)


def _cell_blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    """The field's lines as ``("text", paragraph lines)`` and ``("code", code lines)`` blocks."""
    blocks: list[tuple[str, list[str]]] = []
    para: list[str] = []
    fence: str | None = None
    code: list[str] = []
    indented = False

    def flush() -> None:
        if para:
            blocks.append(("text", para[:]))
            para.clear()

    for line in lines:
        if fence is not None:
            m = _FENCE.match(line)
            closing = m.group(1) if m else ""
            if closing and closing[0] == fence[0] and len(closing) >= len(fence) and not line.strip()[len(closing) :]:
                blocks.append(("code", code[:]))
                code.clear()
                fence = None
            else:
                code.append(line.rstrip())
            continue
        if indented:
            if line.startswith(("    ", "\t")) or not line.strip():
                code.append(line[4:].rstrip() if line.startswith("    ") else line[1:].rstrip())
                continue
            while code and not code[-1]:
                code.pop()
            blocks.append(("code", code[:]))
            code.clear()
            indented = False
        m = _FENCE.match(line)
        if m:
            flush()
            fence = m.group(1)
            continue
        if not para and line.startswith(("    ", "\t")) and line.strip():
            indented = True
            code.append(line[4:].rstrip() if line.startswith("    ") else line[1:].rstrip())
            continue
        if line.strip():
            para.append(line)
        else:
            flush()
    flush()
    if fence is not None or indented:
        while code and not code[-1]:
            code.pop()
        blocks.append(("code", code))
    return blocks


_HARD_BREAK_BACKSLASH = re.compile(r"(?<!\\)(?:\\\\)*\\\Z")


def _cell_paragraph(lines: list[str]) -> str:
    text = "\n".join(line.strip() for line in lines)
    spans = _code_span_ranges(text) if "`" in text else []
    out: list[str] = []
    pos = 0
    for m in re.finditer("\n", text):
        line = text[pos : m.start()]
        if any(s < m.start() < e for s, e in spans):
            out.append(line + " ")  # a line break inside a code span is a space, as CommonMark reads it
        else:
            # A backslash before a line break is a hard break: the <br> alone, or it would escape the tag.
            out.append((line[:-1].rstrip() if _HARD_BREAK_BACKSLASH.search(line) else line) + "<br>")
        pos = m.end()
    last = text[pos:]
    # A backslash that ends the paragraph is a backslash as typed: escaped, so it escapes nothing next.
    out.append(last + "\\" if _HARD_BREAK_BACKSLASH.search(last) else last)
    return _escape_pipes("".join(out))


def _code_span(line: str) -> str:
    """One line of code as a code span, pipes escaped for the table; an empty line stays empty."""
    if not line.strip():
        return ""
    ticks = "`" * (max((len(run) for run in re.findall(r"`+", line)), default=0) + 1)
    # One space each side is stripped by the parser: needed next to a backtick, or around spaces.
    pad = " " if line[0] == "`" or line[-1] == "`" or (line[0] == " " and line[-1] == " ") else ""
    return f"{ticks}{pad}{_escape_pipes(line)}{pad}{ticks}"


def _code_span_ranges(text: str) -> list[tuple[int, int]]:
    """Code spans as CommonMark pairs backtick runs: an opening run closes at the next run of its length."""
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", text)]
    out: list[tuple[int, int]] = []
    k = 0
    while k < len(runs):
        s, e = runs[k]
        close = next((j for j in range(k + 1, len(runs)) if runs[j][1] - runs[j][0] == e - s), None)
        if close is None:
            k += 1
            continue
        out.append((s, runs[close][1]))
        k = close + 1
    return out


def plain_cell(text: str) -> str:
    """A GFM table cell from plain text."""
    return escape_markdown_text(text.replace("\n", " ")).strip()


def _escape_pipes(text: str) -> str:
    # GFM splits cells on | before parsing inlines, even inside code spans, so every pipe is escaped.
    return re.sub(r"(?<!\\)\|", r"\\|", text)


def md_url(url: str) -> str:
    """A link destination safe inside ``<...>`` and inside a table cell."""
    from urllib.parse import quote

    return quote(url, safe="/:@!$&'*+,;=?#%~-._[]")


# --- Suppression comments in the Markdown output ----------------------------------


@dataclass(frozen=True)
class Mark:
    """A finding that a suppression of the incident file silenced, in the field being written."""

    line: int
    """0-based line of the field's text on which the finding starts."""
    rule: str
    reason: str | None
    group: int
    """The suppression it comes from: one comment per suppression and place."""


def suppression_comment(kind: str, rules: Sequence[str], reason: str | None, *, inline: bool = False) -> str:
    """A suppression as the Markdown linter reads it: an HTML comment, which GitHub does not show.

    On a line of its own (an HTML block) the reason follows ``--``, as people write it.  Inside a
    line, an HTML comment that contains ``--`` is shown as text by older versions of cmark-gfm and
    by markdown-it (VS Code's preview): there the reason follows ``—``, which the linter accepts as
    well, and ``|`` is escaped so that a table row keeps its cells.  In both, a run of hyphens in
    the reason becomes ``–``: the reason is the author's text, and ``-->`` or ``--!>`` would end
    the comment early and show the rest.
    """
    head = f"postmortem: {kind}[{', '.join(rules)}]"
    if reason is None:
        return f"<!-- {head} -->"
    reason = re.sub(r"-{2,}", "–", " ".join(reason.split()))
    if inline:
        return f"<!-- {head} — {_escape_pipes(reason)} -->"
    return f"<!-- {head} -- {reason} -->"


def merge_comments(groups: Sequence[tuple[str | None, Sequence[str]]]) -> list[tuple[str | None, list[str]]]:
    """One comment per place for the suppressions that share a rule there, their reasons joined.

    The linter gives a finding to the first comment that covers it: two comments naming one rule
    at one place would leave the second unused.
    """
    clusters: list[tuple[list[str | None], list[str]]] = []
    for reason, rules in groups:
        hits = [i for i, (_, names) in enumerate(clusters) if set(names) & set(rules)]
        reasons: list[str | None] = []
        names: list[str] = []
        for i in hits:
            reasons += clusters[i][0]
            names += [n for n in clusters[i][1] if n not in names]
        reasons.append(reason)
        names += [n for n in rules if n not in names]
        for i in reversed(hits[1:]):
            del clusters[i]
        if hits:
            clusters[hits[0]] = (reasons, names)
        else:
            clusters.append((reasons, names))
    return [("; ".join(dict.fromkeys(r for r in reasons if r)) or None, names) for reasons, names in clusters]


_CONTAINER_STEP = {
    "blockquote_open": 1,
    "blockquote_close": -1,
    "bullet_list_open": 1,
    "bullet_list_close": -1,
    "ordered_list_open": 1,
    "ordered_list_close": -1,
    "table_open": 1,
    "table_close": -1,
}
_ODD_BACKSLASHES = re.compile(r"(?<!\\)(?:\\\\)*\\\Z")
_ROW_END = re.compile(r"(?<!\\)\|\Z")


def _prose_blocks(text: str) -> list[tuple[int, int, int]]:
    """``(first line, end line, depth)`` of each block of prose, as the Markdown linter splits a draft.

    Paragraphs, headings and table rows, with the number of lists, quotes and tables around them.
    """
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.disable(["inline", "text_join"])
    depth = 0
    out: list[tuple[int, int, int]] = []
    for tok in md.parse(text):
        step = _CONTAINER_STEP.get(tok.type)
        if step is not None:
            depth += step
        elif tok.type == "inline" and tok.map:
            out.append((tok.map[0], tok.map[1], depth))
    return out


def _with_comment(lines: list[str], i: int, block: tuple[int, int, int] | None, comment: str) -> str:
    """Line ``i`` with ``comment`` at its end: before a hard break, inside a table row's last cell,
    and before a code span that the line leaves open (the comment would be code there)."""
    line = lines[i]
    body = line.rstrip()
    tail = line[len(body) :]
    if _ODD_BACKSLASHES.search(body):
        body, tail = body[:-1], "\\" + tail
    elif _ROW_END.search(body) and "|" in body[:-1]:
        body, tail = body[:-1].rstrip(), " |" + tail
    cut = len(body)
    if block is not None and "`" in line:
        first, end = block[0], block[1]
        line_start = sum(len(text) + 1 for text in lines[first:i])
        for s, e in _code_span_ranges("\n".join(lines[first:end])):
            if s < line_start + cut < e and s >= line_start:
                cut = s - line_start
                break
    head, rest = body[:cut].rstrip(), body[cut:]
    return f"{head}{' ' if head else ''}{comment}{' ' if rest else ''}{rest}{tail}"


def place_suppressions(text: str, marks: Sequence[Mark], *, item: bool = False) -> str:
    """A field's Markdown with a suppression comment over each finding that ``marks`` locate.

    A paragraph or heading on lines of its own gets the comment on the line before it, which
    covers the block.  A line inside a list, a quote or a table, and the first line of a list
    item (``item``: the template writes ``- `` before it), gets the comment at its end, which
    covers the line.  The linter gives the same scopes, so each comment silences what it did in
    the incident file and nothing else.
    """
    if not marks:
        return text
    lines = text.split("\n")
    blocks = _prose_blocks(text)
    Place = dict[int, tuple[str | None, list[str]]]
    before: dict[int, Place] = {}
    after: dict[int, tuple[tuple[int, int, int] | None, Place]] = {}
    for m in marks:
        at = min(max(m.line, 0), len(lines) - 1)
        block = next((b for b in blocks if b[0] <= at < b[1]), None)
        if block is not None and block[2] == 0 and not (item and block[0] == 0):
            place = before.setdefault(block[0], {})
        else:
            place = after.setdefault(at, (block, {}))[1]
        rules = place.setdefault(m.group, (m.reason, []))[1]
        if m.rule not in rules:
            rules.append(m.rule)
    out: list[str] = []
    for i, line in enumerate(lines):
        indent = line[: len(line) - len(line.lstrip())]
        for reason, rules in merge_comments([v for _, v in sorted(before.get(i, {}).items())]):
            out.append(indent + suppression_comment("ignore", rules, reason))
        if i in after:
            block, place = after[i]
            comments = " ".join(
                suppression_comment("ignore", rules, reason, inline=True)
                for reason, rules in merge_comments([v for _, v in sorted(place.items())])
            )
            line = _with_comment(lines, i, block, comments)
        out.append(line)
    return "\n".join(out)
