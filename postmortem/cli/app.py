"""The typer application.  Each command lives in its own module and imports its work lazily."""

from __future__ import annotations

from typing import Annotated

import typer

from postmortem import __version__

app = typer.Typer(
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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"postmortem {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """Validate, lint and render blameless post-mortems.

    Exit codes: 0 clean, 1 the documents have problems, 2 the tool could not run.
    """


from postmortem.cli import cmd_new, cmd_schema, cmd_validate  # noqa: E402

cmd_new.register(app)
cmd_validate.register(app)
cmd_schema.register(app)

from postmortem.cli import cmd_lint, cmd_rules  # noqa: E402

cmd_lint.register(app)
cmd_rules.register(app)

from postmortem.cli import cmd_render, cmd_templates  # noqa: E402

cmd_render.register(app)
cmd_templates.register(app)
