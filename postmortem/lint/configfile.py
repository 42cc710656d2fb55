"""Parse and validate a lint config (``[tool.postmortem]`` or ``.postmortem.toml``).

Only imported when a config file exists: it imports pydantic.  It takes the
file's text (the CLI reads it) and reports every problem at ``file:line:col``.
``tomllib`` gives no positions, so keys are located in the text by a small
scanner of table headers and ``key =`` lines.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import fields
from types import MappingProxyType
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from postmortem.diagnostics import Diagnostic, Severity, Span
from postmortem.lint.config import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, LintConfig
from postmortem.lint.detect import KnownPerson
from postmortem.lint.rules import RULES, get_rule, known_selector
from postmortem.source import SourceFile


class ConfigError(Exception):
    """The config cannot be used; ``diagnostics`` holds every positioned problem."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics


def _kebab(name: str) -> str:
    return name.replace("_", "-")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, frozen=True, strict=True)


class PersonEntry(_Model):
    name: str = Field(min_length=1)
    role: str | None = None
    handles: list[str] = []
    emails: list[str] = []


Level = Literal["error", "warning", "info"]


class ConfigModel(_Model):
    select: list[str] | None = None
    ignore: list[str] = []
    extend_select: list[str] = []
    severity: dict[str, Level] = {}
    rules: dict[str, dict[str, Any]] = {}
    people: list[str | PersonEntry] = []
    roster_file: str | None = None
    allowed_terms: list[str] = []
    include: list[str] | None = None
    exclude: list[str] | None = None
    extend_exclude: list[str] = []
    fail_on: Level = "error"
    require_reason: bool = True
    confidentiality: str | None = None
    timezone: str | None = None


# --- locating keys in TOML text ---------------------------------------------------

# No overlapping quantifiers: the name is stripped in code (a lazy group between two ``\s*``
# was cubic on a long line of ``[[`` and blanks).
_HEADER = re.compile(r"^[ \t]*\[\[?([^\]\n]*)\]\]?[ \t]*(?:#.*)?$")
_KEYLINE = re.compile(
    r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*="
)


def _split_key(key: str) -> tuple[str, ...]:
    parts = re.findall(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)", key)
    return tuple(a or b or c for a, b, c in parts)


def key_positions(text: str) -> dict[tuple[str, ...], int]:
    """Offset of every table header and ``key =`` line, by full dotted key."""
    out: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    offset = 0
    for line in text.splitlines(keepends=True):
        h = _HEADER.match(line)
        if h:
            table = _split_key(h.group(1).strip())
            out.setdefault(table, offset + line.index("["))
        else:
            k = _KEYLINE.match(line)
            if k:
                out.setdefault((*table, *_split_key(k.group(1))), offset + k.start(1))
        offset += len(line)
    return out


def _locate(positions: dict[tuple[str, ...], int], base: tuple[str, ...], loc: tuple[str | int, ...]) -> int:
    path = (*base, *(str(x) for x in loc if not isinstance(x, int)))
    while path:
        if path in positions:
            return positions[path]
        path = path[:-1]
    return 0


# --- parsing ------------------------------------------------------------------------


