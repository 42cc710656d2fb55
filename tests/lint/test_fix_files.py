"""``lint --fix`` on real files: it never corrupts one, never prints a traceback, and keeps the
file as it was apart from the edits (a symlink stays a link, mode, BOM and CRLF line ends are kept)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from lintcheck import INCIDENT
from typer.testing import CliRunner

from postmortem.cli import io as cli_io
from postmortem.cli.app import app
from postmortem.source import SourceFile
from postmortem.yamlio import parse

runner = CliRunner()


DANA = "id: INC-1\ntitle: Dana broke it\nresponders:\n  - name: Dana Whitfield\n    role: scribe\n"
DANA_FIXED = DANA.replace("title: Dana broke it", "title: The scribe broke it")
BOM = b"\xef\xbb\xbf"


def repo(tmp_path: Path, role: str | None = None) -> Path:
    """A folder that is a git root (config discovery stops there), with Grace Hopper as ``role``."""
    (tmp_path / ".git").mkdir()
    if role is not None:
        (tmp_path / ".postmortem.toml").write_text(
            f'people = [{{ name = "Grace Hopper", role = "{role}" }}]\n', encoding="utf-8"
        )
    return tmp_path


def lint(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["lint", *args], env={"GITHUB_ACTIONS": "", "NO_COLOR": "1"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


# --- bug 1: a role that plain YAML cannot hold -------------------------------------------------------


def test_fix_with_a_role_that_cannot_start_a_plain_scalar_exits_without_a_traceback(tmp_path: Path) -> None:
    folder = repo(tmp_path, "@payments-oncall")
    original = INCIDENT + "trigger: Grace restarted it\n"
    (folder / "e.yml").write_text(original, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "postmortem", "lint", "--fix", "e.yml"],
        cwd=folder,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "GITHUB_ACTIONS": ""},
        timeout=120,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 1, proc.stderr  # the finding is still there, for a person
    assert "trigger: Grace restarted it" in proc.stdout
    assert (folder / "e.yml").read_text(encoding="utf-8") == original
    parse(SourceFile("e.yml", original))


@pytest.mark.parametrize("role", ["[the lead]", "*star", "%ops", "- ops"])
def test_fix_writes_the_names_it_can_and_leaves_a_valid_file(tmp_path: Path, role: str) -> None:
    folder = repo(tmp_path, role)
    target = folder / "e.yml"
    target.write_text(INCIDENT + "trigger: Grace restarted it\nresolution: It was restarted by Grace.\n", "utf-8")
    code, _, err = lint("--fix", str(target))
    assert code == 1 and "fixed 1 name" in err
    fixed = target.read_text(encoding="utf-8")
    assert fixed == INCIDENT + f"trigger: Grace restarted it\nresolution: It was restarted by {role}.\n"
    assert parse(SourceFile("e.yml", fixed)).data["resolution"] == f"It was restarted by {role}."


def test_fix_leaves_the_file_unchanged_if_the_fixed_text_would_not_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library keeps fixes from breaking a document; the command checks again before it writes."""
    from postmortem.lint import fix

    target = repo(tmp_path) / "f.yml"
    target.write_text(DANA, encoding="utf-8")
    monkeypatch.setattr(fix, "fix_text", lambda text, diags, doc=None: (text.replace("Dana broke", "@x: ["), 1))
    code, _, err = lint("--fix", str(target))
    assert code == 2
    assert "--fix left the file unchanged" in err and "Traceback" not in err
    assert target.read_text(encoding="utf-8") == DANA


def test_the_fixed_file_is_linted_with_the_run_s_limits(tmp_path: Path) -> None:
    """The fixed text was re-linted with the default limits: a file only a raised limit admits raised."""
    target = repo(tmp_path) / "f.yml"
    text = DANA + "deep: " + "[" * 220 + "]" * 220 + "\n"  # deeper than the default --max-depth of 200
    target.write_text(text, encoding="utf-8")
    code, _, err = lint("--fix", "--max-depth", "300", str(target))
    assert code == 0, err
    assert target.read_text(encoding="utf-8") == text.replace("title: Dana broke it", "title: The scribe broke it")


# --- bug 2: the file is kept as it was apart from the edits --------------------------------------


def test_fix_keeps_a_utf8_bom(tmp_path: Path) -> None:
    target = repo(tmp_path) / "f.yml"
    target.write_bytes(BOM + DANA.encode())
    code, _, err = lint("--fix", str(target))
    assert code == 0, err
    assert target.read_bytes() == BOM + DANA_FIXED.encode()


