"""Suppression comments: parsing, scoping, and which findings they silence.

Grammar (YAML comment or Markdown HTML comment)::

    postmortem: ignore[RULE, ...] -- REASON
    postmortem: disable-file[RULE, ...] -- REASON

``RULE`` is a kebab-case name, a code (``PM101``) or an alias; ``all`` is
accepted by ``disable-file`` only.  The reason is required unless the config
sets ``require-reason = false``.  A comment that starts with ``postmortem:``
but does not follow this grammar, names an unknown rule, or lacks a required
reason is a finding of its own (``invalid-suppression``) and silences nothing.

Scope of ``ignore``:

* YAML: a comment at the end of a line applies to that line; a comment on a
  line of its own applies to the next line that is not blank or a comment.
  It silences findings that start on that line, and findings anywhere in
  the value whose key (or list item) starts on that line, so a comment
  above ``summary: |`` covers the whole block scalar.
* Markdown: an HTML comment on a line of its own applies to the next block
  (paragraph, list item, heading, table row); a comment that shares its line
  with text applies to that line.

Comments are read from YAML comment tokens (``ParsedDocument.comments()``)
and from Markdown outside code, never by a regular expression over raw lines
that would also see text inside scalars or code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from postmortem.diagnostics import Diagnostic, Span
from postmortem.lint.markdown import MarkdownDraft
from postmortem.lint.narrative import FieldLabels, Path
from postmortem.lint.rule import Rule
from postmortem.lint.rules import get_rule
from postmortem.source import SourceFile
from postmortem.yamlio import ParsedDocument

_PREFIX = re.compile(r"\s*postmortem\s*:", re.IGNORECASE)
_DIRECTIVE = re.compile(
    r"\s*postmortem\s*:\s*(?P<kind>ignore|disable-file)\s*"
    # the reason runs to the end and is stripped in code: a lazy ``.*?`` before ``\s*\Z``
    # would be quadratic in a long run of blanks
    r"(?:\[(?P<rules>[^\]]*)\])?\s*(?:(?:--|—)(?P<reason>.*))?\Z",
    re.IGNORECASE | re.DOTALL,
)


@dataclass
class Directive:
    kind: str
    rules: list[Rule]
    reason: str | None
    span: Span
    first_line: int
    last_line: int
    paths: tuple[str, ...] = ()
    everything: bool = False
    """``disable-file[all]``."""
    used: set[str] = field(default_factory=set)
    silenced: list[Diagnostic] = field(default_factory=list)
    """The findings this directive silenced (what ``used`` counts), for carrying it into rendered Markdown."""

    def covers(self, rule: str, line: int, path: str | None) -> bool:
        if not any(r.name == rule for r in self.rules):
            return False
        if self.kind == "disable-file":
            return True
        if self.first_line <= line <= self.last_line:
            return True
        if path is None:
            return False
        return any(path == p or path.startswith(p + ".") or path.startswith(p + "[") for p in self.paths)


@dataclass(frozen=True)
class BadDirective:
    span: Span
    message: str
    help: str


@dataclass(frozen=True)
class RawComment:
    span: Span
    text: str
    """The comment's content (after ``#`` or between ``<!--`` and ``-->``)."""
    line: int
    end_line: int
    own_line: bool


_CODE = re.compile(r"[A-Za-z]{2}[0-9]{3}")


def _looks_like_a_rule(key: str) -> bool:
    """A code (``PM109``) or a near miss of a rule's name (``blame-langauge``): safe to quote.

    Anything else in the brackets is the author's text and may be a name, which the message
    (printed unmasked in CI logs) must not repeat.
    """
    if len(key) > 40:
        return False
    if _CODE.fullmatch(key):
        return True
    import difflib

    from postmortem.lint.rules import RULES

    names = [n for r in RULES for n in (r.name, *r.aliases)]
    return bool(difflib.get_close_matches(key.lower(), names, n=1, cutoff=0.8))


