"""User-supplied extra terms: whole words, any case, linear-time matching."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache


@lru_cache(maxsize=64)
def _compile(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    words = sorted({t.strip() for t in terms if t.strip()}, key=len, reverse=True)
    if not words:
        return None
    alt = "|".join(r"\s+".join(re.escape(w) for w in t.split()) for t in words)
    return re.compile(rf"(?<!\w)(?:{alt})(?!\w)", re.IGNORECASE)


def find_terms(text: str, terms: Iterable[str]) -> Iterator[tuple[int, int]]:
    rx = _compile(tuple(terms))
    if rx is None:
        return
    for m in rx.finditer(text):
        yield m.start(), m.end()
