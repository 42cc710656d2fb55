"""Pure text detectors: people's names and blame language.

The functions here take plain prose (the engine has already blanked code spans,
fenced code, URLs and link targets with spaces of the same length) and return
:class:`Match` values in code point offsets.  They never read files or config,
and every one of them runs in time linear in its input.
"""

from __future__ import annotations

from postmortem.lint.detect._types import KnownPerson, Match
from postmortem.lint.detect.language import detect_action_item_quality, detect_language, detect_language_many
from postmortem.lint.detect.people import detect_people, looks_like_timeline

__all__ = [
    "KnownPerson",
    "Match",
    "detect_action_item_quality",
    "detect_language",
    "detect_language_many",
    "detect_people",
    "looks_like_timeline",
]
