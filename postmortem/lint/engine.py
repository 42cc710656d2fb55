"""The lint engine: collect the prose, run the detectors once, run the rules, apply suppressions.

Everything is in code point offsets of the :class:`~postmortem.source.SourceFile`
(the documented internal column unit); output formats convert as needed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from postmortem.diagnostics import Diagnostic, Severity, Silenced, Span, Suppression, sort_diagnostics
from postmortem.lint.config import DEFAULT_CONFIG, LintConfig
from postmortem.lint.detect import KnownPerson, Match, detect_action_item_quality, detect_language_many, detect_people
from postmortem.lint.markdown import MarkdownDraft, parse_markdown
from postmortem.lint.narrative import (
    ACTION_ITEM_FIELDS,
    CHAT_FIELDS,
    PEOPLE_VALUES,
    FieldLabels,
    narrative_strings,
    roster_from_data,
    unknown_keys,
    walk,
)
from postmortem.lint.rule import Problem, Rule
from postmortem.lint.rules import enabled_rules
from postmortem.lint.suppressions import BadDirective, Directive, markdown_directives, yaml_directives
from postmortem.lint.text import mask_inline
from postmortem.source import SourceFile, is_markdown
from postmortem.yamlio import ParsedDocument, format_path, iter_strings

Path = tuple[str | int, ...]
T = TypeVar("T")


@dataclass(frozen=True)
class TextUnit:
    """One piece of prose handed to the detectors, and how to map it back to the file.

    ``text`` is masked (code, URLs and link targets blanked) and has the same
    length as the original; ``offsets`` maps each character to its source
    offset (YAML scalars) or, when ``None``, the text starts at ``base`` in
    the file (Markdown).
    """

    label: str
    text: str
    base: int = 0
    doc: ParsedDocument | None = field(default=None, repr=False, compare=False)
    """For a YAML/JSON scalar: the document, whose ``char_offsets(path)`` maps characters (computed
    only when a finding needs it, and cached by the document)."""
    action: bool = False
    chat: bool = False
    path: Path = ()
    kept: tuple[int, ...] | None = field(default=None, repr=False, compare=False)
    """When invisible characters were removed from ``text``: the index in the original
    text of each character kept (see :func:`without_invisibles`)."""

    def span(self, start: int, end: int) -> Span:
        if self.kept is not None and self.kept:
            end = max(end, start + 1)
            start, end = self.kept[min(start, len(self.kept) - 1)], self.kept[min(end - 1, len(self.kept) - 1)] + 1
        if self.doc is None:
            return Span(self.base + start, self.base + end)
        offsets = self.doc.char_offsets(self.path)
        if not offsets:
            return Span(self.base, self.base)
        end = max(end, start + 1)
        a = offsets[min(start, len(offsets) - 1)]
        b = offsets[min(end - 1, len(offsets) - 1)] + 1
        return Span(a, max(a, b))


@dataclass
class LintContext:
    """What a rule can look at.  Detector results are computed once and shared by the rules."""

    source: SourceFile
    data: dict[str, Any]
    config: LintConfig
    units: list[TextUnit]
    """Narrative prose: what the people and language rules check."""
    strings: list[TextUnit]
    """Every string of the document (people fields included), for the placeholder rule."""
    roster: list[KnownPerson]
    doc: ParsedDocument | None = None
    markdown: MarkdownDraft | None = None
    _people: list[list[Match]] | None = field(default=None, repr=False)
    _language: list[list[Match]] | None = field(default=None, repr=False)

    def people(self) -> list[list[Match]]:
        if self._people is None:
            chat = [u.chat for u in self.units]
            self._people = detect_people(
                [u.text for u in self.units],
                roster=self.roster,
                allowed_terms=self.config.allowed_terms,
                chat_lines=chat,
            )
        return self._people

    def language(self, i: int) -> list[Match]:
        if self._language is None:
            self._language = detect_language_many([u.text for u in self.units])
        return self._language[i]

    def action_quality(self, i: int) -> list[Match]:
        return detect_action_item_quality(self.units[i].text) if self.units[i].action else []

    def matched(self, span: Span) -> str:
        return self.source.text[span.start : span.end]

    def field_span(self, path: Path) -> Span | None:
        """The value span at ``path``, or its key's, or the closest ancestor's (YAML only)."""
        if self.doc is None:
            return None
        p, node = self.doc.locate(path)
        if p != tuple(path) or node.style is None:
            return node.key_span or node.span
        return node.span

    def key_span(self, path: Path) -> Span | None:
        if self.doc is None:
            return None
        _, node = self.doc.locate(path)
        return node.key_span or node.span


# --- building the context --------------------------------------------------------

# Default-ignorable characters that render as nothing: zero-width space, (non-)joiner, word
# joiner, soft hyphen, bidirectional marks, embeddings and isolates, BOM.  "Da\u200dna" shows as
# "Dana" to a reader, so the detectors see it without them; spans map back to the file.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def without_invisibles(unit: TextUnit) -> TextUnit:
    """The unit with invisible characters removed from its text, if it has any."""
    if _INVISIBLE.search(unit.text) is None:
        return unit
    kept = tuple(i for i, c in enumerate(unit.text) if not _INVISIBLE.match(c))
    text = "".join(unit.text[i] for i in kept)
    return dataclasses.replace(unit, text=text, kept=kept)


def _yaml_units(doc: ParsedDocument, data: dict[str, Any], labels: FieldLabels) -> list[TextUnit]:
    units = []
    for path, pattern, value in narrative_strings(data):
        if not value.strip() or path not in doc.nodes:
            continue
        unit = TextUnit(
            labels(path),
            mask_inline(value),
            doc=doc,
            action=pattern in ACTION_ITEM_FIELDS,
            chat=pattern in CHAT_FIELDS,
            path=path,
        )
        units.append(without_invisibles(unit))
    return units


def _yaml_strings(doc: ParsedDocument, labels: FieldLabels) -> list[TextUnit]:
    out = []
    for path, value in iter_strings(doc):
        if not value.strip() or path not in doc.nodes or not path:
            continue
        out.append(TextUnit(labels(path), mask_inline(value), doc=doc, path=path))
    return out


def _roster(data: dict[str, Any], config: LintConfig) -> list[KnownPerson]:
    roster = roster_from_data(data)
    names = {p.name.lower() for p in roster}
    roster += [p for p in config.people if p.name.lower() not in names]
    return roster


def document_context(doc: ParsedDocument, config: LintConfig) -> LintContext:
    data = doc.data if isinstance(doc.data, dict) else {}
    labels = FieldLabels(doc.data)
    return LintContext(
        doc.source,
        data,
        config,
        _yaml_units(doc, data, labels),
        _yaml_strings(doc, labels),
        _roster(data, config),
        doc=doc,
    )


def markdown_context(source: SourceFile, config: LintConfig) -> LintContext:
    draft = parse_markdown(source)
    front = draft.front_matter
    data = front.data if front is not None and isinstance(front.data, dict) else {}
    units: list[TextUnit] = []
    strings: list[TextUnit] = []
    if front is not None:
        labels = FieldLabels(front.data)
        units = _yaml_units(front, data, labels)
        strings = _yaml_strings(front, labels)
    # one search of the whole draft instead of one per paragraph, for the common draft with none
    invisible = _INVISIBLE.search(draft.masked) is not None
    for seg in draft.segments:
        text = draft.masked[seg.start : seg.end]
        if not text.strip():
            continue
        # the section's name or number, never its heading's text (see section_name)
        label = f"heading {seg.section}" if seg.is_heading else f"section {seg.section}" if seg.section else "(body)"
        unit = TextUnit(label, text, base=seg.start, action=seg.action, chat=seg.chat, path=())
        units.append(without_invisibles(unit) if invisible else unit)
        strings.append(unit)
    return LintContext(source, data, config, units, strings, _roster(data, config), doc=front, markdown=draft)


# --- running -----------------------------------------------------------------------


def _by_rule(mapping: Mapping[str, T], rule: Rule) -> T | None:
    """A value keyed by the rule's name, or (for library users) by its code or an alias."""
    for key in (rule.name, rule.code, *rule.aliases):
        if key in mapping:
            return mapping[key]
    return None


