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