def parse_directive(
    c: RawComment, require_reason: bool
) -> tuple[str, list[Rule], str | None, bool] | BadDirective | None:
    """``None`` when the comment is no directive; a :class:`BadDirective` when it is a broken one."""
    if not _PREFIX.match(c.text):
        return None
    m = _DIRECTIVE.match(c.text)
    grammar = "write `postmortem: ignore[rule-name] -- reason`"
    if not m:
        return BadDirective(c.span, "malformed suppression comment", grammar)
    kind = m.group("kind").lower()
    names = m.group("rules")
    if names is None or not names.strip():
        return BadDirective(c.span, f"suppression `{kind}` names no rule", grammar)
    rules: list[Rule] = []
    everything = False
    for raw in names.split(","):
        key = raw.strip()
        if key.lower() == "all" and kind == "disable-file":
            from postmortem.lint.rules import RULES

            rules.extend(RULES)
            everything = True
            continue
        rule = get_rule(key)
        if rule is None:
            if _looks_like_a_rule(key):
                message = f"suppression names unknown rule `{key}`"
            else:
                message = "suppression names an unknown rule"
            return BadDirective(c.span, message, "use a rule name or code listed by `postmortem rules`")
        rules.append(rule)
    reason = (m.group("reason") or "").strip() or None
    if reason is None and require_reason:
        return BadDirective(
            c.span,
            "suppression without a reason",
            "add the reason after `--`, e.g. `# postmortem: ignore[named-individual] -- public statement`",
        )
    return kind, rules, reason, everything


def yaml_comments(doc: ParsedDocument) -> list[RawComment]:
    """Every YAML comment (``ParsedDocument.comments()`` includes one on a block scalar's header)."""
    return [RawComment(c.span, c.text, c.line, c.line, c.own_line) for c in doc.comments()]


def yaml_directives(
    doc: ParsedDocument, require_reason: bool, comments: list[RawComment] | None = None
) -> tuple[list[Directive], list[BadDirective]]:
    src = doc.source
    good: list[Directive] = []
    bad: list[BadDirective] = []
    if comments is None:
        comments = yaml_comments(doc)
    comment_lines = {c.line for c in comments if c.own_line}
    starts_by_line: dict[int, list[Path]] = {}
    for path, node in doc.nodes.items():
        if not path:
            continue
        anchor = node.key_span.start if node.key_span is not None else node.span.start
        line = src.line_col(anchor)[0]
        starts_by_line.setdefault(line, []).append(path)
    labels = FieldLabels(doc.data)  # the labels the findings carry as their path
    for c in comments:
        parsed = parse_directive(c, require_reason)
        if parsed is None:
            continue
        if isinstance(parsed, BadDirective):
            bad.append(parsed)
            continue
        kind, rules, reason, everything = parsed
        target = c.line
        if c.own_line:
            target = _next_content_line(src, c.line, comment_lines)
        paths = tuple(labels(p) for p in starts_by_line.get(target, ()))
        good.append(Directive(kind, rules, reason, c.span, target, target, paths, everything))
    return good, bad


def _next_content_line(src: SourceFile, line: int, comment_lines: set[int]) -> int:
    n = line + 1
    while n <= src.line_count:
        if n not in comment_lines and src.line_text(n).strip():
            return n
        n += 1
    return line


_HTML_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)


_OTHER_COMMENTS = re.compile(r"<!--.*?-->")


def markdown_directives(draft: MarkdownDraft, require_reason: bool) -> tuple[list[Directive], list[BadDirective]]:
    src = draft.source
    text = draft.directive_text
    good: list[Directive] = []
    bad: list[BadDirective] = []
    if "postmortem" not in text:
        return good, bad
    from postmortem.lint.text import html_comment_ranges

    for s, e in html_comment_ranges(text):
        body = text[s + 4 : e - 3] if text.endswith("-->", s, e) else text[s + 4 : e]
        line, col = src.line_col(s)
        end_line = src.line_col(max(s, e - 1))[0]
        before = src.line_text(line)[: col - 1]
        after_end = src.line_col(e)
        after = src.line_text(after_end[0])[after_end[1] - 1 :] if after_end[0] == end_line else ""
        # alone on its line, or beside other comments only (two suppressions side by side)
        own = not _OTHER_COMMENTS.sub("", before).strip() and not _OTHER_COMMENTS.sub("", after).strip()
        c = RawComment(Span(s, e), body, line, end_line, own)
        parsed = parse_directive(c, require_reason)
        if parsed is None:
            continue
        if isinstance(parsed, BadDirective):
            bad.append(parsed)
            continue
        kind, rules, reason, everything = parsed
        first, last = line, end_line
        if own:
            nxt = next((seg for seg in draft.segments if seg.first_line > end_line), None)
            if nxt is not None:
                first, last = nxt.first_line, nxt.last_line
        good.append(Directive(kind, rules, reason, c.span, first, last, everything=everything))
    return good, bad


__all__ = ["BadDirective", "Directive", "markdown_directives", "parse_directive", "yaml_directives"]