def _severity(rule: Rule, config: LintConfig) -> Severity:
    return _by_rule(config.severity, rule) or rule.severity


def _to_diag(ctx: LintContext, rule: Rule, sev: Severity, p: Problem) -> Diagnostic:
    return Diagnostic(
        ctx.source,
        p.span,
        p.message,
        sev,
        rule.code,
        rule.name,
        help=p.help,
        path=p.path,
        matched=p.matched if p.matched is not None else ctx.matched(p.span),
        fix=p.fix,
    )


# The literal search for the document's own people is one regular expression with a branch per
# name, handle and email, whose cost grows with their number: the first this many are searched.
_LITERAL_NAMES_MAX = 50
_PLACEHOLDER = re.compile(r"TODO|TBD|XXX|FIXME|\?{3,}")


def people_spans(ctx: LintContext, found: Sequence[Diagnostic]) -> tuple[Span, ...]:
    """Every span of the file that names, or may name, a person: what ``--redact`` masks in source lines.

    ``found`` are the findings before suppression, so a suppressed name is still masked.  Added to
    them: every person the detector finds in the prose, whether or not a people rule is selected
    (a rule's options aside); the values of the people fields (``authors``, ``responders[].name``...)
    and of the people columns of a Markdown table; the full names, handles and emails of the
    document's own people wherever they occur in the file (comments, code spans, URLs, other fields);
    and the keys outside the schema.
    """
    from postmortem.lint.rules import get_rule

    spans: set[Span] = set()
    for d in found:
        rule = get_rule(d.rule)
        if rule is not None and rule.redact:
            spans.add(d.span)
    for unit, matches in zip(ctx.units, ctx.people(), strict=True):
        spans.update(unit.span(m.start, m.end) for m in matches)
    doc = ctx.doc
    if doc is not None:
        for pattern in PEOPLE_VALUES:
            for path, _, value in walk(doc.data, pattern):
                node = doc.nodes.get(path)
                if node is not None and value.strip() and not _PLACEHOLDER.fullmatch(value.strip()):
                    spans.add(node.span)
        for path in unknown_keys(doc.data):
            node = doc.nodes.get(path)
            if node is not None and node.key_span is not None:
                spans.add(node.key_span)
    if ctx.markdown is not None:
        spans.update(Span(s, e) for s, e in ctx.markdown.people_cells)
    literal = _roster_pattern(roster_from_data(ctx.data))
    if literal is not None:
        spans.update(Span(m.start(), m.end()) for m in literal.finditer(ctx.source.text))
    return tuple(sorted(spans))


