"""The one finding type, shared by loading, validation and linting.

A :class:`Diagnostic` is immutable and carries a :class:`Span` in code point
offsets of its :class:`~postmortem.source.SourceFile`.  Printing is left to
the CLI and the output formats.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from postmortem.source import SourceFile


class ExitCode(enum.IntEnum):
    """Process exit codes, documented in ``docs/cli.md``."""

    OK = 0
    """Nothing at or above the failure threshold."""
    PROBLEMS = 1
    """The documents have problems (validation errors, or lint findings)."""
    TOOL_ERROR = 2
    """The tool could not do its job: usage, missing or unreadable file, bad config."""


class Severity(enum.IntEnum):
    """Ordered so that ``a >= b`` means *a is at least as serious as b*."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, value: str) -> Severity:
        return cls[value.upper()]


@dataclass(frozen=True, order=True)
class Span:
    """Half-open range ``[start, end)`` of code point offsets into a source text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"span end {self.end} before start {self.start}")


@dataclass(frozen=True)
class Position:
    """1-based line and column (code points), as printed to people."""

    line: int
    column: int


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one source file.

    ``code`` is stable (``PM001``, ``PM101``...); ``rule`` is the kebab-case name
    people type.  ``path`` is the dotted path of the field in the document, when
    there is one (``timeline[3].text``).
    """

    source: SourceFile = field(compare=False, repr=False)
    span: Span
    message: str
    severity: Severity = Severity.ERROR
    code: str = "PM001"
    rule: str = "schema"
    help: str | None = None
    path: str | None = None
    matched: str | None = field(default=None, compare=False)
    fix: str | None = field(default=None, compare=False)
    people_spans: tuple[Span, ...] | None = field(default=None, compare=False, repr=False)
    """For a lint finding: every span of its source file that names, or may name, a person (the
    findings about people, suppressed ones included, the people fields, the roster's names, keys
    outside the schema), shared by all the file's findings.  What a redacting format masks in the
    source it shows; ``None`` when not known, and then it shows no source."""

    @property
    def start(self) -> Position:
        return Position(*self.source.line_col(self.span.start))

    @property
    def end(self) -> Position:
        return Position(*self.source.line_col(self.span.end))

    @property
    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (
            self.source.name,
            self.span.start,
            self.span.end,
            self.code,
            self.message,
        )

    def format(self) -> str:
        """``file:line:col: severity: message`` — the plain one-line form."""
        pos = self.start
        return f"{self.source.name}:{pos.line}:{pos.column}: {self.severity.label}: {self.message}"


@dataclass(frozen=True)
class Silenced:
    """A finding that a suppression comment silenced: enough to silence it again elsewhere.

    ``path`` is the field (``timeline[3].text``); ``line`` the 0-based line of that field's
    text on which the finding starts, or ``None`` when the field is not a string (a finding
    about a missing section).
    """

    rule: str
    path: str | None
    line: int | None = None


@dataclass(frozen=True)
class Suppression:
    """A suppression comment of a document, with its reason and the findings it silenced.

    ``kind`` is ``ignore`` or ``disable-file``; ``rules`` are the rule names it gives
    (``("all",)`` for ``disable-file[all]``).  The Markdown renderer writes it again over the
    text where its findings land (see :func:`postmortem.lint.lint_document_with_suppressions`).
    """

    kind: str
    rules: tuple[str, ...]
    reason: str | None
    silenced: tuple[Silenced, ...] = ()


class PostmortemError(Exception):
    """A user's mistake that stops the tool (exit code 2), with its position.

    Raised by the library for input that cannot be read or parsed at all; the
    CLI prints :attr:`diagnostic` on one line and exits with ``TOOL_ERROR``.
    """

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic

    @classmethod
    def at(
        cls,
        source: SourceFile,
        offset: int,
        message: str,
        code: str = "PM000",
        rule: str = "input",
    ) -> PostmortemError:
        return cls(Diagnostic(source, Span(offset, offset), message, Severity.ERROR, code, rule))


def sort_diagnostics(
    diags: list[Diagnostic] | tuple[Diagnostic, ...],
) -> list[Diagnostic]:
    """Sort by file, then position, then code.  Sorting happens before any cap."""
    return sorted(diags, key=lambda d: d.sort_key)
