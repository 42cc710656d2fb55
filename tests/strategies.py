"""Hypothesis strategies for postmortem: valid incidents, mutations of them, and noise.

* :func:`incidents` draws a *valid* incident as plain data (what a person writes),
  covering every field of :mod:`postmortem.model.incident`: responders, evidence,
  measures, action items, links, figures with safe relative paths, the
  ``internal`` flags, and Markdown with lists, code, links and tables.  Its text
  mixes ordinary prose with odd Unicode (right-to-left marks, zero-width
  joiners, combining marks, emoji).
* :func:`mutations` breaks a valid incident in one of the ways people and
  attackers do: wrong types, missing keys, misspelled keys, a shuffled
  timeline, naive timestamps, odd Unicode in keys and values.
* :func:`serialized` writes a document as YAML (several styles) or JSON, and
  :func:`raw_inputs` adds arbitrary text and bytes.

The strategies build data, never files; tests write what they need.
"""

from __future__ import annotations

import datetime as dt
import json
import string
from typing import Any

import yaml
from hypothesis import strategies as st

# --- text -------------------------------------------------------------------------------------

ODD_UNICODE = (
    "\u200f",  # right-to-left mark
    "\u200e",  # left-to-right mark
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u200d",  # zero-width joiner
    "\u200c",  # zero-width non-joiner
    "\u200b",  # zero-width space
    "\u2060",  # word joiner
    "\u0301",  # combining acute accent
    "\u0338",  # combining long solidus overlay
    "e\u0301",  # e + combining accent (decomposed é)
    "😀",
    "👩\u200d💻",  # emoji ZWJ sequence
    "🇫🇷",
    "\u05e9\u05dc\u05d5\u05dd",  # Hebrew
    "\u0645\u0631\u062d\u0628\u0627",  # Arabic
    "数据库",
    "Ωμέγα",
    "\u00a0",  # no-break space
    "\u3000",  # ideographic space
    "\t",
)
"""Characters and clusters that have broken text tools before."""

# Characters YAML can carry in any scalar style: no surrogates, no C0/C1 controls (tab and
# newline come in through the pieces below), and none of YAML 1.1's extra line breaks.
_ALPHABET = st.characters(
    blacklist_categories=("Cs", "Cc"),
    blacklist_characters="\ufeff\u2028\u2029\x85\ufffe\uffff",
)

_WORDS = (
    "the",
    "connection",
    "pool",
    "filled",
    "retries",
    "alert",
    "fired",
    "on-call",
    "engineer",
    "deploy",
    "rolled",
    "back",
    "latency",
    "p99",
    "Kafka",
    "Grafana",
    "us-east-1",
    "no",
    "yes",
    "null",
    "~",
    "2026-03-14",
    "1e3",
    "0x1f",
    "#",
    ":",
    "- ",
    "&a",
    "*a",
    "!!str",
    "{{ 7*7 }}",
    "{% raw %}",
    "<script>alert(1)</script>",
    "javascript:alert(1)",
    "'",
    '"',
    "\\",
    "|",
)


@st.composite
def prose(draw: st.DrawFn, min_words: int = 1, max_words: int = 12) -> str:
    """A line of prose: words, odd Unicode and random characters, never blank."""
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(_WORDS),
                st.sampled_from(ODD_UNICODE),
                st.text(_ALPHABET, min_size=1, max_size=8),
            ),
            min_size=min_words,
            max_size=max_words,
        )
    )
    text = " ".join(pieces).strip()
    return text if text.strip() else "text"


