"""People: roster names, handles, emails and personal names (first, simple version)."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from postmortem.lint.detect._types import KnownPerson, Match

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w@.])@([A-Za-z0-9][A-Za-z0-9_.-]*[A-Za-z0-9_]|[A-Za-z0-9])(?![\w/])")
_GROUP = frozenset({"here", "channel", "everyone"})


def detect_people(
    texts: Sequence[str],
    *,
    roster: Sequence[KnownPerson] = (),
    allowed_terms: Collection[str] = (),
    extra_names: Collection[str] = (),
    chat_lines: Sequence[bool] | None = None,
) -> list[list[Match]]:
    """Find people in the texts of one document; one list of matches per text."""
    out: list[list[Match]] = []
    for text in texts:
        found: list[Match] = []
        for p in roster:
            for variant in (p.name, *p.name.split(), *p.handles, *p.emails):
                for m in re.finditer(rf"(?<!\w){re.escape(variant)}(?!\w)", text, re.IGNORECASE):
                    found.append(Match(m.start(), m.end(), "known-person", m.group(), p.name, p.role))
        for m in _EMAIL.finditer(text):
            found.append(Match(m.start(), m.end(), "email", m.group(), help="refer to the role"))
        for m in _HANDLE.finditer(text):
            if m.group(1).lower() not in _GROUP:
                found.append(Match(m.start(), m.end(), "handle", m.group(), help="refer to the role"))
        found.sort(key=lambda x: (x.start, -x.end))
        out.append(found)
    return out
