"""The typer application.  Each command lives in its own module and imports its work lazily."""

from __future__ import annotations

from importlib import import_module
from typing import Annotated

import typer

from postmortem import __version__

_COMMANDS = {
    "new": "cmd_new",
    "validate": "cmd_validate",
    "schema": "cmd_schema",
    "lint": "cmd_lint",
    "rules": "cmd_rules",
    "render": "cmd_render",
    "templates": "cmd_templates",
}
"""Command name -> module in this package; each module has ``register(app)``."""


def make_app(only: str | None = None) -> typer.Typer:
    """Build the application; with ``only``, register just that command.

    Typer builds every registered command's parameters on each run, and each
    command module imports its own dependencies, so ``main`` registers only
    the command being run: ``lint`` and ``validate`` start without paying for
    ``render``.  ``--help`` and unknown commands get the full application.
    """
    application = typer.Typer(
        name="postmortem",
        help="Validate, lint and render blameless post-mortems.",
        no_args_is_help=True,
        add_completion=False,
        context_settings={"help_option_names": ["-h", "--help"]},
        # Never show users a traceback with local variables: they hold confidential text.
        pretty_exceptions_enable=False,
        pretty_exceptions_show_locals=False,
        rich_markup_mode=None,
    )
    application.callback()(_root)
    names = [only] if only in _COMMANDS else list(_COMMANDS)
    for name in names:
        import_module(f"postmortem.cli.{_COMMANDS[name]}").register(application)
    return application


def _version(value: bool) -> None:
    if value:
        typer.echo(f"postmortem {__version__}")
        raise typer.Exit()


def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Validate, lint and render blameless post-mortems.

    Exit codes: 0 clean, 1 the documents have problems, 2 the tool could not run.
    """


_FULL: list[typer.Typer] = []


def __getattr__(name: str) -> typer.Typer:
    """``app``: the full application, built once on first use (tests, embedding)."""
    if name == "app":
        if not _FULL:
            _FULL.append(make_app())
        return _FULL[0]
    raise AttributeError(name)
