"""Validation: a :class:`ParsedDocument` in, an :class:`Incident` and positioned diagnostics out.

Friendly messages are chosen by pydantic's error ``type``, never by matching
its English text.  A missing key is reported at its parent, which exists.
"""

from __future__ import annotations

import datetime as dt
import difflib
import posixpath
import re
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from postmortem.diagnostics import Diagnostic, Severity, Span, sort_diagnostics
from postmortem.model.incident import Incident, Timestamp
from postmortem.yamlio import ParsedDocument, Path, format_path


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of :func:`validate`: the incident if it is valid, and every diagnostic."""

    incident: Incident | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is not Severity.ERROR]

    @property
    def ok(self) -> bool:
        return self.incident is not None and not self.errors


def validate(doc: ParsedDocument) -> ValidationResult:
    """Validate a parsed document against the model and the checks beyond types."""
    diags: list[Diagnostic] = list(doc.diagnostics)
    incident: Incident | None = None
    try:
        incident = Incident.model_validate(doc.data)
    except ValidationError as exc:
        diags.extend(_pydantic_diagnostics(doc, exc))
    diags.extend(_Checker(doc).run())
    result_incident = incident if not any(d.severity is Severity.ERROR for d in diags) else None
    return ValidationResult(result_incident, tuple(sort_diagnostics(diags)))


# --- pydantic errors -------------------------------------------------------------


def _data_path(data: Any, loc: tuple[int | str, ...]) -> Path:
    """The data path of a pydantic ``loc``.

    Union members add tags (``int``, ``float``, ``function-before[...]``) to
    ``loc``; those name no key in the data and are skipped.  A missing or
    unknown key is kept as the last part, for the message.
    """
    path: list[str | int] = []
    cur: Any = data
    for part in loc:
        if isinstance(cur, dict) and isinstance(part, str):
            path.append(part)
            cur = cur.get(part)
        elif isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur):
            path.append(part)
            cur = cur[part]
    return tuple(path)


def _model_at(path: Path) -> type[BaseModel] | None:
    """The model class that holds the mapping at ``path`` (for suggestions)."""
    cls: Any = Incident
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(cls, type) and issubclass(cls, BaseModel)) or part not in cls.model_fields:
            return None
        cls = _inner_model(cls.model_fields[part].annotation)
    return cls if isinstance(cls, type) and issubclass(cls, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    stack = [annotation]
    while stack:
        a = stack.pop()
        if isinstance(a, type) and issubclass(a, BaseModel):
            return a
        stack.extend(typing.get_args(a))
    return None


def field_names(cls: type[BaseModel]) -> list[str]:
    return list(cls.model_fields)


def suggest(word: str, choices: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not matches:
        lowered = {c.lower().replace("-", "_"): c for c in choices}
        key = word.lower().replace("-", "_").replace(" ", "_")
        return lowered.get(key)
    return matches[0]


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _short(value: Any, limit: int = 40) -> str:
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pydantic_diagnostics(doc: ParsedDocument, exc: ValidationError) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    seen: set[tuple[Path, str]] = set()
    for err in exc.errors(include_url=False, include_context=True):
        path = _data_path(doc.data, tuple(err["loc"]))
        etype = err["type"]
        # a union reports once per member; one message per place is enough
        if (path, etype) in seen or any(p == path for p, _ in seen if etype in ("int_type", "float_type")):
            continue
        seen.add((path, etype))
        out.append(_one(doc, path, etype, err))
    return out


def _one(doc: ParsedDocument, path: Path, etype: str, err: Any) -> Diagnostic:
    where = format_path(path)
    value = err.get("input")
    name = path[-1] if path else ""
    code = "PM010"
    rule = "schema"
    if etype == "extra_forbidden":
        parent = _model_at(path[:-1])
        hint = suggest(str(name), field_names(parent)) if parent else None
        msg = f"unknown field '{name}'"
        if parent is not None and path[:-1]:
            msg += f" in {format_path(path[:-1])}"
        msg += f"; did you mean '{hint}'?" if hint else "; remove it or check the spelling"
        _, node = doc.locate(path)
        span = node.key_span or node.span
        return Diagnostic(doc.source, span, msg, Severity.ERROR, "PM011", "unknown-field", path=where)
    if etype == "missing":
        found, node = doc.locate(path[:-1])
        where_parent = format_path(found) if found else "the document"
        msg = f"missing required field '{name}' in {where_parent}"
        span = node.key_span or Span(node.span.start, node.span.start)
        return Diagnostic(doc.source, span, msg, Severity.ERROR, "PM012", "missing-field", path=where)
    _, node = doc.locate(path)
    span = node.span
    if etype == "timezone_aware":
        shown = _short(value)
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
            # a date alone: the suggestion must be a whole timestamp ('2026-03-14Z' is not one)
            msg = (
                f"{where}: '{shown}' is a date, not a timestamp; give the time it happened and a zone,"
                f" e.g. '{shown}T10:00:00Z'"
            )
        else:
            msg = (
                f"{where}: timestamp '{shown}' has no time zone; "
                f"add Z for UTC or an offset, e.g. '{shown}Z' or '{shown}+02:00'"
            )
        return Diagnostic(
            doc.source,
            span,
            msg,
            Severity.ERROR,
            "PM013",
            "naive-timestamp",
            path=where,
        )
    if etype in ("datetime_parsing", "datetime_from_date_parsing", "datetime_type"):
        msg = f"{where}: '{_short(value)}' is not a timestamp; write ISO 8601 with a zone, e.g. 2026-03-14T10:02:00Z"
    elif etype in (
        "date_parsing",
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
        "date_type",
    ):
        msg = f"{where}: '{_short(value)}' is not a date; write ISO 8601, e.g. 2026-03-14"
    elif etype == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip().strip("'") for c in expected.replace(" or ", ", ").split(",") if c.strip()]
        hint = suggest(str(value), choices) if isinstance(value, str) else None
        msg = f"{where}: {_short(repr(value) if isinstance(value, str) else value)} is not one of {expected}"
        if hint:
            msg += f"; did you mean '{hint}'?"
    elif etype == "string_type":
        msg = f"{where}: expected text, got {_describe(value)}"
        if isinstance(value, int | float | bool):
            msg += "; put it in quotes"
    elif etype in ("int_type", "int_from_float") and isinstance(value, float) and not isinstance(value, bool):
        shown = str(value) if value == value and abs(value) != float("inf") else "a number too large to hold"
        msg = f"{where}: expected a whole number, got {shown}"
        if value.is_integer():
            msg += f"; write {int(value)}"
    elif etype in ("int_type", "float_type", "int_from_float"):
        msg = f"{where}: expected {'a whole number' if etype != 'float_type' else 'a number'}, got {_describe(value)}"
    elif etype in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(err.get("ctx", {}).values()), "")
        words = {
            "greater_than_equal": "at least",
            "greater_than": "more than",
            "less_than_equal": "at most",
            "less_than": "less than",
        }[etype]
        msg = f"{where}: must be {words} {bound}, not {_short(value)}"
    elif etype == "bool_type":
        msg = f"{where}: expected true or false, got {_describe(value)}"
    elif etype in ("list_type",):
        msg = f"{where}: expected a list, got {_describe(value)}"
    elif etype in ("model_type", "model_attributes_type", "dict_type"):
        msg = f"{where}: expected a mapping of fields, got {_describe(value)}"
    elif etype == "string_too_short":
        msg = f"{where}: must not be empty"
    elif etype == "too_short":
        msg = f"{where}: needs at least {err.get('ctx', {}).get('min_length', 1)} entry"
    elif etype == "string_pattern_mismatch" and name in ("url", "tracker"):
        msg = f"{where}: '{_short(value)}' is not an absolute http(s) URL"
    else:
        msg = f"{where}: {err['msg']}"
    return Diagnostic(doc.source, span, msg, Severity.ERROR, code, rule, path=where)


# --- checks beyond types ------------------------------------------------------------
#
# These run on the raw data, not on the validated model, so that an
# out-of-order timeline is reported together with a misspelled key elsewhere:
# every problem at once.  Values that fail their own type check are skipped
# here; pydantic has already reported them.

_TS: TypeAdapter[dt.datetime] = TypeAdapter(Timestamp)


def _ts(value: Any) -> dt.datetime | None:
    try:
        return _TS.validate_python(value)
    except ValidationError:
        return None


def _items(data: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    seq = data.get(key) if isinstance(data, dict) else None
    if not isinstance(seq, list):
        return []
    return [(i, x) for i, x in enumerate(seq) if isinstance(x, dict)]


class _Checker:
    def __init__(self, doc: ParsedDocument) -> None:
        self.doc = doc
        self.data = doc.data
        self.out: list[Diagnostic] = []

    def emit(
        self,
        path: Path,
        message: str,
        code: str,
        rule: str,
        severity: Severity = Severity.ERROR,
    ) -> None:
        _, node = self.doc.locate(path)
        # a problem about a value points at it; one about a whole mapping or list at its key
        span = node.key_span if node.style is None and node.key_span is not None else node.span
        self.out.append(
            Diagnostic(
                self.doc.source,
                span,
                message,
                severity,
                code,
                rule,
                path=format_path(path),
            )
        )

    def run(self) -> list[Diagnostic]:
        self.timeline_order()
        self.times()
        self.final_requirements()
        self.unique_ids()
        self.figure_paths()
        self.phase_coverage()
        return self.out

    def events(self) -> list[tuple[int, dt.datetime | None, Any]]:
        return [(i, _ts(e.get("at")), e.get("phase")) for i, e in _items(self.data, "timeline")]

    def timeline_order(self) -> None:
        latest: tuple[int, dt.datetime] | None = None
        for i, at, _ in self.events():
            if at is None:
                continue
            if latest is not None and at < latest[1]:
                prev = latest[1].isoformat().replace("+00:00", "Z")
                self.emit(
                    ("timeline", i, "at"),
                    f"timeline[{i}] is out of order: it is earlier than timeline[{latest[0]}] ({prev});"
                    " keep the timeline chronological",
                    "PM020",
                    "timeline-order",
                )
            else:
                latest = (i, at)

    def times(self) -> None:
        imp = self.data.get("impact")
        imp = imp if isinstance(imp, dict) else {}
        start, end = _ts(imp.get("started_at")), _ts(imp.get("ended_at"))
        if start is None:
            return
        if end is not None and end <= start:
            self.emit(
                ("impact", "ended_at"),
                "impact.ended_at must be after impact.started_at",
                "PM021",
                "impact-window",
            )
        mitigated = _ts(imp.get("mitigated_at"))
        if mitigated is not None and mitigated < start:
            self.emit(
                ("impact", "mitigated_at"),
                "impact.mitigated_at is before impact.started_at",
                "PM021",
                "impact-window",
            )
        elif mitigated is not None and end is not None and mitigated > end:
            self.emit(
                ("impact", "mitigated_at"),
                "impact.mitigated_at is after impact.ended_at; mitigation comes before the end of the impact",
                "PM021",
                "impact-window",
            )
        det_data = self.data.get("detection")
        det = _ts(det_data.get("detected_at")) if isinstance(det_data, dict) else None
        if det is not None and det < start:
            self.emit(
                ("detection", "detected_at"),
                "detection.detected_at is before impact.started_at; the impact cannot be detected before it starts",
                "PM022",
                "impact-window",
            )
        elif det is None:
            first = next(
                ((i, at) for i, at, phase in self.events() if phase == "detect" and at is not None),
                None,
            )
            if first is not None and first[1] < start:
                self.emit(
                    ("timeline", first[0], "at"),
                    "the first detect event is before impact.started_at;"
                    " the impact cannot be detected before it starts",
                    "PM022",
                    "impact-window",
                )

    def final_requirements(self) -> None:
        if self.data.get("status") != "final":
            return
        imp = self.data.get("impact")
        if isinstance(imp, dict) and "started_at" in imp and imp.get("ended_at") is None:
            self.emit(
                ("impact",),
                "a final post-mortem needs impact.ended_at",
                "PM023",
                "final-complete",
            )
        items = _items(self.data, "action_items")
        if not items:
            self.emit(
                ("status",),
                "a final post-mortem needs at least one action item",
                "PM023",
                "final-complete",
            )
        for i, item in items:
            if not item.get("owner"):
                self.emit(
                    ("action_items", i),
                    f"action_items[{i}] needs an owner (a team or a person) before the post-mortem is final",
                    "PM024",
                    "final-complete",
                )
            if item.get("due") is None and item.get("tracker") is None:
                self.emit(
                    ("action_items", i),
                    f"action_items[{i}] needs a due date or a tracker link before the post-mortem is final",
                    "PM024",
                    "final-complete",
                )

    def unique_ids(self) -> None:
        for field in ("timeline", "action_items"):
            seen: dict[str, int] = {}
            for i, item in _items(self.data, field):
                ident = item.get("id")
                if not isinstance(ident, str):
                    continue
                if ident in seen:
                    self.emit(
                        (field, i, "id"),
                        f"duplicate id '{ident}' (already used by {field}[{seen[ident]}])",
                        "PM025",
                        "unique-ids",
                    )
                else:
                    seen[ident] = i

    def figure_paths(self) -> None:
        for i, fig in _items(self.data, "figures"):
            raw = fig.get("path")
            if not isinstance(raw, str):
                continue
            p = raw.replace("\\", "/")
            norm = posixpath.normpath(p)
            if p.startswith("/") or (len(p) > 1 and p[1] == ":") or "://" in p or p.startswith("data:"):
                self.emit(
                    ("figures", i, "path"),
                    "figure path must be relative to the incident file, not absolute or a URL",
                    "PM026",
                    "figure-path",
                )
            elif norm == ".." or norm.startswith("../"):
                self.emit(
                    ("figures", i, "path"),
                    "figure path leaves the incident's folder; keep figures beside the incident file",
                    "PM026",
                    "figure-path",
                )

    def phase_coverage(self) -> None:
        if self.data.get("status") == "draft":
            return  # a draft is incomplete by nature; review is where the figures matter
        events = self.events()
        if not events:
            self.emit(
                ("timeline",),
                "the timeline is empty; time to detect, mitigate and resolve cannot be computed",
                "PM030",
                "derived-figures",
                Severity.WARNING,
            )
            return
        phases = {phase for _, _, phase in events if isinstance(phase, str)}  # others: a type error already
        missing = [p for p in ("detect", "mitigate", "resolve") if p not in phases]
        det = self.data.get("detection")
        if "detect" in missing and isinstance(det, dict) and det.get("detected_at") is not None:
            missing.remove("detect")
        imp = self.data.get("impact")
        if "mitigate" in missing and isinstance(imp, dict) and imp.get("mitigated_at") is not None:
            missing.remove("mitigate")
        if missing:
            self.emit(
                ("timeline",),
                "no timeline event has phase "
                + ", ".join(missing)
                + "; the matching time-to figures cannot be computed",
                "PM030",
                "derived-figures",
                Severity.WARNING,
            )
