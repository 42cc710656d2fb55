"""Every documented limit has a default and a flag to raise it, on every command that reads input.

Limits (docs/security.md): input size (--max-bytes), values after alias expansion (--max-nodes),
nesting depth (--max-depth), figure size (--max-image-bytes, render only).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile import generators as gen
from tests.hostile.bounded import one_positioned_line, run_cli

READ_FLAGS = ["--max-bytes", "--max-nodes", "--max-depth"]


def _params() -> list[object]:
    out: list[object] = [
        pytest.param(command, flag, id=f"{command}{flag}")
        for command in ("validate", "lint", "render")
        for flag in READ_FLAGS
    ]
    out.append(pytest.param("render", "--max-image-bytes", id="render--max-image-bytes"))
    return out


@pytest.mark.parametrize(("command", "flag"), _params())
def test_the_limit_flag_exists(command: str, flag: str) -> None:
    proc = run_cli([command, "--help"], seconds=60, env={"COLUMNS": "200"})
    assert flag in proc.stdout


def _deep(tmp_path: Path, depth: int) -> Path:
    path = tmp_path / "deep.yml"
    path.write_text(gen.to_yaml(gen.incident()) + gen.deep_flow_yaml(depth).replace("title:", "tags:"))
    return path


def test_validate_refuses_deep_nesting_and_max_depth_raises_the_limit(tmp_path: Path) -> None:
    path = _deep(tmp_path, 300)
    proc = run_cli(["validate", path.name], seconds=60, cwd=tmp_path)
    assert proc.returncode == 2
    line = one_positioned_line(proc.stderr, "deep.yml")
    assert line.endswith("the document is nested deeper than 200 levels; raise the limit with --max-depth"), line
    proc = run_cli(["validate", "--max-depth", "400", path.name], seconds=60, cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr  # it parses now: tags must be a list of text
    assert proc.stdout == "deep.yml:15:8: error: tags[0]: expected text, got a list\n"


@pytest.mark.parametrize("command", ["validate", "lint", "render"])
def test_max_depth_stops_at_a_ceiling_the_stack_can_hold(tmp_path: Path, command: str) -> None:
    """Raised to 1,000, the limit let a 500-level document through to a RecursionError traceback."""
    from postmortem.yamlio import DEPTH_CEILING, Limits

    path = _deep(tmp_path, 600)
    proc = run_cli([command, "--max-depth", "1000", path.name], seconds=60, cwd=tmp_path)
    assert proc.returncode == 2 and "1000 is not in the range 1<=x<=400" in proc.stderr, proc.stderr
    proc = run_cli([command, "--max-depth", str(DEPTH_CEILING), path.name], seconds=60, cwd=tmp_path)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    line = one_positioned_line(proc.stderr, "deep.yml")
    assert line.endswith("nested deeper than 400 levels, the most --max-depth allows"), line
    assert proc.stdout == ""  # no "No problems in 0 files."
    with pytest.raises(ValueError, match="max_depth must be between 1 and 400"):
        Limits(max_depth=1000)


def test_validate_max_nodes_raises_the_alias_limit(tmp_path: Path) -> None:
    path = tmp_path / "wide.yml"
    path.write_text(gen.to_yaml(gen.incident(tags=[f"t{i}" for i in range(200)])))
    proc = run_cli(["validate", "--max-nodes", "100", path.name], seconds=60, cwd=tmp_path)
    assert proc.returncode == 2
    assert "more than 100 values" in one_positioned_line(proc.stderr, "wide.yml")
    assert run_cli(["validate", "--max-nodes", "1000", path.name], seconds=60, cwd=tmp_path).returncode == 0


def test_validate_max_bytes_lowers_and_raises_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "inc.yml"
    path.write_text(gen.to_yaml(gen.incident()))
    size = path.stat().st_size
    proc = run_cli(["validate", "--max-bytes", str(size - 1), path.name], seconds=60, cwd=tmp_path)
    assert proc.returncode == 2
    assert one_positioned_line(proc.stderr, "inc.yml") == (
        f"inc.yml:1:1: error: file is {size} bytes, over the {size - 1} byte limit (raise it with --max-bytes)"
    )
    assert run_cli(["validate", "--max-bytes", str(size), path.name], seconds=60, cwd=tmp_path).returncode == 0