_MD_BLOCKS = (
    "- a list item\n- another with `code`\n  - nested",
    "1. first\n2. second",
    "```sh\nkubectl rollout undo deploy/api  # a comment\n```",
    "    indented code block",
    "| metric | value |\n|---|---|\n| p99 \\| ms | 2300 |\n| errors | 4% |",
    "See [the dashboard](https://grafana.example.com/d/abc) and <https://status.example.com>.",
    "> a quote with **bold** and _emphasis_ and ~~strike~~",
    "[x](javascript:alert(1)) [y](data:text/html,<script>alert(1)</script>) ![img](figures/a.png)",
    '<div style="background:url(https://evil.example.com/x)">raw html</div>',
    "{{ 7*7 }} {% for x in range(9) %}{{ x }}{% endfor %} {# comment #}",
    "# A heading\n\ntext",
    "line one  \nline two (hard break)",
    "---",
    "&amp; &#x41; &lt;b&gt;",
)


@st.composite
def markdown(draw: st.DrawFn) -> str:
    """Markdown with blocks people use (lists, code, links, tables) and hostile ones, mixed with prose."""
    blocks = draw(
        st.lists(st.one_of(prose(), st.sampled_from(_MD_BLOCKS)), min_size=1, max_size=4),
    )
    return "\n\n".join(blocks)


short = prose(1, 4)
ids = st.from_regex(r"[A-Z]{2,4}-[0-9]{1,6}", fullmatch=True)
names = st.sampled_from(
    [
        "Ana Souza",
        "Kwame Mensah",
        "Wanjiru Kamau",
        "Nguyễn Văn An",
        "José María Pérez",
        "Hong Eun-taek",
        "Priya Raghunathan",
        "Oluwaseun Adeyemi",
        "payments-platform",
    ]
)
urls = st.builds(
    lambda host, path: f"https://{host}.example.com/{path}",
    st.sampled_from(["grafana", "jira", "status", "logs", "traces"]),
    st.text(string.ascii_lowercase + string.digits + "-/?=&", min_size=0, max_size=20),
)
safe_figure_paths = st.builds(
    lambda folder, stem, ext: f"{folder}{stem}.{ext}",
    st.sampled_from(["", "figures/", "img/sub/", "./figures/"]),
    st.text(string.ascii_lowercase + string.digits + "-_", min_size=1, max_size=12),
    st.sampled_from(["png", "svg", "jpg"]),
)
"""Relative paths that stay inside the incident's folder."""

ROLES = (
    "incident-commander",
    "deputy-incident-commander",
    "communications-lead",
    "operations-lead",
    "subject-matter-expert",
    "scribe",
    "on-call-engineer",
    "customer-support-lead",
    "executive-sponsor",
    "responder",
)
PHASES = ("detect", "triage", "mitigate", "communicate", "resolve", "other")
ZONES = (
    dt.UTC,
    dt.timezone(dt.timedelta(hours=2)),
    dt.timezone(dt.timedelta(hours=-5, minutes=-30)),
    dt.timezone(dt.timedelta(hours=14)),
)


def _decimals(low: float, high: float) -> st.SearchStrategy[float]:
    """Floats as people write them.  Not ``1e-05``: the loader keeps a plain scalar with an exponent
    and no dot as text (YAML 1.1 reads it as text, 1.2 as a number), and the model then asks for a
    number, a positioned error by design."""
    return st.floats(low, high, allow_nan=False).map(lambda x: round(x, 3))


