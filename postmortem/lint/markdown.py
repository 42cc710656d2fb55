"""Markdown drafts: find the prose, keep exact offsets.

The draft is parsed with markdown-it-py (imported here only, so YAML runs
never pay for it) and every block's line range is taken from the token's
``.map``.  The text handed to the detectors is the source itself with
everything that is not prose blanked by spaces: YAML front matter, fenced
and indented code, HTML blocks, and inside each block the code spans,
URLs, link targets, autolinks and inline HTML.  An offset in the masked
text is therefore an offset in the file.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from postmortem.lint.text import Masker, code_span_ranges, html_comment_ranges, looks_like_chat, mask_inline
from postmortem.source import SourceFile
from postmortem.yamlio import ParsedDocument, parse

if TYPE_CHECKING:  # pragma: no cover
    from markdown_it import MarkdownIt

_ACTION_HEADING = re.compile(r"action[ -]?items?|follow[ -]?ups?|remediation|next steps|corrective actions?", re.I)


class Segment(NamedTuple):
    """One block of prose: a paragraph, a heading, a list item's text, a table row.

    A named tuple rather than a frozen dataclass: a long draft has thousands, and a tuple is built
    several times faster.
    """

    start: int
    end: int
    first_line: int
    last_line: int
    section: str
    """The section's name as it may be printed (:func:`section_name`), ``""`` before the first heading."""
    is_heading: bool
    action: bool
    chat: bool


@dataclass(frozen=True)
class Section:
    title: str
    """The heading's raw text: for matching only, never for a message (it may hold a name)."""
    level: int
    line: int
    start: int
    has_content: bool
    name: str = ""
    """How a message names the section: :func:`section_name`."""


# The usual sections of a post-mortem: a heading that reads as one of these (any case, numbering,
# emphasis or a final colon aside) is named in messages; any other heading is named by its number,
# as its text is the author's and may hold a name ("Notes from Dana").
KNOWN_SECTIONS = (
    "Summary", "Executive summary", "Incident summary", "Overview", "Background", "Context",
    "At a glance", "Impact", "Customer impact", "Detection", "Responders", "Timeline", "Analysis",
    "Trigger", "Root cause", "Root causes", "Root cause analysis", "Contributing factors",
    "Resolution", "Mitigation", "Recovery", "What went well", "What went right", "What went wrong",
    "Where we got lucky", "Lessons learned", "Action items", "Follow-ups", "Next steps",
    "Remediation", "Corrective actions", "Open questions", "Supporting information", "Links",
    "References", "Figures", "Appendix", "Glossary", "Notes",
)  # fmt: skip
_DECORATION = " \t*_`#:."
_NUMBERING = re.compile(r"(?:\d+|[ivx]+|[a-z])[.)]\s+", re.IGNORECASE)


def _section_key(text: str) -> str:
    """A heading reduced for comparison: no HTML comment, emphasis, numbering, final colon, case or hyphen."""
    if "<!--" in text:
        parts, pos = [], 0
        for s, e in html_comment_ranges(text):
            parts.append(text[pos:s])
            pos = e
        text = "".join(parts) + text[pos:]
    text = text.strip(_DECORATION)
    m = _NUMBERING.match(text)
    if m:
        text = text[m.end() :].strip(_DECORATION)
    if len(text) > 40:
        return ""  # longer than any known name
    return " ".join(text.replace("-", " ").casefold().split())


_KNOWN = {_section_key(t): t for t in KNOWN_SECTIONS}


def section_name(title: str, number: int) -> str:
    """``'Summary'`` for a heading that reads as a usual section name, else ``#N``, its number in the draft.

    Never the heading's own text: a message, a field path or a fingerprint built from this holds
    no text of the author's.
    """
    known = _KNOWN.get(_section_key(title))
    return repr(known) if known is not None else f"#{number}"


@dataclass(frozen=True)
class MarkdownDraft:
    source: SourceFile
    front_matter: ParsedDocument | None
    masked: str
    """The whole text with non-prose blanked (same length as the source)."""
    directive_text: str
    """The text with only code blanked: where suppression comments are looked for."""
    segments: tuple[Segment, ...]
    sections: tuple[Section, ...]
    people_cells: tuple[tuple[int, int], ...] = ()
    """``(start, end)`` of each table cell in a people column (Owner...): not prose, but a person's name."""


_FM_OPEN = re.compile(r"---[ \t]*\r?\n")
_FM_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


def split_front_matter(text: str) -> tuple[int, int] | None:
    """``(yaml_end, body_start)`` when the text opens with a ``---`` front matter block."""
    m = _FM_OPEN.match(text)
    if not m:
        return None
    c = _FM_CLOSE.search(text, m.end())
    if not c:
        return None
    nl = text.find("\n", c.end())
    return c.start(), (nl + 1 if nl != -1 else len(text))


def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table").enable("strikethrough")
    # Only the block structure and its line maps are needed: inline parsing is half the cost.
    md.disable(["inline", "text_join"])
    return md


