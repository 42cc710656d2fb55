"""Validation: every schema rule and error path, with its exact line:col and message."""

from __future__ import annotations

import datetime as dt

import pytest

from postmortem.api import InvalidIncident, load, load_incident
from postmortem.diagnostics import Severity
from postmortem.model.validate import validate
from tests.foundation_helpers import VALID, problems, replace


def test_valid_document_has_no_problems() -> None:
    assert problems(VALID, severity=None) == []
    result = validate(load(VALID))
    assert result.ok and result.incident is not None


def test_misspelled_key_suggests_the_nearest_field() -> None:
    text = replace(VALID, "summary: |", "sumary: |")
    assert problems(text) == [
        (1, 1, "missing required field 'summary' in the document"),
        (11, 1, "unknown field 'sumary'; did you mean 'summary'?"),
    ]


def test_misspelled_nested_key() -> None:
    text = replace(VALID, "    phase: triage", "    phse: triage")
    assert problems(text) == [(30, 5, "unknown field 'phse' in timeline[1]; did you mean 'phase'?")]


def test_unknown_key_without_a_near_match() -> None:
    text = VALID + "zebra: 1\n"
    assert problems(text) == [(45, 1, "unknown field 'zebra'; remove it or check the spelling")]


def test_missing_required_field_points_at_its_parent() -> None:
    text = replace(VALID, "  started_at: 2026-03-14T10:00:00Z\n", "")
    assert problems(text) == [(13, 1, "missing required field 'started_at' in impact")]


def test_missing_top_level_field_points_at_the_document() -> None:
    text = replace(VALID, "title: Checkout latency from connection-pool exhaustion\n", "")
    assert problems(text) == [(1, 1, "missing required field 'title' in the document")]


def test_naive_timestamp_says_how_to_fix_it() -> None:
    text = replace(VALID, "  - at: 2026-03-14T10:10:00Z", "  - at: 2026-03-14T10:10:00")
    assert problems(text) == [
        (
            29,
            9,
            "timeline[1].at: timestamp '2026-03-14T10:10:00' has no time zone; add Z for UTC or an offset,"
            " e.g. '2026-03-14T10:10:00Z' or '2026-03-14T10:10:00+02:00'",
        )
    ]


def test_offsets_are_accepted_and_compared_in_utc() -> None:
    text = replace(VALID, "  - at: 2026-03-14T10:10:00Z", "  - at: 2026-03-14T11:10:00+01:00")
    assert problems(text, severity=None) == []


def test_garbage_timestamp() -> None:
    text = replace(VALID, "  started_at: 2026-03-14T10:00:00Z", "  started_at: yesterday")
    assert problems(text) == [
        (
            15,
            15,
            "impact.started_at: 'yesterday' is not a timestamp; write ISO 8601 with a zone, e.g. 2026-03-14T10:02:00Z",
        )
    ]


def test_number_as_timestamp_is_refused() -> None:
    text = replace(VALID, "  started_at: 2026-03-14T10:00:00Z", "  started_at: 1700000000")
    assert problems(text) == [(15, 15, "impact.started_at: expected a timestamp as text, such as 2026-03-14T10:02:00Z")]


def test_bad_date() -> None:
    text = replace(VALID, "    due: 2026-04-01", "    due: 2026-02-30")
    assert problems(text) == [
        (44, 10, "action_items[0].due: '2026-02-30' is not a date; write ISO 8601, e.g. 2026-03-14")
    ]


def test_out_of_order_event() -> None:
    text = replace(VALID, "  - at: 2026-03-14T10:20:00Z", "  - at: 2026-03-14T10:05:00Z")
    assert problems(text) == [
        (
            32,
            9,
            "timeline[2] is out of order: it is earlier than timeline[1] (2026-03-14T10:10:00Z);"
            " keep the timeline chronological",
        )
    ]


def test_severity_aliases() -> None:
    for alias, level in [("SEV1", "critical"), ("sev2", "high"), ("SEV3", "medium"), ("SEV4", "low")]:
        inc = load_incident(replace(VALID, "severity: high", f"severity: {alias}"))
        assert inc.severity == level


def test_unknown_enum_value_suggests() -> None:
    text = replace(VALID, "status: final", "status: finale")
    assert problems(text) == [
        (3, 9, "status: 'finale' is not one of 'draft', 'in-review' or 'final'; did you mean 'final'?")
    ]


def test_number_where_text_belongs_asks_for_quotes() -> None:
    text = replace(VALID, "id: INC-2026-0001", "id: 2026")
    assert problems(text) == [(1, 5, "id: expected text, got a number (2026); put it in quotes")]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3.5", "impact.users_affected: expected a whole number, got 3.5"),
        ("3.0", "impact.users_affected: expected a whole number, got 3.0; write 3"),
        ("-5", "impact.users_affected: must be at least 0, not -5"),
        ("true", "impact.users_affected: expected a whole number, got a boolean (true)"),
    ],
)
def test_a_count_that_is_not_a_whole_number_says_so(value: str, message: str) -> None:
    """It said 'expected a number, got a number (3.5)', and pydantic's own English for -5."""
    text = replace(VALID, "users_affected: 1200", f"users_affected: {value}")
    assert problems(text) == [(17, 19, message)]


