"""The CLI for new, validate and schema: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from postmortem.diagnostics import ExitCode
from tests.foundation_helpers import VALID, replace


def run(
    *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "NO_COLOR": "", "PYTHONWARNINGS": "ignore", **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "postmortem", *args],
        input=stdin,
        capture_output=True,
        env=full_env,
        cwd=cwd,
        timeout=120,
    )
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())


@pytest.fixture
def incident(tmp_path: Path) -> Path:
    p = tmp_path / "incident.yml"
    p.write_text(VALID, encoding="utf-8")
    return p


def test_version_and_help() -> None:
    from postmortem import __version__

    assert run("--version").stdout == f"postmortem {__version__}\n"
    for flag in ("-h", "--help"):
        out = run(flag)
        assert out.returncode == 0
        assert "validate" in out.stdout and "schema" in out.stdout and "new" in out.stdout


def test_validate_clean_file(incident: Path) -> None:
    out = run("validate", str(incident))
    assert out.returncode == ExitCode.OK
    assert out.stdout == ""
    assert out.stderr == "1 file valid\n"


def test_validate_reports_every_problem_with_file_line_col(incident: Path) -> None:
    text = replace(VALID, "summary: |", "sumary: |")
    text = replace(text, "  - at: 2026-03-14T10:10:00Z", "  - at: 2026-03-14T10:10:00")
    incident.write_text(text, encoding="utf-8")
    out = run("validate", str(incident))
    assert out.returncode == ExitCode.PROBLEMS
    lines = out.stdout.splitlines()
    assert lines[0] == f"{incident}:1:1: error: missing required field 'summary' in the document"
    assert lines[1] == f"{incident}:11:1: error: unknown field 'sumary'; did you mean 'summary'?"
    assert lines[2].startswith(
        f"{incident}:29:9: error: timeline[1].at: timestamp '2026-03-14T10:10:00' has no time zone"
    )
    assert out.stderr == "1 of 1 file invalid\n"
    assert "Traceback" not in out.stdout + out.stderr


def test_warnings_pass_unless_strict(incident: Path) -> None:
    incident.write_text(replace(VALID, "    phase: mitigate\n", ""), encoding="utf-8")
    relaxed = run("validate", str(incident))
    assert relaxed.returncode == ExitCode.OK
    assert ": warning: no timeline event has phase mitigate" in relaxed.stdout
    assert run("validate", "--strict", str(incident)).returncode == ExitCode.PROBLEMS


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "1:1: error: the file is empty; expected an incident mapping"),
        (b"a: [\n", "2:1: error: YAML syntax error: did not find expected node content"),
        (b"- 1\n", "1:1: error: the document is a list; expected a mapping of incident fields"),
        (b"a: \xc3\x28\n", "1:4: error: invalid UTF-8 (byte 0xc3); save the file as UTF-8"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / "bad.yml"
    p.write_bytes(content)
    out = run("validate", str(p))
    assert out.returncode == ExitCode.TOOL_ERROR
    assert out.stderr == f"{p}:{message}\n"
    assert out.stdout == ""


def test_missing_file_and_directory(tmp_path: Path) -> None:
    out = run("validate", str(tmp_path / "nope.yml"))
    assert (out.returncode, out.stderr) == (2, f"{tmp_path / 'nope.yml'}:1:1: error: cannot read file: no such file\n")
    out = run("validate", str(tmp_path))
    assert (out.returncode, out.stderr) == (
        2,
        f"{tmp_path}:1:1: error: cannot read file: is a directory with no .yml, .yaml, .json files\n",
    )


def test_a_folder_is_walked_for_incident_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.yml").write_text(VALID)
    (tmp_path / "two.yaml").write_text(replace(VALID, "status: final", "status: nope"))
    (tmp_path / "figure.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.yml").write_text("broken: [")
    out = run("validate", str(tmp_path))
    assert out.returncode == ExitCode.PROBLEMS
    assert out.stdout.startswith(f"{tmp_path / 'two.yaml'}:3:9: error: status:")
    assert out.stderr == "1 of 2 files invalid\n"


def test_a_folder_passes_over_files_that_are_not_incidents(tmp_path: Path) -> None:
    """The README commits the JSON Schema beside the incidents: validating the folder must not fail on it."""
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "one.yml").write_text(VALID)
    (tmp_path / "schema").mkdir()
    assert run("schema", "-o", str(tmp_path / "schema" / "incident.schema.json")).returncode == 0
    (tmp_path / "ci.yml").write_text("on: push\njobs: {}\n")
    (tmp_path / "list.json").write_text("[1, 2]")
    (tmp_path / "broken.yml").write_text("summary: [\n")  # may be a broken incident: still reported
    out = run("validate", str(tmp_path))
    assert out.returncode == ExitCode.TOOL_ERROR
    assert out.stderr.startswith(f"{tmp_path / 'broken.yml'}:")
    (tmp_path / "broken.yml").unlink()
    out = run("validate", str(tmp_path))
    assert (out.returncode, out.stdout, out.stderr) == (0, "", "1 file valid\n")
    # named on the command line, a file is always validated
    out = run("validate", str(tmp_path / "schema" / "incident.schema.json"))
    assert out.returncode == ExitCode.PROBLEMS
    # a folder with no incident at all is a mistake in the command, not a pass
    out = run("validate", str(tmp_path / "schema"))
    assert out.returncode == ExitCode.TOOL_ERROR and "no incident file in" in out.stderr


def test_a_broken_symlink_in_a_folder_is_reported_as_lint_does(tmp_path: Path) -> None:
    (tmp_path / "one.yml").write_text(VALID)
    (tmp_path / "gone.yml").symlink_to(tmp_path / "nowhere.yml")
    out = run("validate", str(tmp_path))
    assert out.returncode == ExitCode.TOOL_ERROR
    assert out.stderr.startswith(f"{tmp_path / 'gone.yml'}:1:1: error: cannot read file")
    lint = run("lint", str(tmp_path))
    assert lint.returncode == ExitCode.TOOL_ERROR


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(incident: Path) -> None:  # pragma: no cover - CI runs as root
    incident.chmod(0)
    out = run("validate", str(incident))
    assert out.returncode == 2 and "permission denied" in out.stderr


def test_unreadable_file_as_root_via_fifo_like_directory(tmp_path: Path) -> None:
    special = tmp_path / "fifo.yml"
    os.mkfifo(special)
    out = run("validate", str(special))
    assert (out.returncode, out.stderr) == (2, f"{special}:1:1: error: cannot read file: is not a regular file\n")


def test_stdin() -> None:
    out = run("validate", "-", stdin=VALID.encode())
    assert out.returncode == 0
    bad = run("validate", "-", stdin=b"title: [\n")
    assert bad.returncode == 2 and bad.stderr.startswith("<stdin>:2:1: error: YAML syntax error")


def test_several_files_keep_going(tmp_path: Path, incident: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(replace(VALID, "status: final", "status: nope"), encoding="utf-8")
    out = run("validate", str(incident), str(broken))
    assert out.returncode == ExitCode.PROBLEMS
    assert out.stdout.startswith(f"{broken}:3:9: error: status:")
    assert out.stderr == "1 of 2 files invalid\n"


def test_unusable_file_among_several_exits_2(tmp_path: Path, incident: Path) -> None:
    empty = tmp_path / "empty.yml"
    empty.write_text("")
    out = run("validate", str(incident), str(empty))
    assert out.returncode == ExitCode.TOOL_ERROR
    assert f"{empty}:1:1: error: the file is empty" in out.stderr


def test_json_file(tmp_path: Path) -> None:
    import yaml

    p = tmp_path / "incident.json"
    p.write_text(json.dumps(yaml.safe_load(VALID), default=str), encoding="utf-8")
    assert run("validate", str(p)).returncode == 0


def test_no_colour_when_piped_and_colour_when_forced(incident: Path) -> None:
    incident.write_text(replace(VALID, "status: final", "status: nope"), encoding="utf-8")
    assert "\x1b[" not in run("validate", str(incident)).stdout
    forced = run("validate", str(incident), env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[1;31merror:" in forced
    assert "\x1b[" not in run("validate", str(incident), env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout


def test_new_writes_a_starter_that_validates(tmp_path: Path) -> None:
    target = tmp_path / "outage.yml"
    out = run("new", str(target), "--title", 'Cache "stampede": part 1', "--id", "INC-9")
    assert out.returncode == 0, out.stderr
    text = target.read_text()
    assert text.startswith("# yaml-language-server: $schema=")
    schema_ref = text.splitlines()[0].split("$schema=", 1)[1]
    assert json.loads((target.parent / schema_ref).read_text())["title"] == "Incident"
    assert 'title: "Cache \\"stampede\\": part 1"' in text
    check = run("validate", "--strict", str(target))
    assert check.returncode == 0, check.stdout
    again = run("new", str(target))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_new_writes_json_for_a_json_file(tmp_path: Path) -> None:
    """It wrote the commented YAML starter into x.json, which then failed to validate."""
    target = tmp_path / "outage.json"
    out = run("new", str(target), "--title", 'Cache "stampede"', "--id", "INC-9")
    assert out.returncode == 0, out.stderr
    data = json.loads(target.read_text())
    assert data["title"] == 'Cache "stampede"' and data["id"] == "INC-9"
    check = run("validate", "--strict", str(target))
    assert check.returncode == 0, check.stdout


def test_new_default_name(tmp_path: Path) -> None:
    out = run("new", "--title", "Disk full on db-1", cwd=tmp_path)
    assert out.returncode == 0
    assert (tmp_path / "disk-full-on-db-1.yml").exists()


def test_schema_command_prints_the_json_schema() -> None:
    out = run("schema")
    assert out.returncode == 0
    schema = json.loads(out.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert "timeline" in schema["properties"]


def test_usage_error_exits_2() -> None:
    out = run("validate")
    assert out.returncode == 2
    assert "Traceback" not in out.stderr


def test_validate_does_not_import_renderers(incident: Path) -> None:
    code = (
        "import sys\n"
        "from postmortem.cli.app import app\n"
        "try:\n"
        f"    app(['validate', {str(incident)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "bad = [m for m in ('weasyprint', 'jinja2') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1:] in ([""], []), out.stdout