def parse_markdown(source: SourceFile) -> MarkdownDraft:
    text = source.text
    front: ParsedDocument | None = None
    body_start = 0
    fm = split_front_matter(text)
    if fm is not None:
        yaml_end, body_start = fm
        # Parsing the prefix keeps every offset equal to the file's own.
        fm_source = SourceFile(source.name, text[:yaml_end])
        if fm_source.text[4:].strip():
            front = parse(fm_source)  # a PostmortemError here is the file's, at the right place
    # The front matter becomes blank lines, so markdown-it's line numbers are the file's.
    body = "\n" * text.count("\n", 0, body_start) + text[body_start:]
    tokens = _parser().parse(body)
    line_starts = _line_starts(text)

    def off(line: int) -> int:
        return line_starts[line] if line < len(line_starts) else len(text)

    code: list[tuple[int, int]] = []
    segs: list[Segment] = []
    sections: list[Section] = []
    section_content: list[bool] = []
    section_label = ""
    in_action = False
    heading_level = 0
    last_line = -1
    pieces: list[str] = []
    pos = 0
    # Table columns that hold people by design (Owner, Author...), like the YAML owner field.
    header_cells: list[str] = []
    in_thead = False
    people_cols: frozenset[int] = frozenset()
    people_cells: list[tuple[int, int]] = []
    for idx, tok in enumerate(tokens):
        kind = tok.type
        if kind != "inline":  # the structure around the prose: one test for the common case
            if kind in ("fence", "code_block"):
                if tok.map:
                    code.append((off(tok.map[0]), off(tok.map[1])))
            elif kind == "heading_open":
                heading_level = int(tok.tag[1:])
            elif kind == "table_open":
                header_cells, people_cols = [], frozenset()
            elif kind == "thead_open":
                in_thead = True
            elif kind == "thead_close":
                in_thead = False
                people_cols = frozenset(i for i, h in enumerate(header_cells) if _PEOPLE_COLUMN.match(h))
            elif kind == "table_close":
                people_cols = frozenset()
            continue
        if not tok.map:
            continue
        if in_thead:
            header_cells.append(tok.content)
        a, b = tok.map
        is_heading = idx > 0 and tokens[idx - 1].type == "heading_open"
        if is_heading:
            title = tok.content.strip()
            section_label = section_name(title, len(sections) + 1)
            in_action = bool(_ACTION_HEADING.search(title))
            sections.append(Section(title, heading_level, a + 1, off(a), False, section_label))
            section_content.append(False)
        elif section_content:
            section_content[-1] = section_content[-1] or bool(tok.content.strip())
        if a < last_line:
            continue  # another cell of a table row already taken
        last_line = b
        s, e = off(a), off(b)
        gap = text[pos:s]
        pieces.append(gap if gap.count("\n") == len(gap) else _blank_text(gap))  # most gaps are line breaks
        piece = text[s:e]
        if people_cols and not in_thead:
            piece, cells = _blank_cells(piece, people_cols)
            people_cells.extend((s + x, s + y) for x, y in cells)
        pieces.append(mask_inline(piece))
        pos = e
        segs.append(
            Segment(s, e, a + 1, b, section_label, is_heading, in_action and not is_heading, looks_like_chat(piece))
        )
    pieces.append(_blank_text(text[pos:]))
    masked = "".join(pieces)
    directive_text = _directive_text(text, body_start, code) if "postmortem" in text else ""
    secs = tuple(
        dataclasses.replace(sec, has_content=_section_has_content(i, sections, section_content))
        for i, sec in enumerate(sections)
    )
    return MarkdownDraft(source, front, masked, directive_text, tuple(segs), secs, tuple(people_cells))


_NON_NEWLINE = re.compile(r"[^\r\n]")
_PEOPLE_COLUMN = re.compile(r"^[\s*_`]*(?:owners?|assignees?|authors?|reviewers?|responders?)[\s*_`]*$", re.IGNORECASE)
_CELL_PIPE = re.compile(r"(?<!\\)\|")


def _blank_cells(row: str, columns: frozenset[int]) -> tuple[str, list[tuple[int, int]]]:
    """A GFM table row with the cells of ``columns`` blanked (same length, so offsets hold), and their ranges."""
    pipes = [m.start() for m in _CELL_PIPE.finditer(row)]
    blanked: list[tuple[int, int]] = []
    if not pipes:
        return row, blanked
    starts = [-1, *pipes] if row[: pipes[0]].strip() else pipes
    out = row
    for col, start in enumerate(starts):
        end = next((p for p in pipes if p > start), len(row.rstrip("\r\n")))
        if col in columns and end > start + 1:
            out = out[: start + 1] + _blank_text(out[start + 1 : end]) + out[end:]
            blanked.append((start + 1, end))
    return out, blanked


def _blank_text(text: str) -> str:
    return _NON_NEWLINE.sub(" ", text)


def _directive_text(text: str, body_start: int, code: list[tuple[int, int]]) -> str:
    """The text with front matter, code blocks and code spans blanked: where suppression comments count.

    All ranges are blanked in one pass (rebuilding the string once per code span would be quadratic).
    """
    masker = Masker(text)
    masker.add(0, body_start)
    for s, e in code:
        masker.add(s, e)
    outside_blocks = masker.result()
    for s, e in code_span_ranges(outside_blocks):
        masker.add(s, e)
    return masker.result()


def _section_has_content(i: int, sections: list[Section], content: list[bool]) -> bool:
    """Content under a heading counts until the next heading of the same or a higher level."""
    level = sections[i].level
    if content[i]:
        return True
    for j in range(i + 1, len(sections)):
        if sections[j].level <= level:
            break
        if content[j]:
            return True
    return False


def _line_starts(text: str) -> list[int]:
    starts = [0]
    i = text.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = text.find("\n", i + 1)
    return starts


__all__ = [
    "KNOWN_SECTIONS",
    "MarkdownDraft",
    "Section",
    "Segment",
    "parse_markdown",
    "section_name",
    "split_front_matter",
]
