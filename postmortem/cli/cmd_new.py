"""``postmortem new [PATH] [--title ...]``"""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Annotated

import typer


def _packaged_schema() -> Path:
    return Path(__file__).resolve().parent.parent / "schema" / "incident.schema.json"


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:60] or "incident"


def new_cmd(
    path: Annotated[str | None, typer.Argument(help="File to create; default: INCIDENT-SLUG.yml here.")] = None,
    title: Annotated[str, typer.Option("--title", "-t", help="Title of the incident.")] = "Untitled incident",
    incident_id: Annotated[str | None, typer.Option("--id", help="Incident id; default: INC-<today>.")] = None,
    schema_ref: Annotated[
        str | None,
        typer.Option(
            help="What the yaml-language-server modeline points at; default: the schema installed with postmortem."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace the file if it exists.")] = False,
) -> None:
    """Write a commented starter incident that validates, with the schema modeline for editors."""
    from postmortem.cli.io import write_atomic
    from postmortem.starter import starter_json, starter_yaml

    today = dt.date.today()
    target = Path(path) if path else Path(f"{_slug(title)}.yml")
    if schema_ref is None:
        schema_ref = os.path.relpath(_packaged_schema(), target.resolve().parent)
    text = starter_yaml(
        title=title, incident_id=incident_id or f"INC-{today:%Y%m%d}", today=today, schema_ref=schema_ref
    )
    if target.suffix.lower() == ".json":
        text = starter_json(text)
    write_atomic(target, text.encode("utf-8"), exclusive=not force)
    typer.echo(f"wrote {target}")


def register(app: typer.Typer) -> None:
    app.command("new")(new_cmd)