def parse_config(
    text: str,
    name: str,
    *,
    pyproject: bool | None = None,
    root: str | None = None,
    read_file: Callable[[str], str] | None = None,
) -> LintConfig | None:
    """Build a :class:`LintConfig` from a config file's text.

    ``pyproject`` selects the ``[tool.postmortem]`` table (default: by the file
    name); a ``pyproject.toml`` without that table gives ``None``.
    ``read_file`` reads the roster file (a path relative to ``root``); only
    the CLI passes one.  Raises :class:`ConfigError`.
    """
    src = SourceFile(name, text)
    if pyproject is None:
        pyproject = name.replace("\\", "/").rsplit("/", 1)[-1] == "pyproject.toml"

    def err(offset: int, message: str) -> Diagnostic:
        return Diagnostic(src, Span(offset, offset), message, Severity.ERROR, "PM010", "config")

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        offset = src.offset(int(m.group(1)), int(m.group(2))) if m else 0
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "TOML syntax error"
        raise ConfigError([err(offset, f"TOML syntax error: {msg}")]) from None
    base: tuple[str, ...] = ("tool", "postmortem") if pyproject else ()
    data: Any = raw
    for part in base:
        data = data.get(part) if isinstance(data, dict) else None
    if data is None:
        return None
    positions = key_positions(text)
    if not isinstance(data, dict):
        raise ConfigError([err(_locate(positions, base, ()), "[tool.postmortem] must be a table")])
    try:
        model = ConfigModel.model_validate(data)
    except ValidationError as exc:
        diags = []
        for e in exc.errors(include_url=False):
            loc = tuple(e["loc"])
            where = ".".join(str(x) for x in loc) or "(config)"
            diags.append(err(_locate(positions, base, loc), f"{where}: {_message(e)}"))
        raise ConfigError(diags) from None
    problems: list[Diagnostic] = []

    def check_selectors(key: str, values: list[str]) -> None:
        for v in values:
            if not known_selector(v):
                problems.append(err(_locate(positions, base, (key,)), f"{key}: unknown rule or prefix `{v}`"))

    check_selectors("select", model.select or [])
    check_selectors("extend-select", model.extend_select)
    check_selectors("ignore", model.ignore)
    severity: dict[str, Severity] = {}
    for key, level in model.severity.items():
        rule = get_rule(key)
        if rule is None:
            problems.append(err(_locate(positions, base, ("severity", key)), f"severity: unknown rule `{key}`"))
        else:
            severity[rule.name] = Severity.parse(level)
    options: dict[str, dict[str, Any]] = {}
    for key, values in model.rules.items():
        rule = get_rule(key)
        if rule is None:
            problems.append(err(_locate(positions, base, ("rules", key)), f"rules: unknown rule `{key}`"))
            continue
        try:
            options[rule.name] = _validate_options(rule.options, values)
        except ValidationError as exc:
            for e in exc.errors(include_url=False):
                loc = ("rules", key, *e["loc"])
                problems.append(
                    err(_locate(positions, base, loc), f"rules.{key}.{'.'.join(map(str, e['loc']))}: {_message(e)}")
                )
    if model.timezone is not None:
        import zoneinfo

        try:
            zoneinfo.ZoneInfo(model.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            problems.append(
                err(_locate(positions, base, ("timezone",)), f"timezone: unknown time zone `{model.timezone}`")
            )
    people: list[KnownPerson] = []
    for p in model.people:
        if isinstance(p, str):
            if p.strip():
                people.append(KnownPerson(p.strip()))
        else:
            people.append(KnownPerson(p.name, _role(p.role), tuple(p.handles), tuple(p.emails)))
    if model.roster_file is not None:
        if read_file is None:
            problems.append(err(_locate(positions, base, ("roster-file",)), "roster-file: cannot be read here"))
        else:
            try:
                people += parse_roster(read_file(model.roster_file))
            except OSError as exc:
                problems.append(
                    err(
                        _locate(positions, base, ("roster-file",)),
                        f"roster-file: cannot read {model.roster_file}: {exc.strerror or exc}",
                    )
                )
    if problems:
        raise ConfigError(problems)
    select = model.select
    if select is not None or model.extend_select:
        select = [*(select if select is not None else ["all"]), *model.extend_select]
    return LintConfig(
        select=tuple(select) if select is not None else None,
        ignore=tuple(model.ignore),
        severity=MappingProxyType(severity),
        options=MappingProxyType(options),
        people=tuple(people),
        allowed_terms=tuple(model.allowed_terms),
        include=tuple(model.include) if model.include is not None else DEFAULT_INCLUDE,
        exclude=(*(model.exclude if model.exclude is not None else DEFAULT_EXCLUDE), *model.extend_exclude),
        fail_on=Severity.parse(model.fail_on),
        require_reason=model.require_reason,
        confidentiality=model.confidentiality,
        timezone=model.timezone,
        path=name,
        root=root,
    )


def parse_roster(text: str) -> list[KnownPerson]:
    """A roster file: one person a line, ``Name``, ``Name <email>`` or ``Name | role``; ``#`` starts a comment."""
    out = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip() if not line.lstrip().startswith("@") else line.strip()
        if not line:
            continue
        role = None
        if "|" in line:
            line, _, r = line.partition("|")
            role = _role(r.strip() or None)
            line = line.strip()
        emails: tuple[str, ...] = ()
        if line.endswith(">") and "<" in line:
            line, _, e = line[:-1].partition("<")
            emails = (e.strip(),)
            line = line.strip()
        handles = (line,) if line.startswith("@") else ()
        out.append(KnownPerson(line, role, handles, emails))
    return out


def _role(role: str | None) -> str | None:
    """A role key from the schema (``incident-commander``) becomes its label (``the incident commander``)."""
    from postmortem.roles import ROLE_LABELS

    return ROLE_LABELS.get(role, role) if role else None


def _validate_options(cls: type[Any], values: dict[str, Any]) -> dict[str, Any]:
    """Validate one rule's options (kebab-case keys) against its dataclass; return snake-case kwargs."""
    spec: dict[str, Any] = {}
    hints = _hints(cls)
    for f in fields(cls):
        spec[f.name] = (hints[f.name], f.default)
    model = create_model(
        f"{cls.__module__}.Options", __config__=ConfigDict(extra="forbid", alias_generator=_kebab), **spec
    )
    validated = model.model_validate(values)
    return {f.name: getattr(validated, f.name) for f in fields(cls) if _kebab(f.name) in values}


def _hints(cls: type[Any]) -> dict[str, Any]:
    import typing

    return typing.get_type_hints(cls)


def _message(e: Any) -> str:
    kind = e.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "literal_error":
        return f"expected one of {e.get('ctx', {}).get('expected', '')}"
    return str(e.get("msg", "invalid value"))


__all__ = ["ConfigError", "ConfigModel", "key_positions", "parse_config", "parse_roster"]
_ = RULES
