"""``postmortem validate FILES...``"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from postmortem.cli.limits import MAX_BYTES, MAX_DEPTH, MAX_NODES, MaxBytes, MaxDepth, MaxNodes
from postmortem.diagnostics import ExitCode, PostmortemError, Severity, sort_diagnostics

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.yamlio import Limits, ParsedDocument


def validate_cmd(
    paths: Annotated[
        list[str],
        typer.Argument(help="Incident files (.yml, .yaml, .json) or folders of them; - reads stdin."),
    ],
    strict: Annotated[bool, typer.Option("--strict", help="Treat warnings as problems (exit 1).")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print problems only, no summary.")] = False,
    max_bytes: MaxBytes = MAX_BYTES,
    max_nodes: MaxNodes = MAX_NODES,
    max_depth: MaxDepth = MAX_DEPTH,
) -> None:
    """Check incident files against the schema and the rules beyond types.

    Prints every problem as FILE:LINE:COL: severity: message, sorted. Exit code 0 when all files are
    valid (warnings allowed unless --strict), 1 when any has errors, 2 when a file cannot be read or parsed.
    """
    from postmortem.cli.io import expand_paths, fail, fail_message, parse_named, print_diagnostics
    from postmortem.model.validate import validate
    from postmortem.yamlio import Limits, ParsedDocument

    limits = Limits(max_bytes=max_bytes, max_nodes=max_nodes, max_depth=max_depth)
    walked: set[str] = set()
    try:
        files = expand_paths(paths, walked=walked)
    except PostmortemError as exc:
        fail(exc.diagnostic)
    worst = ExitCode.OK
    bad_files = 0
    checked = 0
    for path in files:
        if path in walked:
            # found in a folder: a file that is not an incident (a JSON Schema, a CI config, a list)
            # is passed over quietly, as lint does; a broken one is still reported
            doc = _read_walked(path, limits)
            if doc is _NOT_AN_INCIDENT:
                continue
        else:
            doc = parse_named(path, limits, only=len(files) == 1)
        if not isinstance(doc, ParsedDocument):
            worst = ExitCode.TOOL_ERROR
            continue
        checked += 1
        result = validate(doc)
        diags = sort_diagnostics(result.diagnostics)
        print_diagnostics(diags)
        problems = result.errors or (strict and result.warnings)
        if problems:
            bad_files += 1
            worst = max(worst, ExitCode.PROBLEMS)
    if not checked and worst is ExitCode.OK:
        fail_message(f"no incident file in {', '.join(paths)}: the YAML and JSON files there are not incidents")
    if not quiet and worst is not ExitCode.TOOL_ERROR:
        n = checked
        if bad_files:
            sys.stderr.write(f"{bad_files} of {n} file{'s' if n != 1 else ''} invalid\n")
        else:
            sys.stderr.write(f"{n} file{'s' if n != 1 else ''} valid\n")
    raise typer.Exit(int(worst))


_NOT_AN_INCIDENT = object()


def _read_walked(path: str, limits: Limits) -> ParsedDocument | object | None:
    """A file found in a folder: its document, ``_NOT_AN_INCIDENT``, or None once its error is printed."""
    from postmortem.cli.io import parse_found, print_diagnostics, read_source

    try:
        doc = parse_found(read_source(path, limits), limits)
    except PostmortemError as exc:
        print_diagnostics([exc.diagnostic], sys.stderr)
        return None
    return _NOT_AN_INCIDENT if doc is None else doc


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_cmd)


__all__ = ["Severity", "register"]
