"""The lint configuration as a plain, immutable value.

This module imports no pydantic: a run without a config file never pays for
it.  Reading and validating a config file lives in :mod:`postmortem.lint.configfile`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from postmortem.diagnostics import Severity
from postmortem.lint.detect import KnownPerson

DEFAULT_INCLUDE: tuple[str, ...] = ("**/*.yml", "**/*.yaml", "**/*.json", "**/*.md")
DEFAULT_EXCLUDE: tuple[str, ...] = (
    "**/node_modules/**",
    "**/.git/**",
    "**/.venv/**",
    "**/venv/**",
    "**/.tox/**",
    "**/__pycache__/**",
    "**/site-packages/**",
    "**/.github/**",
    "**/.gitlab-ci.yml",
    "**/.pre-commit-config.yaml",
    "**/.pre-commit-hooks.yaml",
    "**/action.yml",
    "**/CHANGELOG.md",
    # a repository's own documents name its maintainers by design
    "**/README.md",
    "**/CONTRIBUTING.md",
    "**/CODE_OF_CONDUCT.md",
    "**/SECURITY.md",
    "**/AUTHORS.md",
    "**/LICENSE.md",
)


def _empty() -> Mapping[str, Any]:
    return MappingProxyType({})


@dataclass(frozen=True)
class LintConfig:
    """Everything that changes what ``lint`` reports.  ``LintConfig()`` is the default.

    Rule keys of ``severity`` and ``options`` are rule names (the config loader
    writes canonical names; codes and aliases also work).  ``options`` values
    use the option dataclass's snake_case field names.
    """

    select: tuple[str, ...] | None = None
    """Rule names, codes or code prefixes to run (``None``: all rules)."""
    ignore: tuple[str, ...] = ()
    """Rule names, codes or code prefixes never to run."""
    severity: Mapping[str, Severity] = field(default_factory=_empty)
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=_empty)
    people: tuple[KnownPerson, ...] = ()
    """People known beyond the document's own roster (config ``people``, roster file, git authors)."""
    allowed_terms: tuple[str, ...] = ()
    """Words that are never a person's name here (product, team and host names)."""
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    fail_on: Severity = Severity.ERROR
    require_reason: bool = True
    """A suppression comment must give a reason after ``--``."""
    confidentiality: str | None = None
    """Default confidentiality label (read by ``render``)."""
    timezone: str | None = None
    """Default IANA time zone for rendering timestamps (read by ``render``)."""
    path: str | None = None
    """The config file this came from, if any."""
    root: str | None = None
    """The folder holding that config file: globs and the roster file are relative to it."""


DEFAULT_CONFIG = LintConfig()
