"""PM102 person-mention."""

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
    handles: bool = opt(True, "Flag @handles (GitHub and Slack grammar; not @here or @channel).")
    emails: bool = opt(True, "Flag email addresses.")
    names: bool = opt(True, "Flag personal names recognised from context and the name list.")


DOC = """\
## What it does

Flags a person who is *not* on any roster: an `@handle`, an email address,
or a personal name recognised from its context and a name list, from many
cultures (Wanjiru Kamau, Nguyễn Văn An, José María Pérez...), including
lower-case chat nicknames at the start of timeline lines.

Technology, product, company, team, host and place names (Jenkins, Kafka,
Sentry, Helm, us-east-1...) are not flagged; add your own to
`allowed-terms` in the config.  `@here`, `@channel`, npm scopes, decorators
and the local part of an email are not handles.

## Why is this bad?

The same as for `named-individual`: a person in the narrative draws the
reader to *who* rather than *how*.  Handles and emails also leak into CI
logs and search indexes, which reach more people than the draft does.

## Example

```yaml
timeline:
  - at: 2026-03-14T10:02:00Z
    text: Paged @mkowalski, who restarted the consumer.
```

## Use instead

```yaml
timeline:
  - at: 2026-03-14T10:02:00Z
    text: Paged the on-call engineer, who restarted the consumer.
```

If the person belongs in the document, add them to `responders` with a
role, and refer to the role in the text.

## Options

- `handles` (bool, default `true`): flag @handles.
- `emails` (bool, default `true`): flag email addresses.
- `names` (bool, default `true`): flag personal names recognised from context.
"""

_WHAT = {"handle": "a chat handle", "email": "an email address", "person-name": "a person's name"}


def check(ctx: LintContext, options: Options) -> Iterator[Problem]:
    wanted = {
        k for k, on in (("handle", options.handles), ("email", options.emails), ("person-name", options.names)) if on
    }
    for unit, matches in zip(ctx.units, ctx.people(), strict=True):
        for m in matches:
            if m.kind not in wanted:
                continue
            span = unit.span(m.start, m.end)
            what = _WHAT[m.kind]
            help_ = (
                m.help or "refer to the person by their role, e.g. 'the on-call engineer', or add them to responders"
            )
            yield Problem(
                span,
                f"{what} in {unit.label}; refer to the person's role",
                help_,
                unit.label,
                person=(m.person or m.text).strip("@").lower(),
            )


RULE = Rule(
    code="PM102",
    name="person-mention",
    severity=Severity.ERROR,
    summary="A person not on any roster: @handle, email address or personal name.",
    doc=DOC,
    check=check,
    options=Options,
    redact=True,
)
