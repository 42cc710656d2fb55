"""Hostile figure paths: traversal, absolute paths, symlinks out of the folder, FIFOs, /dev/zero,
huge, corrupt and decompression-bomb images.

Expected: a path that leaves the folder is a validation error at its position (exit 1, nothing
rendered); a file that cannot be used safely is left out with a warning and the document still
renders; nothing hangs, nothing outside the incident's folder reaches an output.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest

from postmortem.api import load_incident
from postmortem.render import RenderOptions, render_pdf
from tests.hostile import generators as gen
from tests.hostile.bounded import run_cli

CANARY = "TOPSECRET-CANARY-7f3a"


def make_case(tmp_path: Path, figure: str) -> Path:
    folder = tmp_path / "incident"
    (folder / "figures").mkdir(parents=True)
    (tmp_path / "secret.png").write_text(CANARY)
    doc = gen.incident(figures=[{"path": figure, "caption": "Pool saturation"}])
    path = folder / "inc.yml"
    path.write_text(gen.to_yaml(doc))
    return path


def render(path: Path, fmt: str = "html", *extra: str, seconds: float = 90) -> tuple[int, str, str]:
    proc = run_cli(["render", "-f", fmt, "-o", "out", *extra, path.name], seconds=seconds, cwd=path.parent)
    return proc.returncode, proc.stdout, proc.stderr


def outputs(path: Path) -> bytes:
    out = path.parent / "out"
    return b"".join(p.read_bytes() for p in sorted(out.iterdir())) if out.exists() else b""


@pytest.mark.parametrize(
    ("figure", "message"),
    [
        (
            "../secret.png",
            "inc.yml:15:20: error: figure path leaves the incident's folder; keep figures beside the incident file",
        ),
        (
            "figures/../../secret.png",
            "inc.yml:15:20: error: figure path leaves the incident's folder; keep figures beside the incident file",
        ),
        (
            "/etc/passwd",
            "inc.yml:15:20: error: figure path must be relative to the incident file, not absolute or a URL",
        ),
        (
            "file:///etc/passwd",
            "inc.yml:15:20: error: figure path must be relative to the incident file, not absolute or a URL",
        ),
        (
            "C:\\Windows\\win.ini",
            "inc.yml:15:20: error: figure path must be relative to the incident file, not absolute or a URL",
        ),
        (
            "https://evil.example.com/x.png",
            "inc.yml:15:20: error: figure path must be relative to the incident file, not absolute or a URL",
        ),
    ],
)
def test_paths_that_leave_the_folder_are_positioned_validation_errors(
    tmp_path: Path, figure: str, message: str
) -> None:
    path = make_case(tmp_path, figure)
    code, _, err = render(path)
    assert code == 1, err
    assert err.splitlines()[0] == message
    assert CANARY.encode() not in outputs(path)


def _link_out(tmp_path: Path) -> Path:
    path = make_case(tmp_path, "figures/chart.png")
    os.symlink(tmp_path / "secret.png", path.parent / "figures" / "chart.png")
    return path


def _dev_zero(tmp_path: Path) -> Path:
    path = make_case(tmp_path, "figures/chart.png")
    os.symlink("/dev/zero", path.parent / "figures" / "chart.png")
    return path


def _dir_link_out(tmp_path: Path) -> Path:
    path = make_case(tmp_path, "shared/secret.png")
    os.symlink(tmp_path, path.parent / "shared")
    return path


def _directory(tmp_path: Path) -> Path:
    path = make_case(tmp_path, "figures")
    return path


@pytest.mark.parametrize(
    ("build", "reason"),
    [
        (_link_out, "it is a link that leads outside the incident's folder"),
        (_dev_zero, "it is a link that leads outside the incident's folder"),
        (_dir_link_out, "it is a link that leads outside the incident's folder"),
        (_directory, "not a regular file"),
    ],
    ids=["symlink-out", "dev-zero", "folder-symlink-out", "a-directory"],
)
@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_unusable_figures_are_left_out_with_a_warning(tmp_path: Path, build: object, reason: str, fmt: str) -> None:
    path = build(tmp_path)  # type: ignore[operator]
    code, out, err = render(path, fmt, seconds=120)
    assert code == 0, err
    assert "wrote out/inc." + fmt in out
    assert "inc.yml: warning: figure '" in err, err
    assert reason in err, err
    assert CANARY.encode() not in outputs(path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_figure_that_is_a_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    path = make_case(tmp_path, "figures/chart.png")
    os.mkfifo(path.parent / "figures" / "chart.png")
    code, _, err = render(path, seconds=20)
    assert code == 0 and "not a regular file" in err


def test_a_figure_over_the_size_limit_is_refused_and_the_flag_raises_it(tmp_path: Path) -> None:
    path = make_case(tmp_path, "figures/big.png")
    from PIL import Image

    Image.effect_noise((900, 900), 100).convert("RGB").save(path.parent / "figures" / "big.png")  # ~2.4 MB
    size = (path.parent / "figures" / "big.png").stat().st_size
    code, _, err = render(path, "html", "--max-image-bytes", str(size - 1))
    assert code == 0 and f"{size} bytes is over the limit of {size - 1}" in err and "--max-image-bytes" in err
    code, _, err = render(path, "html", "--max-image-bytes", str(size))
    assert code == 0 and "refused" not in err
    assert b"data:image/png;base64," in outputs(path)


def test_a_decompression_bomb_image_renders_within_bounds(tmp_path: Path) -> None:
    """A 20000 x 20000 PNG of 48 KB: 400 megapixels if decoded."""
    from PIL import Image

    path = make_case(tmp_path, "figures/bomb.png")
    Image.new("1", (20_000, 20_000)).save(path.parent / "figures" / "bomb.png")
    proc = run_cli(["render", "-f", "pdf,html", "-o", "out", "inc.yml"], seconds=120, memory_mb=1500, cwd=path.parent)
    assert proc.returncode in (0, 2), proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_corrupt_image_in_html_is_embedded_as_bytes_and_nothing_crashes(tmp_path: Path) -> None:
    path = make_case(tmp_path, "figures/chart.png")
    (path.parent / "figures" / "chart.png").write_bytes(gen.CORRUPT_PNG)
    code, _, err = render(path, "html")
    assert code == 0, err


def test_a_corrupt_image_is_left_out_of_the_pdf_with_a_warning(tmp_path: Path) -> None:
    incident = load_incident(gen.to_yaml(gen.incident(figures=[{"path": "c.png", "caption": "c"}])), "c.yml")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pdf = render_pdf(incident, RenderOptions(figures={"c.png": gen.CORRUPT_PNG}))
    assert pdf.startswith(b"%PDF-")
    assert caught
