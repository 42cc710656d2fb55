"""The reading side in-process: ``cli/io.py`` (read_source, expand_paths, write_atomic, colour),
``postmortem validate`` on hostile files, and JSON's edge cases.

The catalogue's other tests run the CLI in child processes (bounded); these run in the test
process so that a refusal's exact path through the reader is checked line by line.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from postmortem.api import load
from postmortem.cli import io as cli_io
from postmortem.cli.app import make_app
from postmortem.diagnostics import PostmortemError
from postmortem.yamlio import Limits
from tests.hostile import generators as gen

VALID = gen.to_yaml(gen.incident())


def validate(args: list[str], stdin: bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(make_app("validate"), ["validate", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


# --- JSON edge cases ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"a": NaN}', "x.json:1:7: error: JSON syntax error: NaN is not valid JSON"),
        ('{"a": [1, -Infinity]}', "x.json:1:11: error: JSON syntax error: -Infinity is not valid JSON"),
        ('{"NaN": "x\\"NaN", "c": Infinity}', "x.json:1:24: error: JSON syntax error: Infinity is not valid JSON"),
        ("[1, 2]", "x.json:1:1: error: the document is a list; expected a mapping of incident fields"),
        ('  "text"', "x.json:1:3: error: the document is a single value; expected a mapping of incident fields"),
        ('{"a": [' + "[" * 3000 + "]" * 3000 + "]}", "x.json:1:1: error: the document is nested too deeply"),
        (
            '{"a": ' + "[" * 250 + "]" * 250 + "}",
            "x.json:1:207: error: the document is nested deeper than 200 levels; raise the limit with --max-depth",
        ),
    ],
)
def test_json_refusals_are_positioned(text: str, message: str) -> None:
    with pytest.raises(PostmortemError) as info:
        load(text, "x.json")
    assert info.value.diagnostic.format() == message


def test_json_node_limit_and_empty_containers() -> None:
    assert load('{"a": {}, "b": [], "c": [{}]}', "e.json").data == {"a": {}, "b": [], "c": [{}]}
    with pytest.raises(PostmortemError, match="more than 5 values"):
        load('{"a": [1, 2, 3, 4, 5, 6]}', "n.json", limits=Limits(max_nodes=5))


def test_json_duplicate_keys_in_nested_mappings_are_diagnostics() -> None:
    doc = load('{"impact": {"a": 1, "a": 2}, "x": [{"k": 1, "k": 1}]}', "d.json")
    assert [d.format() for d in doc.diagnostics] == [
        "d.json:1:21: error: duplicate key 'a' (first defined on line 1); data would be lost",
        "d.json:1:45: error: duplicate key 'k' (first defined on line 1); data would be lost",
    ]


# --- read_source ------------------------------------------------------------------------------


def test_read_source_refusals(tmp_path: Path) -> None:
    def refused(path: str) -> str:
        with pytest.raises(PostmortemError) as info:
            cli_io.read_source(path)
        return info.value.diagnostic.format()

    assert refused(str(tmp_path)) == f"{tmp_path}:1:1: error: cannot read file: is a directory; name a file"
    assert refused(str(tmp_path / "nope.yml")) == f"{tmp_path}/nope.yml:1:1: error: cannot read file: no such file"
    assert refused("/dev/null") == "/dev/null:1:1: error: cannot read file: is not a regular file"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_read_source_refuses_a_fifo_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yml"
    os.mkfifo(fifo)
    with pytest.raises(PostmortemError, match="is not a regular file"):
        cli_io.read_source(str(fifo))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_read_source_permission_denied(tmp_path: Path) -> None:
    path = tmp_path / "locked.yml"
    path.write_text(VALID)
    path.chmod(0)
    with pytest.raises(PostmortemError, match="permission denied"):
        cli_io.read_source(str(path))


def test_read_source_reads_stdin_within_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    class Stdin:
        buffer = io.BytesIO(b"title: x\n" * 10)

    monkeypatch.setattr("sys.stdin", Stdin)
    assert cli_io.read_source("-").text == "title: x\n" * 10
    Stdin.buffer = io.BytesIO(b"x" * 101)
    with pytest.raises(PostmortemError, match="file is 101 bytes, over the 100 byte limit"):
        cli_io.read_source("-", Limits(max_bytes=100))


# --- expand_paths -----------------------------------------------------------------------------


def test_expand_paths_walks_folders_sorted_and_skips_hidden_ones(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    for name in ("b/z.yml", "a.JSON", ".git/x.yml", "notes.txt", "b/c.yaml"):
        (tmp_path / name).write_text("x")
    assert cli_io.expand_paths([str(tmp_path), "-", "given.md"]) == [
        str(tmp_path / "a.JSON"),
        str(tmp_path / "b/c.yaml"),
        str(tmp_path / "b/z.yml"),
        "-",
        "given.md",
    ]
    (tmp_path / "empty").mkdir()
    with pytest.raises(PostmortemError, match=r"is a directory with no \.yml, \.yaml, \.json files"):
        cli_io.expand_paths([str(tmp_path / "empty")])


# --- write_atomic and colour ------------------------------------------------------------------


def test_write_atomic_replaces_and_refuses(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "out.html"
    cli_io.write_atomic(target, b"one")
    cli_io.write_atomic(target, b"two")
    assert target.read_bytes() == b"two" and oct(target.stat().st_mode & 0o777) == "0o644"
    with pytest.raises(typer.Exit):
        cli_io.write_atomic(target, b"three", exclusive=True)
    assert target.read_bytes() == b"two"
    with pytest.raises(typer.Exit):
        cli_io.write_atomic(tmp_path / "missing" / "out.html", b"x")
    err = capsys.readouterr().err
    assert "already exists" in err and "cannot write" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html"]


def test_write_atomic_removes_its_temporary_file_when_the_write_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.md"
    target.write_bytes(b"last good")

    def boom(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError, match="No space"):
        cli_io.write_atomic(target, b"new")
    assert target.read_bytes() == b"last good"
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]


def test_colour_follows_no_color_force_color_and_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    class Closed:
        def isatty(self) -> bool:
            raise ValueError("closed")

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    assert cli_io.use_color(Tty()) and not cli_io.use_color(io.StringIO())
    assert not cli_io.use_color(Closed())  # type: ignore[arg-type]
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert cli_io.use_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not cli_io.use_color(Tty())


# --- postmortem validate on hostile input, in-process ---------------------------------------------


def test_validate_keeps_going_after_a_refused_file_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "good.yml").write_text(VALID)
    (tmp_path / "bomb.yml").write_text(gen.billion_laughs())
    (tmp_path / "bad.yml").write_text(VALID.replace('"high"', "7"))
    code, out, err = validate([str(tmp_path)])
    assert code == 2
    assert f"{tmp_path}/bomb.yml:6:45: error: the document expands to more than 1000000 values" in err
    assert out.startswith(f"{tmp_path}/bad.yml:4:11: error: "), out


def test_validate_one_refused_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "deep.yml").write_text(gen.deep_flow_yaml(300))
    code, out, err = validate([str(tmp_path / "deep.yml")])
    assert (code, out) == (2, "")
    assert (
        err
        == f"{tmp_path}/deep.yml:1:208: error: the document is nested deeper than 200 levels; raise the limit with --max-depth\n"
    )


def test_validate_reads_stdin_and_an_empty_folder_is_refused(tmp_path: Path) -> None:
    code, _, err = validate(["-"], stdin=VALID.encode())
    assert code == 0 and err == "1 file valid\n"
    code, _, err = validate(["-", "--max-bytes", "10"], stdin=VALID.encode())
    assert code == 2 and err.startswith("<stdin>:1:1: error: file is ")
    code, _, err = validate([str(tmp_path)])
    assert code == 2 and "is a directory with no" in err


def test_validate_strict_and_quiet(tmp_path: Path) -> None:
    path = tmp_path / "warn.yml"
    path.write_text(gen.to_yaml(gen.incident(status="in-review", timeline=[])))
    code, out, err = validate([str(path)])
    assert code == 0 and "warning:" in out and err == "1 file valid\n"
    code, out, err = validate(["--strict", "--quiet", str(path)])
    assert code == 1 and "warning:" in out and err == ""