def _roster_pattern(roster: Sequence[KnownPerson]) -> re.Pattern[str] | None:
    alternatives: list[str] = []
    for p in roster:
        for text in (p.name, *p.handles, *p.emails):
            words = text.split()
            if len("".join(words)) > 1 and not _PLACEHOLDER.fullmatch(text):
                alternatives.append(r"\s+".join(map(re.escape, words)))
    alternatives = alternatives[:_LITERAL_NAMES_MAX]
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)  # the longest first: "Dana Whitfield" before "Dana"
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def run(ctx: LintContext, directives: Sequence[Directive], bad: Sequence[BadDirective]) -> list[Diagnostic]:
    from postmortem.lint.rules import get_rule

    config = ctx.config
    rules = enabled_rules(config.select, config.ignore)
    enabled = {r.name for r in rules}
    diags: list[Diagnostic] = []
    for rule in rules:
        if rule.name in ("invalid-suppression", "unused-suppression"):
            continue
        options = rule.make_options(dict(_by_rule(config.options, rule) or {}))
        sev = _severity(rule, config)
        seen: set[tuple[int, int]] = set()
        for p in rule.check(ctx, options):
            # A YAML alias repeats its anchor's text under another path: report the place once.
            if (p.span.start, p.span.end) in seen:
                continue
            seen.add((p.span.start, p.span.end))
            diags.append(_to_diag(ctx, rule, sev, p))
    kept: list[Diagnostic] = []
    for d in diags:
        line = d.start.line
        hit = next((x for x in directives if x.covers(d.rule, line, d.path)), None)
        if hit is None:
            kept.append(d)
        else:
            hit.used.add(d.rule)
            hit.silenced.append(d)
    invalid = get_rule("invalid-suppression")
    unused = get_rule("unused-suppression")
    assert invalid is not None and unused is not None
    # `disable-file[all]` silences every rule, these two included: the other suppressions of such a
    # file are neither invalid nor unused for its reader.  It is itself unused only if it silenced nothing.
    whole = next((x for x in directives if x.everything), None)
    meta: list[Diagnostic] = []
    if invalid.name in enabled:
        sev = _severity(invalid, config)
        meta += [_to_diag(ctx, invalid, sev, Problem(b.span, b.message, b.help, matched="")) for b in bad]
    if unused.name in enabled:
        sev = _severity(unused, config)
        for x in directives:
            if x is whole:
                continue
            names = [r.name for r in x.rules if r.name in enabled and r.name not in x.used]
            if x.everything:
                names = [] if x.used else ["all"]
            for name in dict.fromkeys(names):
                if name not in (invalid.name, unused.name):
                    meta.append(_unused(ctx, unused, sev, x, name))
    if whole is not None and meta:
        whole.used.update(d.rule for d in meta)
        meta = []
    if whole is not None and not whole.used and unused.name in enabled:
        meta.append(_unused(ctx, unused, _severity(unused, config), whole, "all"))
    kept.extend(meta)
    spans = people_spans(ctx, diags)
    return sort_diagnostics([dataclasses.replace(d, people_spans=spans) for d in kept])


