"""Which fields of an incident are narrative prose, and which hold people by design.

Lint works on the raw parsed data (``ParsedDocument.data``), not on the
validated model, so drafts that do not validate yet can be linted.  The
walkers below therefore tolerate any shape: a pattern step that meets the
wrong type is simply skipped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import Any

from postmortem.lint.detect import KnownPerson
from postmortem.roles import ROLE_LABELS

Path = tuple[str | int, ...]

# "*" matches every index of a list.
NARRATIVE: tuple[tuple[str, ...], ...] = (
    ("title",),
    ("summary",),
    ("impact", "description"),
    ("impact", "affected"),
    ("impact", "measures", "*", "name"),
    ("detection", "text"),
    ("timeline", "*", "text"),
    ("timeline", "*", "evidence", "*", "title"),
    ("trigger",),
    ("contributing_factors", "*", "title"),
    ("contributing_factors", "*", "text"),
    ("resolution",),
    ("what_went_well", "*"),
    ("what_went_wrong", "*"),
    ("where_we_got_lucky", "*"),
    ("lessons_learned", "*"),
    ("action_items", "*", "title"),
    ("action_items", "*", "description"),
    ("links", "*", "title"),
    ("figures", "*", "caption"),
)
"""Fields whose text is linted for people and blame."""

ACTION_ITEM_FIELDS = frozenset({("action_items", "*", "title"), ("action_items", "*", "description")})
CHAT_FIELDS = frozenset({("timeline", "*", "text")})

PEOPLE_FIELDS: tuple[tuple[str, ...], ...] = (
    ("responders",),
    ("authors",),
    ("reviewers",),
    ("action_items", "*", "owner"),
)
"""Fields that hold people by design: never flagged."""

PEOPLE_VALUES: tuple[tuple[str, ...], ...] = (
    ("responders", "*", "name"),
    ("responders", "*", "handle"),
    ("responders", "*", "email"),
    ("authors",),
    ("authors", "*"),
    ("reviewers",),
    ("reviewers", "*"),
    ("action_items", "*", "owner"),
)
"""The strings of :data:`PEOPLE_FIELDS` that hold a person (not a responder's role or team)."""

OWNER_ROLE = "the action-item owner"
AUTHOR_ROLE = "an author"
REVIEWER_ROLE = "a reviewer"

_WORD = re.compile(r"[^\W\d_]+")
_TEAM_WORDS = ("team", "squad", "group", "guild", "crew", "chapter", "tribe", "rota", "on-call", "oncall")


def walk(data: Any, pattern: tuple[str, ...], prefix: Path = ()) -> Iterator[tuple[Path, tuple[str, ...], str]]:
    """Every string at ``pattern`` under ``data``: (path, pattern, value)."""
    yield from _walk(data, pattern, 0, prefix, pattern)


def _walk(
    cur: Any, pattern: tuple[str, ...], i: int, path: Path, full: tuple[str, ...]
) -> Iterator[tuple[Path, tuple[str, ...], str]]:
    if i == len(pattern):
        if isinstance(cur, str):
            yield path, full, cur
        return
    step = pattern[i]
    if step == "*":
        if isinstance(cur, list):
            for idx, item in enumerate(cur):
                yield from _walk(item, pattern, i + 1, (*path, idx), full)
    elif isinstance(cur, dict) and step in cur:
        yield from _walk(cur[step], pattern, i + 1, (*path, step), full)


def narrative_strings(data: Any) -> list[tuple[Path, tuple[str, ...], str]]:
    """All narrative strings in document order of the patterns."""
    out: list[tuple[Path, tuple[str, ...], str]] = []
    for pattern in NARRATIVE:
        out.extend(walk(data, pattern))
    return out


def looks_like_team(owner: str) -> bool:
    """Owners that name a team (``payments-team``, ``SRE``, ``platform``, ``Data Platform``) are not people.

    The schema lets an owner be a team or a person.  Past the shapes of team names (hyphens,
    slashes, team words, one word in one case), a capitalised owner is taken for a person only if
    one of its words is a given name, or a family name that is not also an ordinary word
    (``Dana Whitfield``, ``Grace Hopper``, ``Whitfield``); otherwise it names a team
    (``Checkout``, ``Search Infra``, ``Mobile Core``).  Only an owner taken for a person makes
    its other mentions in the narrative findings.
    """
    o = owner.strip()
    low = o.lower()
    if not o or ("@" in o and "." in o.split("@")[-1]):
        return False  # an email is a person
    if o.startswith("@"):
        return "-" in o or any(w in low for w in _TEAM_WORDS) or "/" in o
    if "-" in o or "/" in o or "_" in o or any(w in low for w in _TEAM_WORDS):
        return True
    if " " not in o and (o.islower() or o.isupper()):
        return True
    from postmortem.lint.detect._lexicon import FAMILY, GIVEN, WORD, lexicon

    words = _WORD.findall(o)
    if not words:
        return False
    flags = [lexicon().flags(w.lower()) for w in words]
    return not any(f & GIVEN or (f & FAMILY and not f & WORD) for f in flags)


def roster_from_data(data: Any) -> list[KnownPerson]:
    """The document's own people, each with the role label the narrative should use instead."""
    people: dict[str, KnownPerson] = {}
    order: list[str] = []

    def add(name: str, role: str | None, handles: tuple[str, ...] = (), emails: tuple[str, ...] = ()) -> None:
        name = " ".join(name.split())
        if not name:
            return
        key = name.lower()
        if key in people:
            old = people[key]
            people[key] = KnownPerson(
                old.name,
                old.role or role,
                tuple(dict.fromkeys(old.handles + handles)),
                tuple(dict.fromkeys(old.emails + emails)),
            )
            return
        order.append(key)
        people[key] = KnownPerson(name, role, handles, emails)

    if not isinstance(data, dict):
        return []
    for r in data.get("responders") or []:
        if not isinstance(r, dict) or not isinstance(r.get("name"), str):
            continue
        role = r.get("role")
        label = ROLE_LABELS.get(role) if isinstance(role, str) else None
        handle = r.get("handle")
        email = r.get("email")
        add(
            r["name"],
            label or "a responder",
            (handle,) if isinstance(handle, str) and handle.strip() else (),
            (email,) if isinstance(email, str) and email.strip() else (),
        )
    for key, role in (("authors", AUTHOR_ROLE), ("reviewers", REVIEWER_ROLE)):
        for a in data.get(key) or []:
            if isinstance(a, str):
                _add_person_text(add, a, role)
    for item in data.get("action_items") or []:
        if isinstance(item, dict) and isinstance(item.get("owner"), str) and not looks_like_team(item["owner"]):
            _add_person_text(add, item["owner"], OWNER_ROLE)
    return [people[k] for k in order]


def _add_person_text(add: Any, text: str, role: str) -> None:
    """A person given as text: ``Jane Doe``, ``@jdoe``, ``jane@example.com`` or ``Jane Doe <jane@example.com>``."""
    t = text.strip()
    if t.startswith("TODO"):
        return
    if "<" in t and t.endswith(">"):
        name, _, email = t[:-1].partition("<")
        add(name.strip() or email.strip(), role, (), (email.strip(),))
    elif t.startswith("@"):
        add(t, role, (t,), ())
    elif "@" in t and " " not in t:
        add(t, role, (), (t,))
    else:
        add(t, role)


FRONT_MATTER_KEYS = frozenset(
    {
        "author", "categories", "category", "date", "draft", "layout", "lastmod", "permalink",
        "published", "slug", "toc", "weight",
    }
)  # fmt: skip
"""Keys that Markdown front matter often has for a site generator: the tool's words too."""


@functools.cache
def schema_keys() -> frozenset[str]:
    """The incident schema's property names and :data:`FRONT_MATTER_KEYS`: the keys that are not the author's words."""
    import json

    from postmortem.resources import schema_file

    keys: set[str] = set()
    stack: list[Any] = [json.loads(schema_file().read_text(encoding="utf-8"))]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            props = node.get("properties")
            if isinstance(props, dict):
                keys.update(props)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return frozenset(keys) | FRONT_MATTER_KEYS


class FieldLabels:
    """Field paths as a message or the JSON ``field`` shows them: ``timeline[3].text``.

    A key of the schema is printed as it is.  Any other key is the author's text and may hold a
    name (``notes: {Dana Whitfield: TODO}``), so it is printed by its position in its mapping:
    ``notes.<key 1>``.  Suppression comments are matched to fields with the same labels.
    """

    def __init__(self, data: Any) -> None:
        self._data = data
        self._known = schema_keys()
        self._positions: dict[int, dict[Any, int]] = {}

    def __call__(self, path: Path) -> str:
        known = self._known
        if all(isinstance(p, int) or p in known for p in path):  # the common case: no need to walk the data
            return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".") or "(document)"
        out = ""
        cur = self._data
        for part in path:
            if isinstance(part, int) and not isinstance(cur, dict):
                out += f"[{part}]"
                cur = cur[part] if isinstance(cur, list) and 0 <= part < len(cur) else None
                continue
            name = part if isinstance(part, str) and part in known else f"<key {self._position(cur, part)}>"
            out += ("." if out else "") + name
            cur = cur.get(part) if isinstance(cur, dict) else None
        return out or "(document)"

    def _position(self, mapping: Any, key: Any) -> str:
        if not isinstance(mapping, dict):
            return "?"
        index = self._positions.get(id(mapping))
        if index is None:
            index = {k: i for i, k in enumerate(mapping, 1)}
            self._positions[id(mapping)] = index
        return str(index.get(key, "?"))


def unknown_keys(data: Any) -> Iterator[Path]:
    """The path of every mapping key that is not a schema key (the author's own text)."""
    known = schema_keys()
    stack: list[tuple[Path, Any]] = [((), data)]
    while stack:
        path, cur = stack.pop()
        if isinstance(cur, dict):
            for k, v in cur.items():
                if not (isinstance(k, str) and k in known):
                    yield (*path, k)
                stack.append(((*path, k), v))
        elif isinstance(cur, list):
            stack.extend(((*path, i), v) for i, v in enumerate(cur))
