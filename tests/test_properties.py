"""Property-based tests of loading and validation (hypothesis)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import string
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from postmortem.api import load
from postmortem.diagnostics import PostmortemError
from postmortem.model.incident import Incident
from postmortem.model.validate import validate

PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that YAML can carry: no surrogates or C0/C1 controls except newline and tab.
_alphabet = st.characters(
    blacklist_categories=("Cs", "Cc"),
    blacklist_characters="\ufeff\u2028\u2029\x85",
)
text = st.text(_alphabet, min_size=1, max_size=40).filter(lambda s: s.strip() != "")
tricky = st.sampled_from(
    [
        "no",
        "yes",
        "on",
        "off",
        "NO",
        "null",
        "~",
        "true",
        "2026-03-14",
        "1e3",
        "0x1f",
        "12:30",
        "- a",
        "a: b",
        "#x",
        "'q'",
        '"q"',
    ]
)
words = st.one_of(text, tricky)
zones = st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=2)), dt.timezone(dt.timedelta(hours=-5, minutes=-30))])


@st.composite
def timestamps(draw: st.DrawFn) -> list[dt.datetime]:
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(minutes=draw(st.integers(0, 500_000)))
    steps = draw(st.lists(st.integers(0, 600), min_size=2, max_size=8))
    out, cur = [], base
    for s in steps:
        cur = cur + dt.timedelta(minutes=s)
        out.append(cur.astimezone(draw(zones)))
    return out


def iso(t: dt.datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


@st.composite
def incidents(draw: st.DrawFn) -> dict[str, Any]:
    times = draw(timestamps())
    start, events = times[0], times[1:]
    phases = st.sampled_from(["detect", "triage", "mitigate", "communicate", "resolve", "other"])
    doc: dict[str, Any] = {
        "id": draw(words),
        "title": draw(words),
        "status": draw(st.sampled_from(["draft", "in-review"])),
        "severity": draw(st.sampled_from(["critical", "high", "medium", "low"])),
        "authors": draw(st.lists(words, min_size=1, max_size=3)),
        "created": draw(st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1))).isoformat(),
        "summary": draw(words),
        "services": draw(st.lists(words, max_size=3)),
        "impact": {"description": draw(words), "started_at": iso(start)},
        "detection": {"method": draw(st.sampled_from(["alert", "log", "customer-report"])), "text": draw(words)},
        "timeline": [{"at": iso(t), "text": draw(words), "phase": draw(phases)} for t in events],
        "what_went_well": draw(st.lists(words, max_size=3)),
        "action_items": [
            {"title": draw(words), "type": "detect", "owner": draw(words), "priority": "P1", "due": "2026-05-01"}
            for _ in range(draw(st.integers(0, 2)))
        ],
    }
    if draw(st.booleans()):
        doc["impact"]["ended_at"] = iso(times[-1] + dt.timedelta(minutes=1))
        doc["impact"]["users_affected"] = draw(st.integers(0, 10**9))
    return doc


def normal(doc: dict[str, Any]) -> dict[str, Any]:
    return Incident.model_validate(doc).model_dump(mode="json")


@PROFILE
@given(incidents())
def test_valid_incidents_round_trip_through_yaml(doc: dict[str, Any]) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=60)
    result = validate(load(text, "gen.yml"))
    assert result.errors == [], [d.format() for d in result.errors]
    assert result.incident is not None
    assert result.incident.model_dump(mode="json") == normal(doc)


@PROFILE
@given(incidents())
def test_valid_incidents_round_trip_through_json(doc: dict[str, Any]) -> None:
    text = json.dumps(doc, ensure_ascii=bool(len(doc["title"]) % 2), indent=2)
    result = validate(load(text, "gen.json"))
    assert result.errors == [], [d.format() for d in result.errors]
    assert result.incident is not None
    assert result.incident.model_dump(mode="json") == normal(doc)


@PROFILE
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes_the_loader(content: str) -> None:
    try:
        doc = load(content, "fuzz.yml")
    except PostmortemError as exc:
        d = exc.diagnostic
        assert d.start.line >= 1 and d.start.column >= 1
        return
    result = validate(doc)
    for d in result.diagnostics:
        assert 0 <= d.span.start <= d.span.end <= len(content)


@PROFILE
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_loader(content: bytes) -> None:
    for name in ("fuzz.yml", "fuzz.json"):
        with contextlib.suppress(PostmortemError):
            validate(load(content, name))


yamlish = st.text(alphabet=string.ascii_letters + ":-[]{}#&*!|>'\"\n ,?%@`", max_size=200)


@PROFILE
@given(yamlish)
def test_yaml_shaped_noise_never_crashes(content: str) -> None:
    with contextlib.suppress(PostmortemError):
        validate(load(content, "noise.yml"))
