"""Shared helpers for the rendering tests: load fixtures and samples, fixed options."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from postmortem.api import load_incident
from postmortem.model.incident import Incident
from postmortem.render import RenderOptions
from postmortem.render.fetcher import collect_figures

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
ROOT = HERE.parent.parent
SAMPLES = ROOT / "samples"
AS_OF = dt.date(2026, 3, 26)
TZ = "Europe/Paris"
AUDIENCES = ("internal", "executive", "public")

BASE = """\
schema_version: 1
id: INC-2026-0001
title: Search latency from a cold cache
status: final
severity: SEV3
authors: [Alex Doe]
created: 2026-03-15
summary: |
  For 20 minutes search was slow because the cache was cold after a deploy.
impact:
  description: Search results took up to 4 s.
  started_at: 2026-03-14T10:00:00Z
  ended_at: 2026-03-14T10:20:00Z
detection:
  method: alert
  detected_at: 2026-03-14T10:03:00Z
  text: The latency alert paged the on-call engineer.
timeline:
  - {at: 2026-03-14T10:03:00Z, phase: detect,   text: The latency alert paged the on-call engineer.}
  - {at: 2026-03-14T10:10:00Z, phase: mitigate, text: The cache was warmed from the replica.}
  - {at: 2026-03-14T10:20:00Z, phase: resolve,  text: Latency back to normal.}
trigger: A deploy flushed the cache.
contributing_factors: [{title: No cache warm-up step, text: The deploy does not warm the cache.}]
resolution: The cache was warmed.
what_went_well: [The alert fired quickly.]
action_items:
  - {id: AI-1, title: Add a cache warm-up step to the deploy, type: prevent, owner: search-team, priority: P1, due: 2026-04-01, status: open}
"""
"""A small incident that validates, renders and lints clean; tests edit it as text."""


def sample_paths() -> list[Path]:
    """Every sample incident (YAML or JSON) at the top of samples/, sorted."""
    return sorted(p for p in SAMPLES.glob("*") if p.suffix in (".yml", ".yaml", ".json"))


def fixture_paths() -> list[Path]:
    return [FIXTURES / "full.yml", FIXTURES / "minimal.yml", FIXTURES / "hostile.yml"]


def load(path: Path) -> Incident:
    return load_incident(path.read_bytes(), str(path))


def options_for(path: Path, incident: Incident, audience: str = "internal", **kw: object) -> RenderOptions:
    figures, _ = collect_figures(incident, path.parent)
    base: dict[str, object] = {"audience": audience, "tz": TZ, "as_of": AS_OF, "figures": figures}
    base.update(kw)
    return RenderOptions(**base)  # type: ignore[arg-type]


def responder_names(incident: Incident) -> list[str]:
    return [r.name for r in incident.responders]


def strip_style(html: str) -> str:
    """HTML without the inline stylesheet, for readable snapshots (the CSS is checked in templates/)."""
    return re.sub(r"<style>.*?</style>", "<style>/* built-in CSS */</style>", html, flags=re.DOTALL)
