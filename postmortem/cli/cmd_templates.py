"""``postmortem templates export DIR``: copy the built-in templates as the start of a theme."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Annotated

import typer

templates_app = typer.Typer(
    name="templates",
    help="Work with the rendering templates.",
    no_args_is_help=True,
    add_completion=False,
)


def builtin_files() -> list[Path]:
    """The built-in template files, relative to their folder, sorted."""
    from postmortem.resources import templates_dir

    root = templates_dir()
    return sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


@templates_app.command("export")
def export_cmd(
    folder: Annotated[Path, typer.Argument(help="Folder to copy the templates into (created if missing).")],
    force: Annotated[bool, typer.Option("--force", help="Replace files that already exist.")] = False,
) -> None:
    """Copy the built-in templates into FOLDER; edit them and pass --template-dir FOLDER to render.

    Any template left out of FOLDER falls back to the built-in one, so a theme may keep only what it changes.
    """
    from postmortem.cli.io import fail_message
    from postmortem.resources import templates_dir

    root = templates_dir()
    files = builtin_files()
    existing = [f for f in files if (folder / f).exists()]
    if existing and not force:
        fail_message(f"{folder / existing[0]}: already exists; pass --force to replace the built-in templates there")
    for rel in files:
        dest = folder / rel
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(root / rel, dest)
        except OSError as exc:
            fail_message(f"{dest}: cannot write: {exc.strerror or exc}")
    sys.stderr.write(f"copied {len(files)} templates to {folder}\n")


@templates_app.command("list")
def list_cmd() -> None:
    """List the built-in templates (the names --template-dir may override)."""
    for rel in builtin_files():
        sys.stdout.write(f"{rel.as_posix()}\n")


def register(app: typer.Typer) -> None:
    app.add_typer(templates_app, name="templates")