def test_fix_adds_no_bom_to_a_file_without_one(tmp_path: Path) -> None:
    target = repo(tmp_path) / "f.yml"
    target.write_bytes(DANA.encode())
    lint("--fix", str(target))
    assert target.read_bytes() == DANA_FIXED.encode()


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
@pytest.mark.parametrize("mode", [0o755, 0o600, 0o664], ids=oct)
def test_fix_keeps_the_file_mode(tmp_path: Path, mode: int) -> None:
    target = repo(tmp_path) / "f.yml"
    target.write_text(DANA, encoding="utf-8")
    target.chmod(mode)
    lint("--fix", str(target))
    assert target.read_text(encoding="utf-8") == DANA_FIXED
    assert stat.S_IMODE(target.stat().st_mode) == mode


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_fix_through_a_symlink_rewrites_its_target_and_keeps_the_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = repo(tmp_path)
    monkeypatch.chdir(folder)  # the checkout: the link's target is under it
    (folder / "real").mkdir()
    (folder / "links").mkdir()
    real = folder / "real" / "f.yml"
    real.write_bytes(BOM + DANA.encode())
    real.chmod(0o755)
    link = folder / "links" / "l.yml"
    link.symlink_to(Path("..") / "real" / "f.yml")
    code, _, err = lint("--fix", str(link))
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == str(Path("..") / "real" / "f.yml")
    assert real.read_bytes() == BOM + DANA_FIXED.encode()
    assert stat.S_IMODE(real.stat().st_mode) == 0o755
    # no temporary file left beside the link or the target
    assert sorted(p.name for p in (folder / "links").iterdir()) == ["l.yml"]
    assert sorted(p.name for p in (folder / "real").iterdir()) == ["f.yml"]


def test_fix_keeps_crlf_line_ends(tmp_path: Path) -> None:
    target = repo(tmp_path) / "f.yml"
    target.write_bytes(DANA.replace("\n", "\r\n").encode())
    code, _, err = lint("--fix", str(target))
    assert code == 0, err
    assert target.read_bytes() == DANA_FIXED.replace("\n", "\r\n").encode()


def test_fix_keeps_crlf_and_a_bom_in_a_markdown_draft(tmp_path: Path) -> None:
    target = repo(tmp_path) / "d.md"
    draft = "---\r\nresponders:\r\n  - name: Dana Whitfield\r\n    role: scribe\r\n---\r\n# Summary\r\n\r\nThen Dana left.\r\n"
    target.write_bytes(BOM + draft.encode())
    code, _, err = lint("--fix", str(target))
    assert code == 0, err
    assert target.read_bytes() == BOM + draft.replace("Then Dana left.", "Then the scribe left.").encode()


# --- rewrite_in_place itself ----------------------------------------------------------------------


def test_rewrite_in_place_returns_the_resolved_path_and_fails_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import typer

    real = tmp_path / "f.yml"
    real.write_text("a: 1\n", encoding="utf-8")
    link = tmp_path / "l.yml"
    link.symlink_to("f.yml")
    assert cli_io.rewrite_in_place(link, "a: 2\n") == real.resolve()
    assert real.read_text(encoding="utf-8") == "a: 2\n" and link.is_symlink()
    with pytest.raises(typer.Exit):
        cli_io.rewrite_in_place(tmp_path / "missing.yml", "x")
    assert "missing.yml: cannot rewrite" in capsys.readouterr().err


def test_write_atomic_still_gives_new_outputs_mode_644(tmp_path: Path) -> None:
    target = tmp_path / "out.html"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o600)
    cli_io.write_atomic(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


@pytest.mark.skipif(os.name == "nt", reason="symlinks need privileges on Windows")
def test_fix_refuses_a_link_out_of_the_current_folder_and_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "secret.yml"
    target.write_text(
        "summary: Dana Whitfield restarted it.\nresponders:\n  - name: Dana Whitfield\n    role: scribe\n"
    )
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / "l.yml").symlink_to(target)
    monkeypatch.chdir(checkout)
    before = target.read_bytes()
    code, _, err = lint("--fix", "l.yml")
    assert code == 2 and "outside the current folder and its own" in err, err
    assert target.read_bytes() == before and (checkout / "l.yml").is_symlink()
