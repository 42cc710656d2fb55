"""Output formats.  Each takes diagnostics and returns a string; none prints.

Columns: diagnostics carry code point offsets (the internal unit, see
:mod:`postmortem.source`).  ``text``, ``concise``, ``json`` and ``gitlab``
print 1-based code point columns; ``sarif`` and ``github`` print UTF-16
code unit columns, which is what SARIF's ``columnKind: utf16CodeUnits`` and
GitHub's JavaScript-based UI count.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from postmortem.diagnostics import Diagnostic, Severity, Span

FORMATS = ("text", "concise", "json", "github", "sarif", "gitlab")
REDACT_BY_DEFAULT = frozenset({"github", "sarif", "gitlab"})
"""Where each rule's page lives (``helpUri`` in SARIF)."""

MASK = "*"


@dataclass(frozen=True)
class Report:
    """One lint run: the findings of every file, plus how they should be shown."""

    diagnostics: Sequence[Diagnostic]
    files: int = 0
    redact: bool = False
    color: bool = False
    root: str = field(default_factory=os.getcwd)
    """Paths are printed relative to this folder when they are inside it."""
    errors: Sequence[Diagnostic] = ()
    """Why an input could not be linted (unreadable, a syntax error): the run's tool errors, exit 2."""


def redactable(d: Diagnostic) -> bool:
    from postmortem.lint.rules import get_rule

    rule = get_rule(d.rule)
    return bool(rule and rule.redact)


def mask(text: str) -> str:
    return "".join(c if c.isspace() else MASK for c in text)


def mask_spans(text: str, base: int, spans: Iterable[Span]) -> str:
    """``text``, which starts at offset ``base`` of its source, with the part of each span inside it masked."""
    for span in spans:
        a, b = max(span.start - base, 0), min(span.end - base, len(text))
        if a < b:
            text = text[:a] + mask(text[a:b]) + text[b:]
    return text


class Scrubber:
    """Masks, in a message or help text, any name that one of ``diags`` redacts.

    Built once per report: one pattern of every distinct redacted name (longest first), so a report
    of thousands of findings is scrubbed in linear time (checking every finding against every other
    one took over a minute for 4,800 findings).
    """

    def __init__(self, diags: Sequence[Diagnostic]) -> None:
        names = {d.matched for d in diags if d.matched and len(d.matched) > 1 and redactable(d)}
        ordered = sorted(names, key=lambda n: (-len(n), n))
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def __call__(self, text: str | None) -> str | None:
        if text is None or self._pattern is None:
            return text
        return self._pattern.sub(lambda m: mask(m.group()), text)


def scrubber(report: Report) -> Callable[[str | None], str | None]:
    """The report's :class:`Scrubber` when it redacts, else the identity."""
    if not report.redact:
        return lambda text: text
    return Scrubber(report.diagnostics)


def display_path(name: str, root: str) -> str:
    """A path relative to ``root`` when inside it, with ``/`` separators."""
    if name.startswith("<"):
        return name
    try:
        absolute = os.path.abspath(name)
        rel = os.path.relpath(absolute, root)
    except ValueError:
        return name.replace(os.sep, "/")
    if rel.startswith(".."):
        return name.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def fingerprints(diags: Sequence[Diagnostic], root: str, *, with_path: bool = True) -> list[str]:
    """A stable fingerprint per finding: rule, file, field path and the normalised match.

    Line numbers are left out on purpose, so a fingerprint survives text moving
    up or down; an occurrence counter keeps two equal findings in one field apart.
    """
    import hashlib

    seen: Counter[str] = Counter()
    out = []
    for d in diags:
        what = _normalise(d.matched) if d.matched else _normalise(d.message)
        base = "\x1f".join((d.code, display_path(d.source.name, root) if with_path else "", d.path or "", what))
        n = seen[base]
        seen[base] += 1
        out.append(hashlib.sha256(f"{base}\x1f{n}".encode()).hexdigest()[:32])
    return out


def counts(diags: Sequence[Diagnostic]) -> dict[str, int]:
    c = Counter(d.severity for d in diags)
    return {s.label: c.get(s, 0) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)}


def statistics(diags: Sequence[Diagnostic]) -> str:
    """Counts per rule, most frequent first: ``  12  PM101  named-individual``."""
    c = Counter((d.code, d.rule) for d in diags)
    width = max((len(str(n)) for n in c.values()), default=1)
    lines = [f"{n:>{width}}  {code}  {rule}" for (code, rule), n in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))]
    return "\n".join(lines) + ("\n" if lines else "")


def get_formatter(name: str) -> Callable[[Report], str]:
    if name == "text":
        from postmortem.lint.formats.text import render
    elif name == "concise":
        from postmortem.lint.formats.text import render_concise as render
    elif name == "json":
        from postmortem.lint.formats.json import render
    elif name == "github":
        from postmortem.lint.formats.github import render
    elif name == "sarif":
        from postmortem.lint.formats.sarif import render
    elif name == "gitlab":
        from postmortem.lint.formats.gitlab import render
    else:
        raise ValueError(f"unknown format {name!r}; choose one of {', '.join(FORMATS)}")
    return render


__all__ = [
    "FORMATS",
    "REDACT_BY_DEFAULT",
    "Report",
    "Scrubber",
    "counts",
    "display_path",
    "fingerprints",
    "get_formatter",
    "mask",
    "mask_spans",
    "redactable",
    "scrubber",
    "statistics",
]
