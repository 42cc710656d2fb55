"""Where the built-in templates and packaged data live.

In a wheel the top-level ``templates/`` is installed as ``postmortem/templates``;
in a source checkout it sits beside the package.  Nothing is looked up in the
current directory: template overrides are explicit only.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def templates_dir() -> Path:
    """The folder of the built-in templates."""
    installed = _PACKAGE / "templates"
    if installed.is_dir():
        return installed
    checkout = _PACKAGE.parent / "templates"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("built-in templates are missing from this installation")  # pragma: no cover


def data_dir() -> Path:
    """Packaged data files (word lists, vocabulary)."""
    return _PACKAGE / "data"


def schema_file() -> Path:
    return _PACKAGE / "schema" / "incident.schema.json"