def iso(t: dt.datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def _maybe(draw: st.DrawFn, doc: dict[str, Any], key: str, strategy: st.SearchStrategy[Any]) -> None:
    if draw(st.booleans()):
        doc[key] = draw(strategy)


# --- valid incidents ------------------------------------------------------------------------


@st.composite
def incidents(draw: st.DrawFn, max_events: int = 8) -> dict[str, Any]:
    """A valid incident as plain data, with every field of the model reachable."""
    base = dt.datetime(2020, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=draw(st.integers(0, 3_000_000)))
    steps = draw(st.lists(st.integers(0, 300), min_size=0, max_size=max_events))
    zone = st.sampled_from(ZONES)
    times, cur = [], base
    for s in steps:
        cur = cur + dt.timedelta(minutes=s)
        times.append(cur)
    end = cur + dt.timedelta(minutes=draw(st.integers(1, 600)))
    status = draw(st.sampled_from(["draft", "in-review", "final"]))
    created = (end + dt.timedelta(days=draw(st.integers(0, 30)))).date()

    responders = []
    for _ in range(draw(st.integers(0, 3))):
        r: dict[str, Any] = {"name": draw(names), "role": draw(st.sampled_from(ROLES))}
        _maybe(draw, r, "handle", st.from_regex(r"@[a-z][a-z0-9-]{1,10}", fullmatch=True))
        _maybe(draw, r, "email", st.from_regex(r"[a-z]{1,8}@example\.com", fullmatch=True))
        _maybe(draw, r, "team", short)
        responders.append(r)

    events = []
    used_ids: set[str] = set()
    for t in times:
        e: dict[str, Any] = {"at": iso(t.astimezone(draw(zone))), "text": draw(markdown())}
        _maybe(draw, e, "phase", st.sampled_from(PHASES))
        event_id = draw(st.one_of(st.none(), ids))
        if event_id is not None and event_id not in used_ids:
            used_ids.add(event_id)
            e["id"] = event_id
        if draw(st.booleans()):
            e["evidence"] = [
                {"kind": k, "url": u, **({"title": draw(short)} if draw(st.booleans()) else {})}
                for k, u in draw(
                    st.lists(
                        st.tuples(
                            st.sampled_from(
                                ["dashboard", "trace", "log-query", "graph", "alert", "chat", "ticket", "other"]
                            ),
                            urls,
                        ),
                        max_size=2,
                    )
                )
            ]
        _maybe(draw, e, "internal", st.booleans())
        events.append(e)

    impact: dict[str, Any] = {"description": draw(markdown()), "started_at": iso(base.astimezone(draw(zone)))}
    if status == "final" or draw(st.booleans()):
        impact["ended_at"] = iso(end)
        if draw(st.booleans()):
            impact["mitigated_at"] = iso(base + (end - base) / 2)
    _maybe(draw, impact, "affected", short)
    _maybe(draw, impact, "users_affected", st.integers(0, 10**9))
    _maybe(draw, impact, "slo", short)
    _maybe(draw, impact, "error_budget_consumed", _decimals(0, 500))
    if draw(st.booleans()):
        impact["measures"] = [
            {
                "name": draw(short),
                "value": draw(st.one_of(st.integers(-(10**6), 10**6), _decimals(-1e6, 1e6))),
                **({"unit": draw(st.sampled_from(["%", "requests", "€", "ms"]))} if draw(st.booleans()) else {}),
                **({"internal": True} if draw(st.booleans()) else {}),
            }
            for _ in range(draw(st.integers(1, 3)))
        ]

    detection: dict[str, Any] = {
        "method": draw(
            st.sampled_from(["alert", "metric", "trace", "log", "customer-report", "employee-report", "other"])
        ),
        "text": draw(markdown()),
    }
    if draw(st.booleans()):
        detection["detected_at"] = iso(base + dt.timedelta(minutes=draw(st.integers(0, 5))))

    items = []
    for i in range(draw(st.integers(1 if status == "final" else 0, 3))):
        item: dict[str, Any] = {
            "title": draw(short),
            "type": draw(st.sampled_from(["prevent", "mitigate", "detect", "process", "other"])),
        }
        if status == "final" or draw(st.booleans()):
            item["owner"] = draw(names)
        if status == "final" or draw(st.booleans()):
            if draw(st.booleans()):
                item["due"] = (created + dt.timedelta(days=draw(st.integers(-30, 90)))).isoformat()
            else:
                item["tracker"] = draw(urls)
        _maybe(draw, item, "id", st.just(f"AI-{i}"))
        _maybe(draw, item, "description", markdown())
        _maybe(draw, item, "priority", st.sampled_from(["P0", "P1", "P2", "P3"]))
        _maybe(draw, item, "status", st.sampled_from(["open", "in-progress", "done", "wont-do"]))
        _maybe(draw, item, "internal", st.booleans())
        items.append(item)

    doc: dict[str, Any] = {
        "id": draw(ids),
        "title": draw(short),
        "status": status,
        "severity": draw(
            st.sampled_from(["critical", "high", "medium", "low", "SEV1", "SEV2", "SEV3", "SEV4", "sev2"])
        ),
        "authors": draw(st.lists(names, min_size=1, max_size=2)),
        "created": created.isoformat(),
        "summary": draw(markdown()),
        "impact": impact,
        "detection": detection,
    }
    if draw(st.booleans()):
        doc = {"schema_version": 1, **doc}
    _maybe(draw, doc, "reviewers", st.lists(names, max_size=2))
    _maybe(draw, doc, "updated", st.just((created + dt.timedelta(days=1)).isoformat()))
    _maybe(draw, doc, "review_meeting", st.just((created + dt.timedelta(days=3)).isoformat()))
    _maybe(draw, doc, "confidentiality", short)
    _maybe(draw, doc, "services", st.lists(short, max_size=3))
    _maybe(draw, doc, "tags", st.lists(short, max_size=3))
    if responders:
        doc["responders"] = responders
    empty_timeline: bool = draw(st.booleans())
    if events or empty_timeline:
        doc["timeline"] = events
    _maybe(draw, doc, "trigger", markdown())
    if draw(st.booleans()):
        doc["contributing_factors"] = [
            {
                "title": draw(short),
                **({"text": draw(markdown())} if draw(st.booleans()) else {}),
                **({"internal": draw(st.booleans())} if draw(st.booleans()) else {}),
            }
            for _ in range(draw(st.integers(1, 3)))
        ]
    _maybe(draw, doc, "resolution", markdown())
    for key in ("what_went_well", "what_went_wrong", "where_we_got_lucky", "lessons_learned"):
        _maybe(draw, doc, key, st.lists(markdown(), max_size=2))
    if items:
        doc["action_items"] = items
    if draw(st.booleans()):
        doc["links"] = [
            {"title": draw(short), "url": draw(urls), **({"internal": True} if draw(st.booleans()) else {})}
            for _ in range(draw(st.integers(1, 3)))
        ]
    if draw(st.booleans()):
        doc["figures"] = [
            {
                "path": draw(safe_figure_paths),
                "caption": draw(short),
                **({"internal": True} if draw(st.booleans()) else {}),
            }
            for _ in range(draw(st.integers(1, 2)))
        ]
    return doc


# --- serialisation ---------------------------------------------------------------------------

YAML_STYLES = ("block", "flow", "json", "literal")


def _literal_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.endswith((" ", "\t")) and "\t" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


class _LiteralDumper(yaml.SafeDumper):
    pass


_LiteralDumper.add_representer(str, _literal_presenter)


def to_text(doc: dict[str, Any], fmt: str) -> tuple[str, str]:
    """``(text, file name)`` for ``doc`` written in one of :data:`YAML_STYLES` or ``"json-file"``."""
    if fmt == "json-file":
        return json.dumps(doc, ensure_ascii=False, indent=2), "incident.json"
    if fmt == "json":  # JSON is YAML too: every string double-quoted
        # not ensure_ascii: PyYAML (like libyaml) refuses the surrogate-pair escapes JSON uses for
        # characters beyond U+FFFF; a positioned error, and the reason .json files get their own parser
        return json.dumps(doc, ensure_ascii=False, indent=1), "incident.yml"
    if fmt == "flow":
        return yaml.safe_dump(doc, allow_unicode=True, default_flow_style=True, width=70), "incident.yml"
    if fmt == "literal":
        return yaml.dump(doc, Dumper=_LiteralDumper, allow_unicode=True, sort_keys=False), "incident.yaml"
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=60), "incident.yml"


