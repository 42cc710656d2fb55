"""``postmortem validate FILES...``"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from postmortem.cli.limits import MAX_BYTES, MAX_DEPTH, MAX_NODES, MaxBytes, MaxDepth, MaxNodes
from postmortem.diagnostics import ExitCode, PostmortemError, Severity, sort_diagnostics


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
    from postmortem.cli.io import expand_paths, fail, parse_named, print_diagnostics
    from postmortem.model.validate import validate
    from postmortem.yamlio import Limits

    limits = Limits(max_bytes=max_bytes, max_nodes=max_nodes, max_depth=max_depth)
    try:
        files = expand_paths(paths)
    except PostmortemError as exc:
        fail(exc.diagnostic)
    worst = ExitCode.OK
    bad_files = 0
    for path in files:
        doc = parse_named(path, limits, only=len(files) == 1)
        if doc is None:
            worst = ExitCode.TOOL_ERROR
            continue
        result = validate(doc)
        diags = sort_diagnostics(result.diagnostics)
        print_diagnostics(diags)
        problems = result.errors or (strict and result.warnings)
        if problems:
            bad_files += 1
            worst = max(worst, ExitCode.PROBLEMS)
    if not quiet and worst is not ExitCode.TOOL_ERROR:
        n = len(files)
        if bad_files:
            sys.stderr.write(f"{bad_files} of {n} file{'s' if n != 1 else ''} invalid\n")
        else:
            sys.stderr.write(f"{n} file{'s' if n != 1 else ''} valid\n")
    raise typer.Exit(int(worst))


def register(app: typer.Typer) -> None:
    app.command("validate")(validate_cmd)


__all__ = ["Severity", "register"]