def test_a_date_where_a_timestamp_belongs_suggests_a_timestamp() -> None:
    """It suggested '2026-03-14Z', which is no timestamp either."""
    text = replace(VALID, "started_at: 2026-03-14T10:00:00Z", "started_at: 2026-03-14")
    assert problems(text) == [
        (
            15,
            15,
            "impact.started_at: '2026-03-14' is a date, not a timestamp; give the time it happened and a zone,"
            " e.g. '2026-03-14T10:00:00Z'",
        )
    ]


def test_norway_value_stays_text_and_validates() -> None:
    text = replace(VALID, "services: [checkout-api]", "services: [no, yes, on]")
    assert load_incident(text).services == ["no", "yes", "on"]


def test_ended_before_started() -> None:
    text = replace(VALID, "  ended_at: 2026-03-14T10:42:00Z", "  ended_at: 2026-03-14T09:00:00Z")
    assert (16, 13, "impact.ended_at must be after impact.started_at") in problems(text)


def test_detection_before_start() -> None:
    text = replace(VALID, "  method: alert", "  method: alert\n  detected_at: 2026-03-14T09:00:00Z")
    assert problems(text) == [
        (20, 16, "detection.detected_at is before impact.started_at; the impact cannot be detected before it starts")
    ]


def test_final_needs_action_items() -> None:
    head, _ = VALID.split("action_items:")
    assert problems(head) == [(3, 9, "a final post-mortem needs at least one action item")]
    draft = replace(head, "status: final", "status: draft")
    assert problems(draft) == []


def test_final_action_item_needs_owner_and_due_or_tracker() -> None:
    text = replace(VALID, "    owner: payments-platform\n    due: 2026-04-01\n", "")
    assert problems(text) == [
        (41, 5, "action_items[0] needs a due date or a tracker link before the post-mortem is final"),
        (41, 5, "action_items[0] needs an owner (a team or a person) before the post-mortem is final"),
    ]
    tracked = replace(VALID, "    due: 2026-04-01\n", "    tracker: https://tracker.example.com/OPS-1\n")
    assert problems(tracked) == []


def test_final_needs_an_end() -> None:
    text = replace(VALID, "  ended_at: 2026-03-14T10:42:00Z\n", "")
    assert problems(text) == [(13, 1, "a final post-mortem needs impact.ended_at")]


def test_ids_are_unique() -> None:
    text = replace(VALID, "    phase: detect\n", "    phase: detect\n    id: e1\n")
    text = replace(text, "    phase: triage\n", "    phase: triage\n    id: e1\n")
    assert problems(text) == [(32, 9, "duplicate id 'e1' (already used by timeline[0])")]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("../secret.png", "figure path leaves the incident's folder; keep figures beside the incident file"),
        ("a/../../x.png", "figure path leaves the incident's folder; keep figures beside the incident file"),
        ("/etc/passwd", "figure path must be relative to the incident file, not absolute or a URL"),
        ("file:///etc/passwd", "figure path must be relative to the incident file, not absolute or a URL"),
        ("C:/x.png", "figure path must be relative to the incident file, not absolute or a URL"),
    ],
)
def test_figure_paths_stay_in_the_folder(path: str, message: str) -> None:
    text = VALID + f"figures:\n  - path: '{path}'\n    caption: A graph\n"
    assert problems(text) == [(46, 11, message)]


def test_url_fields_must_be_http() -> None:
    text = VALID + "links:\n  - title: Runbook\n    url: javascript:alert(1)\n"
    assert problems(text) == [(47, 10, "links[0].url: 'javascript:alert(1)' is not an absolute http(s) URL")]


def test_warning_when_phase_missing_does_not_fail() -> None:
    text = replace(VALID, "    phase: mitigate\n", "")
    result = validate(load(text))
    assert result.ok
    assert [(d.start.line, d.severity, d.message) for d in result.diagnostics] == [
        (
            25,
            Severity.WARNING,
            "no timeline event has phase mitigate; the matching time-to figures cannot be computed",
        )
    ]


def test_all_problems_are_reported_at_once_and_sorted() -> None:
    text = replace(VALID, "summary: |", "sumary: |")
    text = replace(text, "  - at: 2026-03-14T10:10:00Z", "  - at: 2026-03-14T10:10:00")
    text = replace(text, "  - at: 2026-03-14T10:42:00Z", "  - at: 2026-03-14T10:01:00Z")
    text = replace(text, "  users_affected: 1200\n", "  users_affected: 1200\n  users_affected: 1300\n")
    text = replace(text, "    phase: resolve\n", "    phase: resolve\n    text: again\n")
    lines = [(line, col) for line, col, _ in problems(text)]
    assert lines == sorted(lines)
    messages = " | ".join(m for _, _, m in problems(text))
    for part in [
        "did you mean 'summary'",
        "has no time zone",
        "out of order",
        "duplicate key 'users_affected'",
        "duplicate key 'text'",
    ]:
        assert part in messages