@st.composite
def serialized(draw: st.DrawFn, docs: st.SearchStrategy[dict[str, Any]]) -> tuple[str, str]:
    """A document from ``docs`` written as YAML in some style, or as JSON: ``(text, name)``."""
    return to_text(draw(docs), draw(st.sampled_from((*YAML_STYLES, "json-file"))))


# --- mutations -------------------------------------------------------------------------------

_WRONG_VALUES: tuple[Any, ...] = (
    None,
    0,
    -1,
    3.5,
    True,
    "",
    " ",
    [],
    {},
    ["x"],
    {"a": 1},
    "2026-03-14",
    "2026-03-14T10:00:00",
    "no",
    10**30,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path] if path else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


def _parent(doc: Any, path: tuple[Any, ...]) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


def _misspell(draw: st.DrawFn, key: str) -> str:
    how = draw(st.sampled_from(["swap", "drop", "add", "case", "unicode", "dash"]))
    if how == "swap" and len(key) > 1:
        i = draw(st.integers(0, len(key) - 2))
        return key[:i] + key[i + 1] + key[i] + key[i + 2 :]
    if how == "drop" and len(key) > 1:
        i = draw(st.integers(0, len(key) - 1))
        return key[:i] + key[i + 1 :]
    if how == "case":
        return key.upper()
    if how == "unicode":
        return key + draw(st.sampled_from(["\u200b", "\u200d", "\u0301", "\u202e"]))
    if how == "dash":
        return key.replace("_", "-") if "_" in key else key + "_"
    return key + "s"


