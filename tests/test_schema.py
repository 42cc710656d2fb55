"""Generated files stay current: docs/schema.md and the packaged JSON Schema."""

from __future__ import annotations

from pathlib import Path

from postmortem.model.schema import json_schema, json_schema_text, schema_markdown
from postmortem.resources import schema_file

ROOT = Path(__file__).resolve().parent.parent


def test_docs_schema_md_is_current() -> None:
    committed = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    assert committed == schema_markdown(), "docs/schema.md is stale: run python -m postmortem.model.schema"


def test_packaged_json_schema_is_current() -> None:
    assert schema_file().read_text(encoding="utf-8") == json_schema_text(), (
        "postmortem/schema/incident.schema.json is stale: run postmortem schema -o postmortem/schema/incident.schema.json"
    )


def test_every_field_is_documented() -> None:
    doc = schema_markdown()
    schema = json_schema()
    objects = [schema, *schema["$defs"].values()]
    for obj in objects:
        for name, prop in obj.get("properties", {}).items():
            assert f"| `{name}` |" in doc
            has_text = bool(prop.get("description")) or "$ref" in prop
            assert has_text, f"{obj.get('title')}.{name} has no description"


def test_unknown_keys_are_forbidden_everywhere() -> None:
    schema = json_schema()
    assert schema["additionalProperties"] is False
    for name, sub in schema["$defs"].items():
        if name != "Metrics":
            assert sub.get("additionalProperties") is False, name


def test_derived_figures_are_not_in_the_input_schema() -> None:
    props = json_schema()["properties"]
    for derived in ("metrics", "time_to_detect", "detected_at"):
        assert derived not in props


def test_samples_conform_to_the_json_schema_too() -> None:
    """Editors check files with the JSON Schema; it must accept what the model accepts."""
    import pytest

    from postmortem.api import load

    jsonschema = pytest.importorskip("jsonschema")
    validator = jsonschema.Draft202012Validator(json_schema())
    samples = sorted((ROOT / "samples").glob("*.yml")) + sorted((ROOT / "samples").glob("*.json"))
    for path in samples:
        data = load(path.read_bytes(), path.name).data
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path
    bad = {"id": "x", "tittle": "y"}
    assert list(validator.iter_errors(bad))
