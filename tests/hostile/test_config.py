"""Hostile config: a ``.postmortem.toml`` or ``[tool.postmortem]`` arrives in the same pull request
as the post-mortem, so it is untrusted input too.  Every mistake is one positioned line, exit code 2;
nothing in it may hang the linter, read outside the repository, or silently switch the linter off.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.hostile.bounded import ROOT, one_positioned_line, run_cli

SAMPLE = ROOT / "samples" / "tls-certificate-expiry.yml"


def lint_with(
    tmp_path: Path, config: str | bytes, name: str = ".postmortem.toml", *, seconds: float = 60
) -> subprocess.CompletedProcess[str]:
    shutil.copy(SAMPLE, tmp_path / "inc.yml")
    data = config.encode() if isinstance(config, str) else config
    (tmp_path / name).write_bytes(data)
    return run_cli(["lint", "inc.yml"], seconds=seconds, cwd=tmp_path)


CASES = [
    (
        "syntax error",
        ".postmortem.toml",
        'select = ["blame-language"\n',
        ".postmortem.toml:1:1: error: TOML syntax error: Unclosed array (at end of document)",
    ),
    (
        "unknown rule",
        ".postmortem.toml",
        'select = ["no-such-rule"]\n',
        ".postmortem.toml:1:1: error: select: unknown rule or prefix `no-such-rule`",
    ),
    (
        "unknown code",
        ".postmortem.toml",
        'ignore = ["PM999"]\n',
        ".postmortem.toml:1:1: error: ignore: unknown rule or prefix `PM999`",
    ),
    ("unknown key", ".postmortem.toml", "nonsense = 1\n", ".postmortem.toml:1:1: error: nonsense: unknown key"),
    (
        "bad level",
        ".postmortem.toml",
        'fail-on = "fatal"\n',
        ".postmortem.toml:1:1: error: fail-on: expected one of 'error', 'warning' or 'info'",
    ),
    (
        "wrong type in pyproject",
        "pyproject.toml",
        '[project]\nname = "x"\n\n[tool.postmortem]\nselect = "blame"\n',
        "pyproject.toml:5:1: error: select: Input should be a valid list",
    ),
    (
        "unknown rule in a severity table",
        "pyproject.toml",
        '[tool.postmortem]\n[tool.postmortem.severity]\nno-such-rule = "error"\n',
        "pyproject.toml:3:1: error: severity: unknown rule `no-such-rule`",
    ),
    (
        "missing roster file",
        ".postmortem.toml",
        'roster-file = "people.txt"\n',
        ".postmortem.toml:1:1: error: roster-file: cannot read people.txt: no such file",
    ),
]


@pytest.mark.parametrize(("label", "name", "config", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_config_is_one_positioned_line_and_exit_2(
    tmp_path: Path, label: str, name: str, config: str, expected: str
) -> None:
    proc = lint_with(tmp_path, config, name)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert one_positioned_line(proc.stderr, name) == expected


def test_an_explicit_config_with_an_error_is_refused_the_same_way(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / "inc.yml")
    (tmp_path / "ci.toml").write_text('select = ["no-such-rule"]\n')
    proc = run_cli(["lint", "--config", "ci.toml", "inc.yml"], seconds=60, cwd=tmp_path)
    assert proc.returncode == 2
    assert one_positioned_line(proc.stderr, "ci.toml").endswith("select: unknown rule or prefix `no-such-rule`")


def test_a_config_that_is_not_utf8_is_one_positioned_line(tmp_path: Path) -> None:
    proc = lint_with(tmp_path, b'select = ["blame-language"]\npeople = ["caf\xe9"]\n')
    assert proc.returncode == 2, proc.stderr
    one_positioned_line(proc.stderr, ".postmortem.toml")


def test_a_roster_file_that_never_ends_is_refused(tmp_path: Path) -> None:
    proc = lint_with(tmp_path, 'roster-file = "/dev/zero"\n', seconds=20)
    assert proc.returncode == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_roster_file_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "people.txt")
    proc = lint_with(tmp_path, 'roster-file = "people.txt"\n', seconds=20)
    assert proc.returncode == 2


def test_a_roster_file_outside_the_repository_is_refused(tmp_path: Path) -> None:
    inner = tmp_path / "repo"
    inner.mkdir()
    (tmp_path / "secret-people.txt").write_text("Dana Whitfield\n")
    proc = lint_with(inner, 'roster-file = "../secret-people.txt"\n')
    assert proc.returncode == 2, proc.stdout
    assert "roster-file" in proc.stderr


@pytest.mark.parametrize("config", ['include = ["**/*.nothing"]\n', 'exclude = ["**/*"]\n'], ids=["include", "exclude"])
def test_globs_that_leave_nothing_to_lint_are_an_error(tmp_path: Path, config: str) -> None:
    shutil.copy(SAMPLE, tmp_path / "inc.yml")
    (tmp_path / ".postmortem.toml").write_text(config)
    proc = run_cli(["lint", "."], seconds=60, cwd=tmp_path)
    assert proc.returncode != 0, proc.stdout


def test_a_config_line_built_for_backtracking_does_not_hang_the_linter(tmp_path: Path) -> None:
    line = "[[" + " " * 2000 + "a" + " " * 2000
    proc = lint_with(tmp_path, f'confidentiality = """\n{line}\n"""\n', seconds=20)
    assert proc.returncode in (0, 1)
