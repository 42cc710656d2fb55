"""PM101 named-individual."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from postmortem.diagnostics import Severity
from postmortem.lint.rule import Problem, Rule, opt

if TYPE_CHECKING:  # pragma: no cover
    from postmortem.lint.engine import LintContext


@dataclass(frozen=True)
class Options:
    roster_roles: bool = opt(True, "Name the person's role from the roster in the help text.")


DOC = """\
## What it does

Flags the name of a *known* person in a narrative field: someone on the
document's own roster (responders, authors, reviewers, action-item owners),
in the config's `people` or roster file, or, with `--people-from-git`, a
commit author of the repository.  The full name, the given name or family
name alone, the possessive, any letter case, handles and email addresses
all count.  Fields that hold people by design (`responders`, `authors`,
`reviewers`, `action_items[].owner`) are never flagged.

## Why is this bad?

A post-mortem is about how the system allowed the incident, not about who
touched it last.  A name in the narrative invites blame, discourages the
candour the next review depends on, and follows that person around in
every copy of the document.

## Example

```yaml
responders:
  - name: Dana Whitfield
    role: incident-commander
timeline:
  - at: 2026-03-14T10:02:00Z
    text: Dana rolled back the release.
```

## Use instead

```yaml
responders:
  - name: Dana Whitfield
    role: incident-commander
timeline:
  - at: 2026-03-14T10:02:00Z
    text: The incident commander rolled back the release.
```

`postmortem lint --fix` makes this rewrite: each name becomes the person's
role from the roster, or a placeholder such as "Responder A".

## Options

- `roster-roles` (bool, default `true`): name the person's role from the roster in the help text.
"""


def check(ctx: LintContext, options: Options) -> Iterator[Problem]:
    for unit, matches in zip(ctx.units, ctx.people(), strict=True):
        for m in matches:
            if m.kind != "known-person":
                continue
            span = unit.span(m.start, m.end)
            role = m.role if options.roster_roles else None
            if role:
                message = f"a person on the roster is named in {unit.label}; refer to them as {role}"
                help_ = f"refer to them as {role}, e.g. '{role} restarted the service'"
            else:
                message = f"a known person is named in {unit.label}; refer to their role"
                help_ = "refer to the person by their role, e.g. 'the on-call engineer'"
            yield Problem(span, message, help_, unit.label, fix=role, person=(m.person or m.text).lower())


RULE = Rule(
    code="PM101",
    name="named-individual",
    severity=Severity.ERROR,
    summary="A known person's name (roster, config, git authors) in a narrative field.",
    doc=DOC,
    check=check,
    options=Options,
    aliases=("named-person",),
    redact=True,
)
