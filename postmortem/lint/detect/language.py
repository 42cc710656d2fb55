"""Blame, counterfactual and hindsight language (first, simple version)."""

from __future__ import annotations

import re

from postmortem.lint.detect._types import Match

_TERMS = {
    "human-error": ["human error", "operator error", "fat finger", "fat-finger", "made a mistake", "mistyped"],
    "blame-word": ["careless", "negligent", "sloppy", "incompetent", "to blame", "culprit", "mistakenly", "botched",
                   "wrongly", "overlooked", "oversight", "reckless", "negligence", "blamed"],
    "punitive": ["reprimand", "reprimanded", "disciplinary", "held accountable"],
}
_RE = re.compile(
    "|".join(rf"(?P<k{i}>\b(?:{'|'.join(re.escape(t) for t in ts)})\b)" for i, ts in enumerate(_TERMS.values())),
    re.IGNORECASE,
)
_KINDS = list(_TERMS)


def detect_language(text: str) -> list[Match]:
    """Blame (human-error, blame-word, punitive) and counterfactual/hindsight wording."""
    out: list[Match] = []
    for m in _RE.finditer(text):
        kind = _KINDS[int(m.lastgroup[1:])] if m.lastgroup else "blame-word"
        out.append(Match(m.start(), m.end(), kind, m.group(), help="describe what the system allowed"))
    return out


def detect_action_item_quality(text: str) -> list[Match]:
    """Action items that are not controls ("be more careful", "double-check", "retrain ...")."""
    rx = re.compile(r"\b(?:be more careful|pay more attention|double-check|retrain\w*|remind\w*|make sure to|be vigilant)\b",
                    re.IGNORECASE)
    return [Match(m.start(), m.end(), "action-item-quality", m.group(), help="add a control") for m in rx.finditer(text)]
