"""Prose extraction helpers shared by YAML fields and Markdown drafts.

Every function here returns text of *exactly the same length* as its input,
with the parts that are not prose (code spans, URLs, link targets, HTML)
replaced by spaces, so that an offset found by a detector in the masked text
is also an offset in the original.  Each runs in time linear in its input:
no regular expression here has nested or overlapping quantifiers.
"""

from __future__ import annotations

import re

_URL = re.compile(r"(?:\b(?:https?|ftp|file)://|\bwww\.)[^\s<>`\"')\]]*[^\s<>`\"')\].,;:!?]")
_LINK_TARGET = re.compile(r"\]\([^()\s]*(?:\s+\"[^\"\n]*\")?\)")
# a link reference definition's target; a footnote's definition (``[^1]: text``) is prose
_REF_DEF = re.compile(r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S+", re.MULTILINE)
_HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9-]*)(?:\s[^<>\n]*)?/?>")
# HTML's elements (and, below, custom elements, which have a hyphen).  Anything else in angle
# brackets is text: ``<jsmith> rolling back`` is a chat log's nick, not a tag to skip.
_HTML_ELEMENTS = frozenset(
    """a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption
    cite code col colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption
    figure footer form h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label
    legend li link main map mark menu meta meter nav noscript object ol optgroup option output p param
    picture pre progress q rp rt ruby s samp script search section select slot small source span strike
    strong style sub summary sup svg table tbody td template textarea tfoot th thead time title tr
    track tt u ul var video wbr center font math""".split()
)


def _is_html_tag(match: re.Match[str]) -> bool:
    name = match.group(1).lower()
    return name in _HTML_ELEMENTS or "-" in name


_AUTOLINK = re.compile(r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>")


class Masker:
    """Collects ranges to blank, then blanks them all in one pass."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.ranges: list[tuple[int, int]] = []

    def add(self, start: int, end: int) -> None:
        if end > start:
            self.ranges.append((start, end))

    def result(self) -> str:
        if not self.ranges:
            return self.text
        text = self.text
        out: list[str] = []
        pos = 0
        for start, end in sorted(self.ranges):
            start = max(start, pos)  # overlapping ranges: blank what is left of this one
            if end <= start:
                continue
            out.append(text[pos:start])
            piece = text[start:end]
            out.append(_LINE_BREAK_KEEPING.sub(" ", piece) if "\n" in piece or "\r" in piece else " " * len(piece))
            pos = end
        out.append(text[pos:])
        return "".join(out)


_LINE_BREAK_KEEPING = re.compile(r"[^\r\n]")
_BACKTICKS = re.compile(r"`+")


def code_span_ranges(text: str) -> list[tuple[int, int]]:
    """Ranges of CommonMark code spans (a backtick run closed by a run of the same length).

    Linear: every run is visited once, and each length keeps a pointer to its
    next unused run.
    """
    if text.count("`") < 2:
        return []
    if "``" not in text:  # single backticks only, the common case: each pairs with the next
        ticks = [m.start() for m in _BACKTICKS.finditer(text)]
        return [(ticks[k], ticks[k + 1] + 1) for k in range(0, len(ticks) - 1, 2)]
    runs = [(m.start(), m.end() - m.start()) for m in _BACKTICKS.finditer(text)]
    if len(runs) < 2:
        return []
    by_len: dict[int, list[int]] = {}
    for idx, (_, n) in enumerate(runs):
        by_len.setdefault(n, []).append(idx)
    ptr: dict[int, int] = dict.fromkeys(by_len, 0)
    out: list[tuple[int, int]] = []
    idx = 0
    while idx < len(runs):
        start, n = runs[idx]
        lst = by_len[n]
        p = ptr[n]
        while p < len(lst) and lst[p] <= idx:
            p += 1
        ptr[n] = p
        if p < len(lst):
            close = lst[p]
            cstart, cn = runs[close]
            out.append((start, cstart + cn))
            idx = close + 1
        else:
            idx += 1
    return out


def html_comment_ranges(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    i = text.find("<!--")
    while i != -1:
        j = text.find("-->", i + 4)
        if j == -1:
            out.append((i, len(text)))
            break
        out.append((i, j + 3))
        i = text.find("<!--", j + 3)
    return out


_MARKS = ("`", "<", "://", "www.", "](", "]:")
"""Every construct :func:`mask_inline` blanks contains one of these."""


def mask_inline(text: str, *, html: bool = True) -> str:
    """Blank code spans, URLs, link targets, autolinks and (optionally) HTML in Markdown text."""
    if not text or not any(mark in text for mark in _MARKS):
        return text  # plain prose, the common case: nothing to blank
    m = Masker(text)
    for s, e in code_span_ranges(text):
        m.add(s, e)
    if "<" in text:
        for x in _AUTOLINK.finditer(text):
            m.add(x.start(), x.end())
        if html:
            for x in _HTML_TAG.finditer(text):
                if _is_html_tag(x):
                    m.add(x.start(), x.end())
        if html:
            for s, e in html_comment_ranges(text):
                m.add(s, e)
    if "://" in text or "www." in text:
        for x in _URL.finditer(text):
            m.add(x.start(), x.end())
    if "](" in text:
        for x in _LINK_TARGET.finditer(text):
            m.add(x.start() + 1, x.end())
    if "]:" in text:
        for x in _REF_DEF.finditer(text):
            colon = text.index("]:", x.start())
            m.add(colon + 2, x.end())
    return m.result()


_CHAT = re.compile(
    r"^[ \t>]*(?:[-*+][ \t]+|\d{1,3}[.)][ \t]+)?(?:\*\*|__)?\[?(?:\d{4}-\d{2}-\d{2}[T ])?\d{1,2}:\d{2}(?::\d{2})?"
)


def looks_like_chat(text: str) -> bool:
    """A line that starts with a time of day, as in a pasted chat log or timeline."""
    return bool(_CHAT.match(text))
