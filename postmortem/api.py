"""Library entry points that take text, never paths: the CLI does the reading."""

from __future__ import annotations

from typing import TYPE_CHECKING

from postmortem.diagnostics import PostmortemError
from postmortem.source import SourceFile
from postmortem.yamlio import DEFAULT_LIMITS, Limits, ParsedDocument, decode, parse

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.model.incident import Incident
    from postmortem.model.validate import ValidationResult


class InvalidIncident(Exception):
    """Raised by :func:`load_incident` when a document does not validate."""

    def __init__(self, result: ValidationResult) -> None:
        self.result = result
        super().__init__("\n".join(d.format() for d in result.errors))


def load(
    content: str | bytes,
    name: str = "<string>",
    *,
    json_mode: bool | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> ParsedDocument:
    """Parse YAML or JSON text into a :class:`ParsedDocument` (data and positions).

    ``name`` is what messages print; a name ending in ``.json`` selects JSON
    unless ``json_mode`` says otherwise.  Raises :class:`PostmortemError` for
    input that cannot be parsed at all.
    """
    source = decode(name, content, limits) if isinstance(content, bytes) else SourceFile(name, content)
    return parse(source, json_mode=json_mode, limits=limits)


def load_incident(content: str | bytes, name: str = "<string>") -> Incident:
    """Parse and validate; return the :class:`~postmortem.model.incident.Incident` or raise."""
    from postmortem.model.validate import validate

    result = validate(load(content, name))
    if result.incident is None:
        raise InvalidIncident(result)
    return result.incident


__all__ = ["InvalidIncident", "PostmortemError", "load", "load_incident"]
