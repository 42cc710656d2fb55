"""``postmortem schema``"""

from __future__ import annotations

from typing import Annotated

import typer


def schema_cmd(
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write to this file instead of standard output.")
    ] = None,
) -> None:
    """Print the JSON Schema of the incident format, for editors and other tools."""
    from postmortem.cli.io import write_atomic
    from postmortem.model.schema import json_schema_text

    text = json_schema_text()
    if output is None:
        typer.echo(text, nl=False)
    else:
        write_atomic(output, text.encode("utf-8"))


def register(app: typer.Typer) -> None:
    app.command("schema")(schema_cmd)
