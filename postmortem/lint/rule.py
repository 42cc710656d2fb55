"""What a rule is: identity, default severity, typed options, docs and a ``check`` generator.

A rule never sees the config file and never decides its own severity or
whether it is suppressed: the engine attaches the level and applies the
suppression comments, as yamllint's linter does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from postmortem.diagnostics import Severity, Span

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.lint.engine import LintContext


@dataclass(frozen=True)
class Problem:
    """What a rule yields; the engine turns it into a :class:`~postmortem.diagnostics.Diagnostic`.

    ``matched`` is the source text of the span (used for fingerprints, redaction
    and ``--fix``); ``fix`` is the replacement text, when there is a safe one.
    ``person`` is set for findings about a person, so that the fixer gives the
    same person the same replacement everywhere in the document.
    """

    span: Span
    message: str
    help: str
    path: str | None = None
    matched: str | None = None
    fix: str | None = None
    person: str | None = None


@dataclass(frozen=True)
class NoOptions:
    """This rule has no options."""


Check = Callable[["LintContext", Any], Iterable[Problem]]


@dataclass(frozen=True)
class Rule:
    """One lint rule.

    ``doc`` is Markdown with the sections *What it does*, *Why is this bad?*,
    *Example*, *Use instead* and *Options*; ``docs/rules/NAME.md`` and
    ``postmortem rules NAME`` are generated from it.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    doc: str
    check: Check
    options: type[Any] = NoOptions
    aliases: tuple[str, ...] = ()
    redact: bool = False
    """Findings of this rule are about people: ``--redact`` masks their text."""

    def make_options(self, values: dict[str, Any] | None = None) -> Any:
        """Options from a plain mapping (already validated by the config loader)."""
        return self.options(**(values or {}))

    def option_fields(self) -> list[tuple[str, str, Any, str]]:
        """(name, type, default, description) of every option, for the docs."""
        out = []
        for f in dataclasses.fields(self.options):
            default: Any = f.default
            if f.default_factory is not dataclasses.MISSING:
                default = f.default_factory()
            out.append((f.name, str(f.type), default, str(f.metadata.get("doc", ""))))
        return out


def opt(default: Any, doc: str) -> Any:
    """A documented option field with a default (immutable defaults only: tuples, not lists)."""
    return dataclasses.field(default=default, metadata={"doc": doc})
