"""The rule registry: an explicit, ordered tuple.  Nothing registers itself at import time."""

from __future__ import annotations

from collections.abc import Iterable

from postmortem.lint.rule import Rule
from postmortem.lint.rules import (
    action_item_quality,
    blame_language,
    counterfactual,
    detect_action_missing,
    invalid_suppression,
    missing_what_went_well,
    named_individual,
    person_mention,
    placeholder,
    unused_suppression,
)

RULES: tuple[Rule, ...] = (
    named_individual.RULE,
    person_mention.RULE,
    blame_language.RULE,
    counterfactual.RULE,
    action_item_quality.RULE,
    placeholder.RULE,
    missing_what_went_well.RULE,
    detect_action_missing.RULE,
    invalid_suppression.RULE,
    unused_suppression.RULE,
)

_BY_KEY: dict[str, Rule] = {}
for _r in RULES:
    for _k in (_r.name, _r.code, *_r.aliases):
        _BY_KEY[_k.lower()] = _r


def get_rule(key: str) -> Rule | None:
    """A rule by kebab-case name, code (any case) or alias."""
    return _BY_KEY.get(key.strip().lower())


def select_matches(rule: Rule, selector: str) -> bool:
    """``selector`` is ``all``, a name, an alias, a code, or a code prefix such as ``PM1``."""
    s = selector.strip().lower()
    if s == "all":
        return True
    if s in (rule.name, *rule.aliases):
        return True
    return s.startswith("pm") and rule.code.lower().startswith(s)


def known_selector(selector: str) -> bool:
    return any(select_matches(r, selector) for r in RULES)


def enabled_rules(select: Iterable[str] | None, ignore: Iterable[str]) -> list[Rule]:
    sel = list(select) if select is not None else None
    ign = list(ignore)
    out = []
    for r in RULES:
        if sel is not None and not any(select_matches(r, s) for s in sel):
            continue
        if any(select_matches(r, s) for s in ign):
            continue
        out.append(r)
    return out


__all__ = ["RULES", "enabled_rules", "get_rule", "known_selector", "select_matches"]