def test_derived_figures() -> None:
    inc = load_incident(VALID)
    m = inc.metrics
    assert m.time_to_detect == dt.timedelta(minutes=3)
    assert m.time_to_triage == dt.timedelta(minutes=10)
    assert m.time_to_mitigate == dt.timedelta(minutes=20)
    assert m.time_to_resolve == dt.timedelta(minutes=42)
    assert m.impact_duration == dt.timedelta(minutes=42)


def test_detected_at_overrides_the_first_detect_event() -> None:
    text = replace(VALID, "  method: alert", "  method: alert\n  detected_at: 2026-03-14T10:01:00Z")
    assert load_incident(text).metrics.time_to_detect == dt.timedelta(minutes=1)


def test_load_incident_raises_with_all_errors() -> None:
    with pytest.raises(InvalidIncident) as info:
        load_incident(replace(VALID, "status: final", "status: x"))
    assert str(info.value) == ("<string>:3:9: error: status: 'x' is not one of 'draft', 'in-review' or 'final'")


def test_model_is_immutable() -> None:
    inc = load_incident(VALID)
    with pytest.raises(Exception):  # noqa: B017 - pydantic raises ValidationError for frozen models
        inc.title = "changed"  # type: ignore[misc]


def test_json_input_is_validated_the_same_way() -> None:
    import json

    import yaml

    data = yaml.safe_load(VALID)
    data = json.loads(json.dumps(data, default=str))
    text = json.dumps(data, indent=2)
    assert problems(text, "incident.json", severity=None) == []
    bad = text.replace('"summary"', '"summmary"')
    assert [m for _, _, m in problems(bad, "incident.json")][-1] == "unknown field 'summmary'; did you mean 'summary'?"


def test_mitigated_at_overrides_the_first_mitigate_event() -> None:
    text = replace(
        VALID,
        "  ended_at: 2026-03-14T10:42:00Z",
        "  mitigated_at: 2026-03-14T10:30:00Z\n  ended_at: 2026-03-14T10:42:00Z",
    )
    assert load_incident(text).metrics.time_to_mitigate == dt.timedelta(minutes=30)


def test_mitigated_at_inside_the_impact_window() -> None:
    text = replace(
        VALID,
        "  ended_at: 2026-03-14T10:42:00Z",
        "  mitigated_at: 2026-03-14T11:30:00Z\n  ended_at: 2026-03-14T10:42:00Z",
    )
    assert problems(text) == [
        (16, 17, "impact.mitigated_at is after impact.ended_at; mitigation comes before the end of the impact")
    ]


def test_a_broken_copy_of_a_sample_reports_each_problem_at_its_own_place() -> None:
    """The issue's acceptance check, on a real sample: a misspelled key, a naive timestamp, a
    duplicate key, an out-of-order event and a missing required field, each at its line:col."""
    from pathlib import Path

    sample = (Path(__file__).parent.parent / "samples" / "db-connection-pool-exhaustion.yml").read_text(
        encoding="utf-8"
    )
    text = replace(sample, "\nsummary: |", "\nsumary: |")  # misspelled (and so summary is missing)
    text = replace(text, "  started_at: 2026-09-15T13:02:00Z", "  started_at: 2026-09-15T13:02:00")  # naive
    text = replace(text, "severity: SEV2 # alias", "severity: SEV2\nseverity: SEV3 # alias")  # duplicate key
    text = replace(text, "  - at: 2026-09-15T13:02:26Z", "  - at: 2026-09-15T12:02:26Z")  # out of order
    lines = text.split("\n")

    def at(needle: str, column_of: str) -> tuple[int, int]:
        row = next(i for i, line in enumerate(lines, 1) if needle in line)
        return row, lines[row - 1].index(column_of) + 1

    got = {(line, col): message for line, col, message in problems(text, "broken.yml")}
    assert got[at("sumary: |", "sumary")] == "unknown field 'sumary'; did you mean 'summary'?"
    # the document's mapping starts after the leading comments, at its first key
    assert got[at("schema_version: 1", "schema_version")] == "missing required field 'summary' in the document"
    assert got[at("  started_at: 2026-09-15T13:02:00", "2026")].startswith(
        "impact.started_at: timestamp '2026-09-15T13:02:00' has no time zone"
    )
    assert got[at("severity: SEV3", "severity")].startswith("duplicate key 'severity' (first defined on line 11)")
    assert got[at("  - at: 2026-09-15T12:02:26Z", "2026")].startswith("timeline[3] is out of order")
    assert len(got) == 5
