"""Concurrency and no data loss.

* Two processes rendering the same incident into the same folder at once: both succeed and
  neither output is corrupt (each is complete and identical to a lone render).
* A kill -9 in the middle of writing (``render`` or ``lint --fix``) never leaves a truncated file
  in place of the original: writes go to a temporary file that is renamed when complete.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.hostile import generators as gen
from tests.hostile.bounded import ROOT

SAMPLE = ROOT / "samples" / "db-connection-pool-exhaustion.yml"


def _cli(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ, NO_COLOR="1")
    return subprocess.Popen(
        [sys.executable, "-m", "postmortem", *args],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


@pytest.mark.slow
def test_two_processes_rendering_the_same_file_into_the_same_folder(tmp_path: Path) -> None:
    (tmp_path / "inc.yml").write_bytes(SAMPLE.read_bytes())
    args = ["render", "-f", "md,html,pdf", "--as-of", "2026-03-26", "-o", "out", "inc.yml"]
    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / "inc.yml").write_bytes(SAMPLE.read_bytes())
    lone = _cli(args, ref)
    assert lone.wait(timeout=300) == 0, lone.stderr.read() if lone.stderr else ""
    for _ in range(2):
        a, b = _cli(args, tmp_path), _cli(args, tmp_path)
        assert a.wait(timeout=300) == 0 and b.wait(timeout=300) == 0
        for ext in ("md", "html"):
            assert (tmp_path / "out" / f"inc.{ext}").read_bytes() == (ref / "out" / f"inc.{ext}").read_bytes()
        pdf = (tmp_path / "out" / "inc.pdf").read_bytes()
        assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
        assert len(pdf) == len((ref / "out" / "inc.pdf").read_bytes())
    leftovers = [p.name for p in (tmp_path / "out").iterdir() if p.name.startswith(".")]
    assert leftovers == [], leftovers


# A child that runs the CLI in-process with a write that stops half-way and waits to be killed.
SLOW_WRITE = """
import os, sys, time
marker = sys.argv[1]
_fdopen = os.fdopen
class Slow:
    def __init__(self, fh): self.fh = fh
    def __enter__(self): return self
    def __exit__(self, *a): return self.fh.__exit__(*a)
    def write(self, data):
        half = len(data) // 2
        self.fh.write(data[:half]); self.fh.flush()
        open(marker, "w").close()
        time.sleep(120)
        return self.fh.write(data[half:])
    def __getattr__(self, name): return getattr(self.fh, name)
os.fdopen = lambda *a, **k: Slow(_fdopen(*a, **k))
sys.argv = ["postmortem", *sys.argv[2:]]
from postmortem.cli import main
main()
"""


def _kill_mid_write(cwd: Path, args: list[str]) -> None:
    marker = cwd / "half-written"
    proc = subprocess.Popen(
        [sys.executable, "-c", SLOW_WRITE, str(marker), *args],
        cwd=cwd,
        env=dict(os.environ, NO_COLOR="1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert time.monotonic() < deadline, "the write never started"
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def test_kill_during_lint_fix_leaves_the_original_intact(tmp_path: Path) -> None:
    doc = gen.incident(
        responders=[{"name": "Dana Whitfield", "role": "incident-commander"}],
        summary="Dana restarted the pool at 10:05 and the latency recovered.",
    )
    original = gen.to_yaml(doc).encode()
    (tmp_path / "inc.yml").write_bytes(original)
    _kill_mid_write(tmp_path, ["lint", "--fix", "inc.yml"])
    assert (tmp_path / "inc.yml").read_bytes() == original


def test_kill_during_render_keeps_the_last_good_output(tmp_path: Path) -> None:
    (tmp_path / "inc.yml").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "out").mkdir()
    last_good = b"<!doctype html><p>the last good render</p>\n"
    (tmp_path / "out" / "inc.html").write_bytes(last_good)
    _kill_mid_write(tmp_path, ["render", "-f", "html", "-o", "out", "inc.yml"])
    assert (tmp_path / "out" / "inc.html").read_bytes() == last_good


def test_kill_during_a_first_render_leaves_no_partial_output(tmp_path: Path) -> None:
    (tmp_path / "inc.yml").write_bytes(SAMPLE.read_bytes())
    _kill_mid_write(tmp_path, ["render", "-f", "md", "-o", "out", "inc.yml"])
    assert not (tmp_path / "out" / "inc.md").exists()
    # the temporary file may stay behind (a kill -9 runs no clean-up); it is hidden and never the output
    assert all(p.name.startswith(".inc.md.") for p in (tmp_path / "out").iterdir())