@st.composite
def mutations(draw: st.DrawFn, docs: st.SearchStrategy[dict[str, Any]] | None = None) -> dict[str, Any]:
    """A valid incident with one to three things broken."""
    doc: dict[str, Any] = json.loads(json.dumps(draw(docs if docs is not None else incidents())))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = _parent(doc, path)
        key = path[-1]
        kind = draw(st.sampled_from(["wrong-type", "missing", "misspelled", "shuffle", "naive-time", "odd-unicode"]))
        if kind == "wrong-type":
            parent[key] = draw(st.sampled_from(_WRONG_VALUES))
        elif kind == "missing":
            del parent[key]
        elif kind == "misspelled" and isinstance(key, str):
            parent[_misspell(draw, key)] = parent.pop(key)
        elif kind == "shuffle" and isinstance(doc.get("timeline"), list):
            doc["timeline"] = draw(st.permutations(doc["timeline"]))
        elif kind == "naive-time" and isinstance(parent.get(key) if isinstance(parent, dict) else None, str):
            value = parent[key]
            if "T" in value:
                parent[key] = value.rstrip("Z")[:19]
        elif kind == "odd-unicode":
            odd = draw(st.sampled_from(ODD_UNICODE))
            if isinstance(parent[key], str):
                i = draw(st.integers(0, len(parent[key])))
                parent[key] = parent[key][:i] + odd + parent[key][i:]
            elif isinstance(key, str):
                parent[key + odd] = parent.pop(key)
    return doc


# --- noise ------------------------------------------------------------------------------------

yamlish_text = st.text(alphabet=string.ascii_letters + string.digits + ":-[]{}#&*!|>'\"\n\t ,?%@`\\", max_size=300)
"""Text made of YAML's syntax characters."""


@st.composite
def raw_inputs(draw: st.DrawFn) -> tuple[bytes, str]:
    """``(bytes, file name)``: arbitrary bytes, arbitrary text, YAML-shaped noise, or a broken document."""
    name = draw(st.sampled_from(["in.yml", "in.json", "in.md"]))
    kind = draw(st.sampled_from(["bytes", "text", "yamlish", "mutated", "spliced"]))
    if kind == "bytes":
        return draw(st.binary(max_size=400)), name
    if kind == "text":
        return draw(st.text(max_size=400)).encode("utf-8", "surrogatepass"), name
    if kind == "yamlish":
        return draw(yamlish_text).encode(), name
    text, fname = draw(serialized(mutations()))
    data = text.encode("utf-8")
    if kind == "spliced" and data:
        i = draw(st.integers(0, len(data)))
        j = draw(st.integers(i, min(len(data), i + 40)))
        data = data[:i] + draw(st.binary(max_size=8)) + data[j:]
    return data, fname