def _unused(ctx: LintContext, rule: Rule, severity: Severity, directive: Directive, name: str) -> Diagnostic:
    message = f"unused suppression: no `{name}` finding here"
    if name == "all":
        message = "unused suppression: no finding in this file"
    help_ = "remove the suppression comment, or the rule name from it"
    return _to_diag(ctx, rule, severity, Problem(directive.span, message, help_, matched=""))


def lint_document(doc: ParsedDocument, config: LintConfig | None = None) -> list[Diagnostic]:
    """Lint one parsed YAML or JSON incident (valid or not).  Works without a config."""
    return _lint_yaml(doc, config or DEFAULT_CONFIG)[2]


def _lint_yaml(doc: ParsedDocument, config: LintConfig) -> tuple[LintContext, list[Directive], list[Diagnostic]]:
    """The context, the suppression comments and the findings of one YAML or JSON document."""
    ctx = document_context(doc, config)
    directives, bad = yaml_directives(doc, config.require_reason)
    return ctx, directives, sort_diagnostics([*hidden_from_lint(doc), *run(ctx, directives, bad)])


_DROPS_TEXT = frozenset({"duplicate-key", "yaml-key", "yaml-merge"})


def hidden_from_lint(doc: ParsedDocument) -> list[Diagnostic]:
    """The parser's errors for text it left out of the data: a duplicate key's second value, a
    mapping used as a key, a merge key.  Lint cannot see that text (and most other readers keep a
    duplicate's *last* value), so each is an error of the lint run too, whatever rules are selected,
    and no suppression covers it."""
    return [d for d in doc.diagnostics if d.rule in _DROPS_TEXT]


def lint_document_with_suppressions(
    doc: ParsedDocument,
    config: LintConfig | None = None,
    *,
    markdown_front_matter: Mapping[str, Any] | None = None,
) -> tuple[list[Diagnostic], tuple[Suppression, ...]]:
    """:func:`lint_document`, and each suppression comment of the document with the findings it silenced.

    ``postmortem render`` hands the suppressions to the Markdown renderer
    (``RenderOptions.suppressions``), which writes each one again over the text it covered, so that
    the Markdown lints as clean as the incident file.  ``markdown_front_matter`` is the front matter
    of that Markdown (its ``authors`` and ``reviewers``): the Markdown's roster is that and the
    config's people, so a responder or an owner named in the narrative, a ``named-individual``
    here, is an unknown person there.  When it is given, each ``named-individual`` finding is given
    under the rule that reports it in the Markdown, ``person-mention`` or the same, and left out
    if the Markdown would not report it.
    """
    ctx, directives, diagnostics = _lint_yaml(doc, config or DEFAULT_CONFIG)
    return diagnostics, _carried(ctx, directives, markdown_front_matter)


