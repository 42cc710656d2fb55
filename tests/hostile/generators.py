"""Builders of hostile inputs.  Big inputs are generated at test time (into ``tmp_path``), never committed."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any

# A small incident that validates and lints clean; hostile variants start from it.
BASE: dict[str, Any] = {
    "id": "INC-2026-0001",
    "title": "Checkout latency from connection-pool exhaustion",
    "status": "draft",
    "severity": "high",
    "authors": ["Ana Souza"],
    "created": "2026-03-15",
    "services": ["checkout-api"],
    "summary": "Checkout requests timed out for 42 minutes.\n",
    "impact": {
        "description": "Customers could not pay.",
        "started_at": "2026-03-14T10:00:00Z",
        "ended_at": "2026-03-14T10:42:00Z",
    },
    "detection": {"method": "alert", "text": "A latency alert paged the on-call engineer."},
    "responders": [{"name": "Ana Souza", "role": "incident-commander", "handle": "@asouza"}],
    "timeline": [
        {"at": "2026-03-14T10:03:00Z", "phase": "detect", "text": "Latency alert fired."},
        {"at": "2026-03-14T10:10:00Z", "phase": "triage", "text": "Pool saturation identified."},
        {"at": "2026-03-14T10:20:00Z", "phase": "mitigate", "text": "Retries disabled."},
        {"at": "2026-03-14T10:42:00Z", "phase": "resolve", "text": "Latency back to normal."},
    ],
    "what_went_well": ["The alert fired within three minutes."],
    "action_items": [
        {
            "title": "Alert when pool saturation exceeds 80% for 5 minutes",
            "type": "detect",
            "owner": "payments-platform",
            "due": "2026-04-01",
        }
    ],
}


def incident(**changes: Any) -> dict[str, Any]:
    """A deep copy of :data:`BASE` with top-level fields replaced (``None`` removes one)."""
    doc: dict[str, Any] = json.loads(json.dumps(BASE))
    for key, value in changes.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    return doc


def to_yaml(doc: dict[str, Any]) -> str:
    """YAML through JSON (a subset YAML reads), so every string is double-quoted and exact."""
    lines = []
    for key, value in doc.items():
        lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


def billion_laughs(levels: int = 9, width: int = 10) -> str:
    """The classic: each anchor lists ``width`` aliases of the one before; 10**9 values in < 1 KB."""
    names = [f"l{i}" for i in range(levels)]
    out = [f"{names[0]}: &{names[0]} [{', '.join(['lol'] * width)}]"]
    for prev, name in itertools.pairwise(names):
        out.append(f"{name}: &{name} [{', '.join(['*' + prev] * width)}]")
    return "\n".join(out) + "\n"


def nested_aliases(depth: int = 60) -> str:
    """A chain of mappings that each hold the previous one twice: 2**depth values."""
    out = ["a0: &a0 {x: 1}"]
    for i in range(1, depth):
        out.append(f"a{i}: &a{i} {{l: *a{i - 1}, r: *a{i - 1}}}")
    return "\n".join(out) + "\n"


def deep_flow_yaml(depth: int, opener: str = "[") -> str:
    closer = {"[": "]", "{": "}"}[opener]
    inner = "a: " if opener == "{" else ""
    return "title: " + (opener + inner) * depth + "x" + closer * depth + "\n"


def deep_block_yaml(depth: int) -> str:
    """Block nesting without indentation cost: ``- - - - x`` is one line ``depth`` levels deep."""
    return "title:\n  " + "- " * depth + "x\n"


def deep_block_mapping_yaml(depth: int) -> str:
    """Indented block mappings, one more space per level (``depth**2/2`` bytes)."""
    return "".join(" " * i + f"k{i}:\n" for i in range(depth)) + " " * depth + "v\n"


def deep_json(depth: int) -> str:
    return '{"title": ' + "[" * depth + "1" + "]" * depth + "}"


def wide_yaml_list(n: int) -> str:
    return "tags: [" + "x," * n + "x]\n"


def timeline(n: int, start: str = "2026-03-14T10:00:00+00:00") -> list[dict[str, Any]]:
    """``n`` events one second apart, after ``start``, cycling through the phases."""
    t0 = dt.datetime.fromisoformat(start)
    phases = ["detect", "triage", "mitigate", "communicate", "other"]
    return [
        {
            "at": (t0 + dt.timedelta(seconds=i + 1)).isoformat().replace("+00:00", "Z"),
            "phase": phases[i % len(phases)],
            "text": f"Event {i}, queue depth sampled.",
        }
        for i in range(n)
    ]


def big_timeline_yaml(n: int) -> str:
    """A valid incident whose timeline has ``n`` events, in block YAML as a person writes it."""
    doc = incident(timeline=None, status="draft")
    doc["impact"] = {"description": "Slow.", "started_at": "2026-03-14T10:00:00Z"}
    head = to_yaml(doc)
    events = timeline(n)
    body = ["timeline:"]
    for e in events:
        body.append(f"  - at: {e['at']}\n    phase: {e['phase']}\n    text: {e['text']}")
    return head + "\n".join(body) + "\n"


CORRUPT_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201"
    "e5273de10000000049454e44ae426082"
)
"""A 1x1 PNG whose IDAT chunk is one byte short: Pillow opens it, and fails later when the pixels are read."""
