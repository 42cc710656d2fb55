"""Hostile sizes and shapes: alias bombs, huge files, deep nesting, long lines, huge timelines.

Each case runs in a child process with a memory cap and a wall-clock kill switch
(:mod:`tests.hostile.bounded`).  The bounds are for hostile input: far above what
the work needs, far below what a blow-up takes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from postmortem.api import load
from postmortem.diagnostics import PostmortemError
from postmortem.yamlio import Limits
from tests.hostile import generators as gen
from tests.hostile.bounded import Outcome, one_positioned_line, run_bounded, run_cli

LOAD_CHILD = """
import sys
from postmortem.api import load
from postmortem.diagnostics import PostmortemError
from postmortem.model.validate import validate
path, name = sys.argv[1], sys.argv[2]
raw = open(path, "rb").read()
try:
    doc = load(raw, name)
except PostmortemError as exc:
    report(refused=exc.diagnostic.format(), line=exc.diagnostic.start.line, col=exc.diagnostic.start.column)
else:
    result = validate(doc)
    report(refused=None, valid=result.incident is not None, errors=[d.format() for d in result.errors[:3]])
"""


def load_bounded(
    tmp_path: Path, text: str, name: str = "hostile.yml", *, seconds: float = 20, memory_mb: int = 1024
) -> Outcome:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return run_bounded(LOAD_CHILD, seconds=seconds, memory_mb=memory_mb, args=[str(path), name])


# --- alias bombs ---------------------------------------------------------------------------------


def test_billion_laughs_is_refused_fast_at_the_exploding_anchor(tmp_path: Path) -> None:
    out = load_bounded(tmp_path, gen.billion_laughs())
    refused = out.result["refused"]
    assert refused is not None and "expands to more than 1000000 values" in refused and "--max-nodes" in refused
    # the refusal points at the alias that crosses the limit, inside l5 (10**6 values)
    assert out.result["line"] == 6, refused
    assert out.seconds < 5 and out.peak_rss_mb < 300, out.result


def test_nested_mapping_aliases_are_refused_fast(tmp_path: Path) -> None:
    out = load_bounded(tmp_path, gen.nested_aliases(60))
    assert "expands to more than" in out.result["refused"]
    assert out.seconds < 5 and out.peak_rss_mb < 300, out.result


def test_recursive_alias_is_one_positioned_error() -> None:
    with pytest.raises(PostmortemError) as info:
        load("title: x\nloop: &a [1, *a]\n", "r.yml")
    assert info.value.diagnostic.format() == (
        "r.yml:2:14: error: alias *a refers to a value that contains it; recursive data is not supported"
    )


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("a: 1\nb: [1, 2, {c: 3}]\n", 7),  # the root, a, b, 1, 2, {c}, 3: keys are not values
        ("a: &x [1, 2]\nb: [*x, *x]\n", 11),  # an alias counts what it expands to
        ("a: &x {k: 1, l: [2]}\nb: *x\n", 9),
    ],
)
def test_the_node_limit_counts_expanded_values_exactly(text: str, values: int) -> None:
    load(text, "n.yml", limits=Limits(max_nodes=values))
    with pytest.raises(PostmortemError, match=f"more than {values - 1} values"):
        load(text, "n.yml", limits=Limits(max_nodes=values - 1))


def test_aliases_within_the_limit_still_load() -> None:
    doc = load("a: &x {k: 1}\nb: *x\nc: [*x, *x]\n", "ok.yml")
    assert doc.data == {"a": {"k": 1}, "b": {"k": 1}, "c": [{"k": 1}, {"k": 1}]}


# --- width: a 10 MB flat list (under the byte limit) must not be composed in full ---------------


def test_a_wide_document_is_refused_before_it_is_built(tmp_path: Path) -> None:
    text = gen.wide_yaml_list(4_900_000)  # 9.8 MB, under the 10 MB limit; 4.9 million values
    out = load_bounded(tmp_path, text, seconds=30)
    assert "expands to more than 1000000 values" in out.result["refused"]
    assert out.peak_rss_mb < 400, out.result  # composing it all took 1.8 GB before the fix


# --- depth --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text", "name"),
    [
        ("flow sequences", gen.deep_flow_yaml(10_000, "["), "deep.yml"),
        ("flow mappings", gen.deep_flow_yaml(10_000, "{"), "deep.yml"),
        ("block sequences", gen.deep_block_yaml(10_000), "deep.yml"),
        ("block mappings", gen.deep_block_mapping_yaml(3_000), "deep.yml"),  # 4.5 MB of indentation
        ("JSON arrays", gen.deep_json(10_000), "deep.json"),
        ("JSON arrays, 100k", gen.deep_json(100_000), "deep.json"),
    ],
)
def test_ten_thousand_levels_of_nesting_are_refused_with_a_position(
    tmp_path: Path, kind: str, text: str, name: str
) -> None:
    out = load_bounded(tmp_path, text, name)
    refused = out.result["refused"]
    assert refused is not None, kind
    assert refused.startswith(f"{name}:"), refused
    assert "nest" in refused or "syntax error" in refused, refused
    assert out.seconds < 10 and out.peak_rss_mb < 500, out.result


def test_nesting_within_the_depth_limit_loads() -> None:
    doc = load(gen.deep_flow_yaml(150, "["), "ok.yml")
    value = doc.data["title"]
    for _ in range(150):
        value = value[0]
    assert value == "x"


# --- a 1 MB line ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["long.yml", "long.json"])
def test_a_one_megabyte_line_loads_and_validates(tmp_path: Path, name: str) -> None:
    summary = "The pool filled. " * 62_000  # ~1 MB on one line
    doc = gen.incident(summary=summary)
    text = gen.to_yaml(doc) if name.endswith(".yml") else __import__("json").dumps(doc)
    assert max(len(line) for line in text.splitlines()) > 1_000_000
    out = load_bounded(tmp_path, text, name)
    assert out.result["refused"] is None and out.result["valid"], out.result
    assert out.seconds < 20 and out.peak_rss_mb < 500, out.result


# --- 100,000 timeline events ---------------------------------------------------------------------


@pytest.mark.slow
def test_one_hundred_thousand_timeline_events_validate_within_a_bound(tmp_path: Path) -> None:
    text = gen.big_timeline_yaml(100_000)
    assert text.count("\n  - at: ") == 100_000 and len(text) < 10 * 1024 * 1024
    out = load_bounded(tmp_path, text, "big.yml", seconds=180, memory_mb=2048)
    assert out.result["refused"] is None, out.result
    assert out.result["valid"], out.result
    # measured ~15 s and ~600 MB on a shared 2-core machine; the bound catches a quadratic
    assert out.peak_rss_mb < 1200, out.result


# --- a 50 MB file, through the CLI ----------------------------------------------------------------


def _fifty_megabytes(tmp_path: Path) -> Path:
    path = tmp_path / "huge.yml"
    head = gen.to_yaml(gen.incident(summary=None))
    line = "  " + "The retry storm filled the pool again. " * 20 + "\n"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(head + "summary: |\n")
        written = len(head)
        while written < 50 * 1024 * 1024:
            fh.write(line)
            written += len(line)
    return path


@pytest.mark.parametrize("command", [["validate"], ["lint"], ["render", "-f", "md"]], ids=lambda c: c[0])
def test_a_fifty_megabyte_file_is_refused_fast_with_one_positioned_line(tmp_path: Path, command: list[str]) -> None:
    path = _fifty_megabytes(tmp_path)
    proc = run_cli([*command, str(path)], seconds=30, memory_mb=1024)
    assert proc.returncode == 2, (command, proc.stdout, proc.stderr)
    line = one_positioned_line(proc.stderr, str(path))
    assert line.startswith(f"{path}:1:1: error: file is ")
    assert line.endswith(" bytes, over the 10485760 byte limit (raise it with --max-bytes)")


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["lint"],
        ["render", "-f", "md"],
    ],
    ids=lambda c: c[0],
)
def test_the_refusal_gives_the_real_file_size(tmp_path: Path, command: list[str]) -> None:
    path = _fifty_megabytes(tmp_path)
    proc = run_cli([*command, str(path)], seconds=30, memory_mb=1024)
    assert f"file is {path.stat().st_size} bytes" in proc.stderr, proc.stderr


@pytest.mark.slow
def test_a_fifty_megabyte_file_is_accepted_with_the_limit_raised(tmp_path: Path) -> None:
    path = _fifty_megabytes(tmp_path)
    proc = run_cli(["validate", "--max-bytes", str(60 * 1024 * 1024), str(path)], seconds=120, memory_mb=2048)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stderr.strip() == "1 file valid"
