"""The blamelessness linter: library API.

>>> from postmortem.lint import lint_document, lint_markdown
>>> diagnostics = lint_document(parsed_document)          # doctest: +SKIP

Functions take values and return values: they never print, and never read a
file (the CLI reads files and config files and hands over their text).
Positions are code point offsets (see :mod:`postmortem.source`).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from postmortem.lint.config import DEFAULT_CONFIG, LintConfig
from postmortem.lint.engine import lint_document, lint_document_with_suppressions, lint_markdown, lint_source
from postmortem.lint.rule import Rule
from postmortem.lint.rules import RULES, get_rule
from postmortem.source import is_markdown

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.lint.fix import fix_text


def __getattr__(name: str) -> Any:
    """``fix_text`` is imported on first use: a run without ``--fix`` never loads the fixer."""
    if name == "fix_text":
        from postmortem.lint.fix import fix_text

        return fix_text
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


lint = sys.modules[__name__]
"""``postmortem.lint`` is this module whichever way it is reached (the lazy export or the import system)."""

__all__ = [
    "DEFAULT_CONFIG",
    "RULES",
    "LintConfig",
    "Rule",
    "fix_text",
    "get_rule",
    "is_markdown",
    "lint_document",
    "lint_document_with_suppressions",
    "lint_markdown",
    "lint_source",
]