def _carried(
    ctx: LintContext, directives: Sequence[Directive], front_matter: Mapping[str, Any] | None
) -> tuple[Suppression, ...]:
    doc = ctx.doc
    assert doc is not None
    paths = {format_path(p): p for p in doc.nodes if p} if any(x.silenced for x in directives) else {}
    renamed: dict[tuple[str | None, int, int], str | None] = {}
    if front_matter is not None:
        known = [d for x in directives for d in x.silenced if d.rule == "named-individual"]
        if known:
            renamed = _rules_in_markdown(ctx, front_matter, known)
    out: list[Suppression] = []
    for x in directives:
        silenced: list[Silenced] = []
        for d in x.silenced:
            rule = d.rule
            if d.rule == "named-individual" and front_matter is not None:
                in_markdown = renamed.get((d.path, d.span.start, d.span.end))
                if in_markdown is None:
                    continue  # the Markdown will not report it: nothing to silence there
                rule = in_markdown
            silenced.append(Silenced(rule, d.path, _line_in_field(doc, paths.get(d.path or ""), d.span.start)))
        names = ("all",) if x.everything else tuple(dict.fromkeys(r.name for r in x.rules))
        out.append(Suppression(x.kind, names, x.reason, tuple(silenced)))
    return tuple(out)


def _line_in_field(doc: ParsedDocument, path: Path | None, offset: int) -> int | None:
    """The 0-based line, in the text of the string at ``path``, of the character at source ``offset``."""
    import bisect

    if path is None:
        return None
    try:
        value = doc.value_at(path)
    except (KeyError, IndexError, TypeError):
        return None
    if not isinstance(value, str):
        return None
    offsets = doc.char_offsets(path)
    return value.count("\n", 0, bisect.bisect_left(offsets, offset))


def _rules_in_markdown(
    ctx: LintContext, front_matter: Mapping[str, Any], known: list[Diagnostic]
) -> dict[tuple[str | None, int, int], str | None]:
    """For each ``named-individual`` finding, the rule that reports its words with the Markdown's roster.

    The people rules run again over the same prose with the roster the Markdown will have (its
    front matter and the config's people); a finding there that overlaps the original one, in the
    same field, gives the rule.
    """
    from postmortem.lint.rules import get_rule

    config = ctx.config
    md_ctx = LintContext(
        ctx.source, ctx.data, config, ctx.units, ctx.strings, _roster(dict(front_matter), config), doc=ctx.doc
    )
    enabled = {r.name for r in enabled_rules(config.select, config.ignore)}
    found: list[tuple[str | None, int, int, str]] = []
    for name in ("named-individual", "person-mention"):
        rule = get_rule(name)
        if rule is None or name not in enabled:
            continue
        options = rule.make_options(dict(_by_rule(config.options, rule) or {}))
        found += [(p.path, p.span.start, p.span.end, name) for p in rule.check(md_ctx, options)]
    out: dict[tuple[str | None, int, int], str | None] = {}
    for d in known:
        hit = next((n for path, s, e, n in found if path == d.path and s < d.span.end and d.span.start < e), None)
        out[(d.path, d.span.start, d.span.end)] = hit
    return out


def lint_markdown(source: SourceFile, config: LintConfig | None = None) -> list[Diagnostic]:
    """Lint a Markdown draft, with or without YAML front matter.

    Raises :class:`~postmortem.diagnostics.PostmortemError` when the front matter is not valid YAML.
    """
    config = config or DEFAULT_CONFIG
    ctx = markdown_context(source, config)
    directives, bad = markdown_directives(ctx.markdown, config.require_reason)  # type: ignore[arg-type]
    if ctx.doc is None:
        return run(ctx, directives, bad)
    d2, b2 = yaml_directives(ctx.doc, config.require_reason)
    return sort_diagnostics([*hidden_from_lint(ctx.doc), *run(ctx, [*directives, *d2], [*bad, *b2])])


def lint_source(source: SourceFile, config: LintConfig | None = None) -> list[Diagnostic]:
    """Lint a file's text, choosing Markdown or YAML/JSON by its name.  May raise ``PostmortemError``."""
    if is_markdown(source.name):
        return lint_markdown(source, config)
    from postmortem.yamlio import parse

    return lint_document(parse(source), config)
