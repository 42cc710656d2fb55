"""postmortem: validate, lint and render blameless post-mortems.

The public API, imported lazily so that ``postmortem --help`` and ``lint``
stay fast (nothing here imports WeasyPrint, Jinja or pydantic until used).
The library never prints, and reads or writes no file: it takes text and
returns values.  Only :mod:`postmortem.cli` touches files.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "SourceFile": "postmortem.source",
    "Diagnostic": "postmortem.diagnostics",
    "Severity": "postmortem.diagnostics",
    "Span": "postmortem.diagnostics",
    "ExitCode": "postmortem.diagnostics",
    "PostmortemError": "postmortem.diagnostics",
    "ParsedDocument": "postmortem.yamlio",
    "Limits": "postmortem.yamlio",
    "load": "postmortem.api",
    "load_incident": "postmortem.api",
    "validate": "postmortem.model.validate",
    "ValidationResult": "postmortem.model.validate",
    "Incident": "postmortem.model.incident",
    "json_schema": "postmortem.model.schema",
    "render_markdown": "postmortem.render",
    "render_html": "postmortem.render",
    "render_pdf": "postmortem.render",
    "RenderOptions": "postmortem.render",
    "lint": "postmortem.lint",
    "lint_document": "postmortem.lint",
    "lint_markdown": "postmortem.lint",
    "LintConfig": "postmortem.lint",
}

if TYPE_CHECKING:  # pragma: no cover
    # ruff: noqa: F401
    from postmortem.api import load, load_incident
    from postmortem.diagnostics import Diagnostic, ExitCode, PostmortemError, Severity, Span
    from postmortem.model.incident import Incident
    from postmortem.model.schema import json_schema
    from postmortem.model.validate import ValidationResult, validate
    from postmortem.source import SourceFile
    from postmortem.yamlio import Limits, ParsedDocument


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'postmortem' has no attribute {name!r}")
    return getattr(import_module(module), name)


def __dir__() -> list[str]:
    return sorted([*_EXPORTS, "__version__"])


__all__ = sorted(_EXPORTS)
