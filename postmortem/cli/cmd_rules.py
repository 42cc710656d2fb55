"""``postmortem rules [NAME]``: list the lint rules, or show one rule's page."""

from __future__ import annotations

from typing import Annotated

import typer


def rules_cmd(
    name: Annotated[str | None, typer.Argument(help="A rule name, code or alias; omit to list every rule.")] = None,
) -> None:
    """List the lint rules (code, name, default severity, summary), or explain one rule.

    The text of one rule is the same as its page in docs/rules/.
    """
    from postmortem.cli.io import fail_message
    from postmortem.lint.docs import rule_page, rules_table
    from postmortem.lint.rules import get_rule

    if name is None:
        typer.echo(rules_table(), nl=False)
        return
    rule = get_rule(name)
    if rule is None:
        fail_message(f"unknown rule {name!r}; run `postmortem rules` for the list")
    typer.echo(rule_page(rule), nl=False)


def register(app: typer.Typer) -> None:
    app.command("rules")(rules_cmd)


__all__ = ["register", "rules_cmd"]
