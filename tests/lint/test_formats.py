"""Each output format against what its consumer requires."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from postmortem.diagnostics import Diagnostic
from postmortem.lint import LintConfig, lint_markdown, lint_source
from postmortem.lint.formats import Report, fingerprints, get_formatter
from postmortem.lint.formats.github import escape_data, escape_property
from postmortem.lint.rules import RULES
from postmortem.source import SourceFile

SAMPLES = Path(__file__).resolve().parents[2] / "samples" / "blameful"


def blameful() -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for p in sorted(SAMPLES.iterdir()):
        out += lint_source(SourceFile(f"samples/blameful/{p.name}", p.read_text(encoding="utf-8")))
    return out


def render(fmt: str, diags: list[Diagnostic], redact: bool = False) -> str:
    root = str(Path(__file__).resolve().parents[2])
    return get_formatter(fmt)(Report(diags, files=2, redact=redact, root=root))


NAMES = ("Dana", "Whitfield", "Oluwaseun", "mkowalski", "tkim", "jane.doe", "Wanjiru")


# --- SARIF ------------------------------------------------------------------------------


def test_sarif_has_what_github_code_scanning_requires() -> None:
    diags = blameful()
    data = json.loads(render("sarif", diags))
    assert data["version"] == "2.1.0"
    assert data["$schema"].endswith("sarif-2.1.0.json")
    run = data["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "postmortem" and driver["version"]
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [r.code for r in RULES]
    for r in rules:
        assert r["shortDescription"]["text"] and r["help"]["text"] and r["help"]["markdown"]
        assert r["defaultConfiguration"]["level"] in ("error", "warning", "note")
    assert len(run["results"]) == len(diags)
    for res, d in zip(run["results"], diags, strict=True):
        assert res["ruleId"] == d.code
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        assert res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        assert not loc["artifactLocation"]["uri"].startswith("/")
        region = loc["region"]
        assert region["startLine"] == d.start.line and region["endLine"] == d.end.line
        assert region["startColumn"] >= 1 and region["endColumn"] >= 1
        assert re.fullmatch(r"[0-9a-f]{32}", res["partialFingerprints"]["postmortemFinding/v1"])
    prints = [r["partialFingerprints"]["postmortemFinding/v1"] for r in run["results"]]
    assert len(set(prints)) == len(prints)


def test_sarif_says_when_an_input_could_not_be_linted() -> None:
    """Code scanning read a run that could not parse a file as a clean one: no invocation said otherwise."""
    from postmortem.diagnostics import PostmortemError
    from postmortem.yamlio import parse

    clean = json.loads(render("sarif", blameful()))["runs"][0]["invocations"]
    assert clean == [{"executionSuccessful": True, "toolExecutionNotifications": []}]
    with pytest.raises(PostmortemError) as caught:
        parse(SourceFile("broken.yml", "summary: [unclosed\n"))
    root = str(Path(__file__).resolve().parents[2])
    report = Report(blameful(), files=2, root=root, errors=[caught.value.diagnostic])
    (invocation,) = json.loads(get_formatter("sarif")(report))["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error" and note["descriptor"]["id"] == "PM005"
    assert note["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "broken.yml",
        "uriBaseId": "%SRCROOT%",
    }


def test_sarif_columns_are_utf16() -> None:
    src = SourceFile("x.yml", "responders:\n  - name: Dana Whitfield\n    role: scribe\nsummary: 𝄞 Dana\n")
    diags = lint_source(src)
    region = json.loads(render("sarif", diags))["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert (diags[0].start.column, region["startColumn"], region["endColumn"]) == (12, 13, 17)


def test_fingerprints_survive_line_moves() -> None:
    text = (SAMPLES / "checkout-outage.yml").read_text(encoding="utf-8")
    moved = text.replace("schema_version: 1\n", "schema_version: 1\n\n\n# a new comment\n")
    a = lint_source(SourceFile("samples/blameful/checkout-outage.yml", text))
    b = lint_source(SourceFile("samples/blameful/checkout-outage.yml", moved))
    assert [d.start.line for d in a] != [d.start.line for d in b]
    assert fingerprints(a, ".") == fingerprints(b, ".")


# --- GitHub workflow commands -------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "data", "prop"),
    [
        ("100% done", "100%25 done", "100%25 done"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("x: y, z", "x: y, z", "x%3A y%2C z"),
        ("%0A literal", "%250A literal", "%250A literal"),
    ],
)
def test_github_escaping(value: str, data: str, prop: str) -> None:
    assert escape_data(value) == data
    assert escape_property(value) == prop


_COMMAND = re.compile(
    r"::(error|warning|notice) file=([^,:]+),line=(\d+)(?:,col=(\d+))?,endLine=(\d+)(?:,endColumn=(\d+))?,title=([^,:]+)::(.+)"
)


def test_github_commands_parse() -> None:
    diags = blameful()
    out = render("github", diags, redact=True).splitlines()
    assert len(out) == len(diags)
    for line, d in zip(out, diags, strict=True):
        m = _COMMAND.fullmatch(line)
        assert m, line
        assert m.group(2) == d.source.name
        assert int(m.group(3)) == d.start.line
        assert "\n" not in line and "%0A" in m.group(8)  # message and help on two lines
        assert m.group(7) == f"{d.code} {d.rule}"


def test_github_is_chosen_on_actions(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from postmortem.cli.app import app

    f = tmp_path / "x.yml"
    f.write_text("summary: human error.\n")
    result = CliRunner().invoke(app, ["lint", str(f)], env={"GITHUB_ACTIONS": "true"})
    assert result.stdout.startswith("::error file=")


# --- GitLab Code Quality ---------------------------------------------------------------


def test_gitlab_code_quality() -> None:
    diags = blameful()
    src = SourceFile(
        "dup.yml", "responders:\n  - name: Dana Whitfield\n    role: scribe\nsummary: Dana, Dana and Dana.\n"
    )
    diags += lint_source(src)  # three identical findings in one field
    issues = json.loads(render("gitlab", diags))
    assert isinstance(issues, list) and len(issues) == len(diags)
    for issue in issues:
        assert issue["description"] and issue["check_name"]
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["path"] and issue["location"]["lines"]["begin"] >= 1
    prints = [i["fingerprint"] for i in issues]
    assert len(set(prints)) == len(prints)


# --- JSON -----------------------------------------------------------------------------


def test_json_is_versioned_and_complete() -> None:
    diags = blameful()
    data = json.loads(render("json", diags))
    assert data["version"] == 1 and data["tool"]["name"] == "postmortem"
    assert data["summary"]["error"] == sum(d.severity.label == "error" for d in diags)
    item = data["diagnostics"][0]
    assert set(item) == {
        "path", "code", "rule", "severity", "message", "help", "field", "start", "end", "matched", "fix", "fingerprint"
    }  # fmt: skip
    assert set(item["start"]) == {"line", "column", "offset"}


# --- text, concise, redaction -----------------------------------------------------------


def test_concise() -> None:
    out = render("concise", blameful()).splitlines()
    assert out[0].startswith("samples/blameful/checkout-outage.yml:3:1: PM902 [unused-suppression] ")


def test_text_has_source_line_and_caret() -> None:
    src = SourceFile("d.md", "Paged @tkim.\n")
    out = render("text", lint_markdown(src))
    assert "1 | Paged @tkim." in out
    assert "  |       ^^^^^" in out
    assert "help:" in out


@pytest.mark.parametrize("fmt", ["text", "concise", "json", "github", "sarif", "gitlab"])
def test_redaction_masks_names_everywhere(fmt: str) -> None:
    out = render(fmt, blameful(), redact=True)
    if fmt == "sarif":  # the rule help (the docs) has its own invented examples
        out = json.dumps(json.loads(out)["runs"][0]["results"])
    for name in NAMES:
        assert name not in out, (fmt, name)


def test_redaction_off_shows_source() -> None:
    assert "Dana" in render("text", blameful(), redact=False)


SNAPSHOT_SOURCE = (
    "responders:\n  - name: Dana Whitfield\n    role: incident-commander\n"
    "summary: |\n  Dana restarted the\tdatabase.\n  Then Whitfield's fix. TODO\n"
    "resolution: 'Rolled back by Dana'  # postmortem: ignore[named-individual]\n"
)
# Only rules whose messages and help are the engine's own, so that detector wording changes
# do not churn the snapshots.
SNAPSHOT_RULES = ("named-individual", "placeholder", "invalid-suppression")


@pytest.mark.parametrize("fmt", ["text", "concise", "github"])
@pytest.mark.parametrize("redact", [False, True], ids=["plain", "redacted"])
def test_output_snapshots(fmt: str, redact: bool, snapshot: object) -> None:
    config = LintConfig(select=SNAPSHOT_RULES)
    diags = lint_source(SourceFile("incidents/checkout.yml", SNAPSHOT_SOURCE), config)
    assert render(fmt, diags, redact=redact) == snapshot


def test_the_scrubber_masks_every_redacted_name_longest_first() -> None:
    """One pattern per report (a finding checked against every other took over a minute for 4,800)."""
    from lintcheck import ROSTER, lint

    from postmortem.lint.formats import Scrubber, mask

    diags = lint(ROSTER + "summary: Dana restarted it, then Dana Whitfield and Sam Rivera checked.\n")
    names = {d.matched for d in diags if d.rule == "named-individual"}
    assert names == {"Dana", "Dana Whitfield", "Sam Rivera"}
    clean = Scrubber(diags)
    said = "Dana Whitfield told Sam Rivera; Dana agreed."
    assert clean(said) == f"{mask('Dana Whitfield')} told {mask('Sam Rivera')}; {mask('Dana')} agreed."
    assert clean(None) is None
    assert Scrubber([])(said) == said


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sp/my file#1?.yml", {"uri": "sp/my%20file%231%3F.yml", "uriBaseId": "%SRCROOT%"}),
        ("od/a,b:c%d/draft.md", {"uri": "od/a%2Cb%3Ac%25d/draft.md", "uriBaseId": "%SRCROOT%"}),
        ("c:d.yml", {"uri": "c%3Ad.yml", "uriBaseId": "%SRCROOT%"}),  # not a URI with the scheme c:
        ("/elsewhere/x y.yml", {"uri": "file:///elsewhere/x%20y.yml"}),
        ("<stdin>", {"uri": "%3Cstdin%3E"}),
    ],
)
def test_sarif_artifact_locations_are_uris(name: str, expected: dict[str, str]) -> None:
    from postmortem.lint.formats.sarif import artifact_location

    path = name if name.startswith(("/", "<")) else f"/repo/{name}"  # a file under the root, or not
    assert artifact_location(path, "/repo") == expected
