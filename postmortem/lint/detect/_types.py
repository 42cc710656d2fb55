"""The value types shared by the detectors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Match:
    """One finding of a detector, in code point offsets into the analysed text (end exclusive)."""

    start: int
    end: int
    kind: str
    """people: ``known-person``, ``handle``, ``email``, ``person-name``; language: ``human-error``,
    ``blame-word``, ``punitive``, ``counterfactual``, ``hindsight``, ``action-item-quality``."""
    text: str
    person: str | None = None
    """For ``known-person``: the canonical roster name that matched."""
    role: str | None = None
    """For ``known-person``: the role label, e.g. ``the incident commander``."""
    help: str | None = None
    """A neutral, blameless rewrite suggestion."""


@dataclass(frozen=True)
class KnownPerson:
    """A person from a roster (the document's responders, the config's ``people``, git authors)."""

    name: str
    role: str | None = None
    handles: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()


SEPARATOR = "\n\x00\n"
"""Between the texts of one document scanned as one string.  The NUL is neither a space nor a word
character, so no pattern matches across it, and rules treat it as the start of a sentence; the line
breaks around it read as the end and the start of a text."""


def join_texts(texts: Sequence[str]) -> tuple[str, list[int]]:
    """The texts as one string with :data:`SEPARATOR` between them, and the offset of each text in it."""
    offsets: list[int] = []
    pos = 0
    for text in texts:
        offsets.append(pos)
        pos += len(text) + len(SEPARATOR)
    return SEPARATOR.join(texts), offsets
