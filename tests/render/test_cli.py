"""``postmortem render`` and ``postmortem templates``: outputs, refusals, atomic writes, workers, --jobs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from postmortem.cli.app import app

from .helpers import AS_OF, FIXTURES, load

runner = CliRunner()
FIXED = ["--as-of", "2026-03-26"]


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def work(tmp_path: Path) -> Path:
    for name in ("full.yml", "minimal.yml", "blameful.yml", "hostile.yml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    shutil.copytree(FIXTURES / "figures", tmp_path / "figures")
    return tmp_path


def test_render_writes_three_formats_next_to_the_input(work: Path) -> None:
    code, out, _ = invoke("render", str(work / "full.yml"), *FIXED)
    assert code == 0
    for ext in ("md", "html", "pdf"):
        assert (work / f"full.{ext}").is_file()
        assert f"full.{ext}" in out
    assert (work / "full.pdf").read_bytes().startswith(b"%PDF-")
    assert not list(work.glob(".*.tmp"))


def test_an_output_folder_that_cannot_be_made_is_a_usage_error(work: Path) -> None:
    (work / "afile").write_text("")
    code, _, err = invoke("render", str(work / "minimal.yml"), "-f", "md", "-o", str(work / "afile" / "sub"), *FIXED)
    assert code == 2
    assert err == f"postmortem: error: --output {work / 'afile' / 'sub'}: cannot create the folder: Not a directory\n"


def test_an_empty_as_of_is_a_usage_error_not_today(work: Path) -> None:
    code, _, err = invoke("render", str(work / "minimal.yml"), "-f", "md", "--as-of", "")
    assert code == 2 and "--as-of '' is not a date" in err
    assert not (work / "minimal.md").exists()


def test_formats_output_dir_and_audience_suffix(work: Path) -> None:
    out_dir = work / "out"
    code, _, _ = invoke(
        "render", str(work / "full.yml"), "-f", "md,html", "-o", str(out_dir), "--audience", "public", *FIXED
    )
    assert code == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["full.public.html", "full.public.md"]


def test_bad_options_exit_2(work: Path) -> None:
    for args in (
        ["-f", "docx"],
        ["--audience", "board"],
        ["--tz", "Mars/Olympus"],
        ["--as-of", "yesterday"],
        ["--paper", "a3"],
        ["--pdf-variant", "pdf/x"],
        ["--template-dir", str(work / "nope")],
    ):
        code, _, err = invoke("render", str(work / "full.yml"), *args)
        assert code == 2, args
        assert "error" in err


def test_validation_errors_stop_rendering(work: Path) -> None:
    bad = work / "bad.yml"
    bad.write_text((work / "minimal.yml").read_text().replace("severity: low", "severity: tiny"))
    code, _, err = invoke("render", str(bad), *FIXED)
    assert code == 1
    assert "bad.yml:5:" in err and "not rendered" in err
    assert not list(work.glob("bad.*[!y][!m][!l]"))
    assert not (work / "bad.md").exists() and not (work / "bad.pdf").exists()


def test_lint_errors_stop_rendering_unless_allowed(work: Path) -> None:
    code, _, err = invoke("render", str(work / "blameful.yml"), "-f", "md", *FIXED)
    assert code == 1
    assert "blameful.yml:8:10: error: a person on the roster is named in summary" in err
    assert "--allow-lint-errors" in err
    assert not (work / "blameful.md").exists()
    code, _, err = invoke("render", str(work / "blameful.yml"), "-f", "md", "--allow-lint-errors", *FIXED)
    assert code == 0
    assert (work / "blameful.md").exists()
    assert "blameful.yml:8:10:" in err  # the findings are still printed


def test_never_overwrites_an_input(work: Path) -> None:
    src = work / "incident.html"
    shutil.copy(work / "minimal.yml", src)  # YAML in a file named .html (a .md one is refused as a draft)
    before = src.read_bytes()
    code, _, err = invoke("render", str(src), "-f", "html", *FIXED)
    assert code == 2 and "overwrite an input" in err
    assert src.read_bytes() == before


def test_two_inputs_with_the_same_stem_are_refused(work: Path) -> None:
    (work / "b").mkdir()
    shutil.copy(work / "minimal.yml", work / "b" / "minimal.yml")
    code, _, err = invoke(
        "render", str(work / "minimal.yml"), str(work / "b" / "minimal.yml"), "-o", str(work / "o"), "-f", "md", *FIXED
    )
    assert code == 2 and "would write it" in err


def test_a_clash_stops_the_run_before_any_input_is_read_or_rendered(work: Path) -> None:
    """The first input would pass lint and its PDF would start early: the clash must come first."""
    (work / "b").mkdir()
    (work / "b" / "full.yml").write_text("not: [an incident\n")  # unreadable: never reached
    out = work / "o"
    code, _, err = invoke("render", str(work / "full.yml"), str(work / "b" / "full.yml"), "-o", str(out), *FIXED)
    assert code == 2 and "would write it" in err
    assert "b/full.yml:" not in err  # the second input was not parsed
    assert not out.exists() or list(out.iterdir()) == []


def test_failed_render_keeps_the_last_good_file(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert invoke("render", str(work / "minimal.yml"), "-f", "pdf,md", *FIXED)[0] == 0
    good_pdf = (work / "minimal.pdf").read_bytes()
    good_md = (work / "minimal.md").read_bytes()

    import postmortem.render.pdf as render_pdf

    def boom(*_a: object, **_k: object) -> bytes:
        raise RuntimeError("simulated crash in the middle of rendering")

    # the second half of a PDF (WeasyPrint), which runs in the worker process
    monkeypatch.setattr(render_pdf, "finish_pdf", boom)
    code, _, err = invoke("render", str(work / "minimal.yml"), "-f", "pdf", *FIXED)
    assert code == 2 and "simulated crash" in err
    assert (work / "minimal.pdf").read_bytes() == good_pdf

    # A failure while writing (disk full) leaves the old file and no temporary file.
    real_fdopen = os.fdopen

    class Broken:
        def __init__(self, fh: object) -> None:
            self.fh = fh

        def __enter__(self) -> Broken:
            return self

        def __exit__(self, *exc: object) -> None:
            self.fh.close()  # type: ignore[attr-defined]

        def write(self, data: bytes) -> int:
            self.fh.write(data[: len(data) // 2])  # type: ignore[attr-defined]
            raise OSError(28, "No space left on device")

    monkeypatch.undo()
    monkeypatch.setattr(os, "fdopen", lambda fd, mode="r", *a, **k: Broken(real_fdopen(fd, mode, *a, **k)))
    code, _, err = invoke("render", str(work / "minimal.yml"), "-f", "md", *FIXED)
    monkeypatch.undo()
    assert code == 2 and "No space left" in err
    assert (work / "minimal.md").read_bytes() == good_md
    assert not list(work.glob(".minimal*"))


def test_template_dir_overrides_one_template(work: Path) -> None:
    tpl = work / "theme"
    (tpl / "partials").mkdir(parents=True)
    (tpl / "partials" / "summary.html.j2").write_text(
        '<section id="summary"><h2>Summary</h2><p class="custom">CUSTOM {{ v.id }}</p></section>\n'
    )
    code, _, _ = invoke("render", str(work / "minimal.yml"), "-f", "html", "--template-dir", str(tpl), *FIXED)
    assert code == 0
    html = (work / "minimal.html").read_text()
    assert "CUSTOM INC-2026-0001" in html and "At a glance" in html


@pytest.mark.parametrize(
    ("body", "line", "says"),
    [
        ("line one\n{% if %}\n", 2, ""),
        ("a\nb\n{{ v.no_such_field }}\n", 3, "'postmortem.render.context.View object' has no attribute"),
        ("a\n{{ 1 / 0 }}\n", 2, "ZeroDivisionError: division by zero"),
        ("a\nb\n{% include 'nope.j2' %}\n", 3, "template 'nope.j2' not found in the --template-dir or the built-in"),
    ],
)
def test_template_errors_name_the_file_and_line(work: Path, body: str, line: int, says: str) -> None:
    tpl = work / "theme"
    tpl.mkdir()
    (tpl / "incident.md.j2").write_text(body)
    code, _, err = invoke("render", str(work / "minimal.yml"), "-f", "md", "--template-dir", str(tpl), *FIXED)
    assert code == 2
    assert f"incident.md.j2:{line}: template error: {says}" in err
    assert "Traceback" not in err
    assert not (work / "minimal.md").exists()


def test_templates_export_copies_the_builtins(tmp_path: Path) -> None:
    code, _, err = invoke("templates", "export", str(tmp_path / "t"))
    assert code == 0
    assert (tmp_path / "t" / "incident.html.j2").is_file()
    assert (tmp_path / "t" / "partials" / "timeline.html.j2").is_file()
    assert (tmp_path / "t" / "pdf.css").is_file()
    code, _, err = invoke("templates", "export", str(tmp_path / "t"))
    assert code == 2 and "--force" in err
    assert invoke("templates", "export", str(tmp_path / "t"), "--force")[0] == 0
    code, out, _ = invoke("templates", "list")
    assert "incident.md.j2" in out.splitlines()


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "PYTHONWARNINGS": "ignore"}
    return subprocess.run(
        [sys.executable, "-m", "postmortem", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=300
    )


def test_jobs_renders_in_parallel_and_reports_every_file(work: Path) -> None:
    for i in range(3):
        shutil.copy(work / "minimal.yml", work / f"m{i}.yml")
    bad = work / "m9.yml"
    bad.write_text("not: [valid")
    proc = _run("render", *(str(work / f"m{i}.yml") for i in range(3)), str(bad), "-f", "md,html", "-j", "2", *FIXED)
    assert proc.returncode == 2, proc.stderr  # the unparseable file is a tool error; the others still render
    for i in range(3):
        assert (work / f"m{i}.md").is_file() and (work / f"m{i}.html").is_file()
    assert "m9.yml:1:" in proc.stderr
    assert "rendering [" not in proc.stderr  # no progress bar when stderr is not a terminal


def _modules_after(*args: str) -> tuple[object, list[str]]:
    """``postmortem ARGS`` run in a new Python: its exit code and the modules it had imported by the end."""
    code = (
        "import json, runpy, sys\n"
        "sys.argv = ['postmortem', *sys.argv[1:]]\n"
        "status = 0\n"
        "try:\n    runpy.run_module('postmortem', run_name='__main__')\n"
        "except SystemExit as exc:\n    status = exc.code\n"
        "print(json.dumps([status, sorted(sys.modules)]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    status, modules = json.loads(proc.stdout.splitlines()[-1])
    return status, modules


def test_a_pdf_is_made_in_a_worker_process(work: Path) -> None:
    """The main process parses and lints; WeasyPrint is imported and run only in the worker."""
    status, modules = _modules_after("render", str(work / "minimal.yml"), "-f", "pdf", "-q", *FIXED)
    assert status in (0, None)
    assert [m for m in modules if m.split(".")[0] == "weasyprint"] == []
    assert (work / "minimal.pdf").read_bytes().startswith(b"%PDF-")


def test_workers_start_when_a_pdf_is_asked_for_or_jobs_can_share_the_work() -> None:
    import multiprocessing

    from postmortem.cli.cmd_render import start_workers

    assert start_workers(["md", "html"], 1, 5) is None  # Markdown and HTML take milliseconds
    assert start_workers(["md"], 4, 1) is None  # one document: nothing to share
    # With PDFs, the workers get only the PDFs: one per document at most.
    for formats, jobs, inputs, expected in ((["pdf"], 1, 1, 1), (["pdf", "md"], 8, 2, 2), (["pdf"], 2, 5, 2)):
        pool = start_workers(formats, jobs, inputs)
        assert pool is not None
        try:
            # PDF workers start at once, to import WeasyPrint while the inputs are read.
            assert len(multiprocessing.active_children()) == expected, (formats, jobs, inputs)
        finally:
            pool.shutdown()
    pool = start_workers(["md", "html"], 2, 3)
    assert pool is not None
    pool.shutdown()
    assert multiprocessing.active_children() == []


def test_with_pdfs_the_workers_get_only_the_prepared_pdfs(work: Path) -> None:
    """Markdown and HTML render in the main process meanwhile; without a PDF, --jobs shares everything."""
    from concurrent.futures import Future

    from postmortem.cli.cmd_render import PreparedPdf, Task, _Progress, run_tasks
    from postmortem.render import RenderOptions

    class Pool:
        def __init__(self) -> None:
            self.submitted: list[object] = []

        def submit(self, fn: Callable[[object], object], task: object) -> Future[object]:
            self.submitted.append(task)
            done: Future[object] = Future()
            done.set_result(fn(task))
            return done

    incident = load(work / "minimal.yml")
    options = RenderOptions(as_of=AS_OF)
    tasks = [Task("minimal.yml", fmt, str(work / f"out.{fmt}"), incident, options) for fmt in ("md", "html", "pdf")]
    pool = Pool()
    outcomes = run_tasks(tasks, pool, _Progress(3, False))  # type: ignore[arg-type]
    assert [type(t) for t in pool.submitted] == [PreparedPdf]
    assert [(o.target, o.ok) for o in outcomes] == [(t.target, True) for t in tasks]
    assert (work / "out.pdf").read_bytes().startswith(b"%PDF-")
    pool = Pool()
    run_tasks(tasks[:2], pool, _Progress(2, False))  # type: ignore[arg-type]
    assert [t.fmt for t in pool.submitted] == ["md", "html"]  # type: ignore[attr-defined]


def test_a_pool_that_breaks_while_pdfs_are_handed_over_fails_those_documents(work: Path) -> None:
    from concurrent.futures.process import BrokenProcessPool

    from postmortem.cli.cmd_render import Task, _Progress, run_tasks
    from postmortem.render import RenderOptions

    class Broken:
        def submit(self, fn: object, task: object) -> None:
            raise BrokenProcessPool("A child process terminated abruptly")

    incident = load(work / "minimal.yml")
    tasks = [
        Task("minimal.yml", fmt, str(work / f"out.{fmt}"), incident, RenderOptions(as_of=AS_OF))
        for fmt in ("pdf", "md")
    ]
    outcomes = run_tasks(tasks, Broken(), _Progress(2, False))  # type: ignore[arg-type]
    assert not outcomes[0].ok and "worker failed" in (outcomes[0].error or "")
    assert outcomes[1].ok and (work / "out.md").is_file()  # rendered in the main process all the same


def test_the_worker_imports_weasyprint_in_the_background(tmp_path: Path) -> None:
    """The warm-up returns at once (the worker can exit or take a task), and the import happens once."""
    log = tmp_path / "imported.log"
    (tmp_path / "weasyprint.py").write_text(
        f"import time\nwith open({str(log)!r}, 'a') as f:\n    f.write('imported\\n')\ntime.sleep(2)\n"
    )
    code = (
        "import sys, threading\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from postmortem.cli.cmd_render import _warm_up\n"
        "_warm_up()\n"
        "background = [t.name for t in threading.enumerate() if t.daemon and t.is_alive()]\n"
        "import weasyprint\n"  # waits for the background import instead of running the module twice
        # the warm-up captures stdout, for the whole process, while it imports: print only once it is over
        "[t.join() for t in threading.enumerate() if t.name == 'import-weasyprint']\n"
        "print('BACKGROUND', background)\n"
        "print('MODULE', weasyprint.__file__)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert "BACKGROUND ['import-weasyprint']" in proc.stdout, (proc.stdout, proc.stderr)
    assert f"MODULE {tmp_path / 'weasyprint.py'}" in proc.stdout
    assert log.read_text() == "imported\n"


@pytest.mark.parametrize("join", [False, True])
def test_the_worker_imports_pypdf_ahead_only_when_a_pdf_may_be_drawn_in_two(tmp_path: Path, join: bool) -> None:
    (tmp_path / "weasyprint.py").write_text("")  # a stand-in: only what is imported after it matters here
    code = (
        "import sys, threading\n"
        "sys.path.insert(0, sys.argv[1])\n"
        "from postmortem.cli.cmd_render import _warm_up\n"
        f"_warm_up(None, {join})\n"
        "[t.join() for t in threading.enumerate() if t.name == 'import-weasyprint']\n"
        "print('PYPDF', 'pypdf' in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert f"PYPDF {join}" in proc.stdout, (proc.stdout, proc.stderr)


def test_a_refused_render_leaves_no_worker_behind(work: Path) -> None:
    import multiprocessing

    code, _, err = invoke("render", str(work / "blameful.yml"), "-f", "pdf", *FIXED)
    assert code == 1 and "not rendered" in err
    assert not (work / "blameful.pdf").exists()
    assert multiprocessing.active_children() == []


def test_a_pdf_goes_to_its_worker_before_the_input_is_linted(work: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker parses the PDF's HTML while the main process lints; the PDF is written once lint passes."""
    import postmortem.lint
    from postmortem.cli import cmd_render

    events: list[str] = []
    start, lint = cmd_render.EarlyPdfs.start, postmortem.lint.lint_document_with_suppressions

    def recorded_start(self: cmd_render.EarlyPdfs, index: int, task: cmd_render.Task) -> None:
        events.append(f"start {task.fmt}")
        start(self, index, task)

    def recorded_lint(*args: object, **kwargs: object) -> object:
        events.append("lint")
        return lint(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cmd_render.EarlyPdfs, "start", recorded_start)
    monkeypatch.setattr(postmortem.lint, "lint_document_with_suppressions", recorded_lint)
    code, _, err = invoke("render", str(work / "full.yml"), "-f", "md,pdf", *FIXED)
    assert code == 0, err
    assert events == ["start pdf", "lint"]
    assert (work / "full.pdf").read_bytes().startswith(b"%PDF-") and (work / "full.md").is_file()


def test_of_two_inputs_only_the_one_lint_refuses_is_left_unrendered(work: Path) -> None:
    import multiprocessing

    code, _, err = invoke("render", str(work / "blameful.yml"), str(work / "full.yml"), "-f", "pdf", "-j", "2", *FIXED)
    assert code == 1 and "blameful.yml: not rendered" in err
    assert not (work / "blameful.pdf").exists()
    assert (work / "full.pdf").read_bytes().startswith(b"%PDF-")
    assert multiprocessing.active_children() == []


def test_a_worker_lays_out_a_gated_pdf_only_once_the_gate_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    from postmortem.cli import cmd_render

    gates = cmd_render.Gates(3)
    monkeypatch.setattr(cmd_render, "_WORKER_GATES", (gates.array, os.getppid()))
    gates.decide(0, go=True)
    cmd_render._wait_at_gate(0)  # returns: the input passed
    gates.decide(1, go=False)
    with pytest.raises(cmd_render.NotRendered):
        cmd_render._wait_at_gate(1)
    t = time.monotonic()  # before the timer starts, so that a slow start cannot shorten what is measured
    timer = threading.Timer(0.05, gates.decide, (2, True))
    timer.start()
    cmd_render._wait_at_gate(2)  # waits for the decision
    assert time.monotonic() - t >= 0.04  # a timed wait may end a hair early
    timer.join()


def test_a_gate_left_undecided_never_keeps_a_worker_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    from postmortem.cli import cmd_render

    gates = cmd_render.Gates(2)
    gates.decide(0, go=True)
    gates.shut_pending()  # what the command does when a run is cut short
    assert list(gates.array) == [cmd_render.GO, cmd_render.REFUSED]
    # A worker whose command is gone (its parent is no longer the one that started it) stops too.
    fresh = cmd_render.Gates(1)
    monkeypatch.setattr(cmd_render, "_WORKER_GATES", (fresh.array, -1))
    with pytest.raises(cmd_render.NotRendered):
        cmd_render._wait_at_gate(0)


def test_validate_and_lint_do_not_import_the_renderer(work: Path) -> None:
    for command in ("validate", "lint"):
        _, modules = _modules_after(command, str(work / "full.yml"))
        heavy = [
            m
            for m in modules
            if m.split(".")[0] in ("weasyprint", "jinja2", "pydyf", "tinycss2") or m.startswith("postmortem.render")
        ]
        assert heavy == [], (command, heavy)


def test_the_public_version_is_labelled_public_whatever_the_internal_label(tmp_path: Path) -> None:
    """The incident's and the config's labels classify the internal document, not the customer copy."""
    src = tmp_path / "incident.yml"
    text = (FIXTURES / "full.yml").read_text(encoding="utf-8")
    src.write_text(text.replace("\ntitle:", '\nconfidentiality: "Confidential - internal only"\ntitle:', 1))
    (tmp_path / ".postmortem.toml").write_text('confidentiality = "Internal - do not forward"\n')

    def label(*extra: str) -> str:
        out = tmp_path / f"out{len(extra)}"
        result = CliRunner().invoke(app, ["render", str(src), "-f", "md", "-o", str(out), *FIXED, *extra])
        assert result.exit_code == 0, result.output
        md = next(out.glob("*.md")).read_text(encoding="utf-8")
        return re.search(r"\| Confidentiality \| (.*?) \|", md).group(1)  # type: ignore[union-attr]

    assert label() == "Confidential - internal only"
    assert label("--audience", "public") == "Public"
    assert label("--audience", "public", "--confidentiality", "TLP:CLEAR") == "TLP:CLEAR"


def test_config_sets_display_zone_and_confidentiality(tmp_path: Path) -> None:
    """``timezone`` and ``confidentiality`` in .postmortem.toml reach the rendering; flags win."""
    src = tmp_path / "incident.yml"
    src.write_text((FIXTURES / "full.yml").read_text(encoding="utf-8"))
    (tmp_path / ".postmortem.toml").write_text('timezone = "Asia/Tokyo"\nconfidentiality = "Restricted: board only"\n')
    result = CliRunner().invoke(
        app, ["render", str(src), "-f", "md", "-o", str(tmp_path / "out"), "--as-of", "2026-04-01"]
    )
    assert result.exit_code == 0, result.output
    md = (tmp_path / "out" / "incident.md").read_text(encoding="utf-8")
    assert "Asia/Tokyo" in md
    assert "| Confidentiality | Restricted: board only |" in md
    result = CliRunner().invoke(
        app,
        ["render", str(src), "-f", "md", "-o", str(tmp_path / "flag"), "--tz", "Europe/Paris", "--as-of", "2026-04-01"],
    )
    assert result.exit_code == 0, result.output
    flagged = (tmp_path / "flag" / "incident.md").read_text(encoding="utf-8")
    assert "Europe/Paris" in flagged and "Asia/Tokyo" not in flagged


def test_an_exception_from_the_projects_own_code_under_a_template_is_not_a_template_error(tmp_path: Path) -> None:
    """A filter that raises is a bug of ours, not a fault of the template that called it."""
    from jinja2 import Environment, FileSystemLoader

    from postmortem.render.env import template_error_message

    def broken(value: object) -> str:
        raise KeyError("a bug")

    (tmp_path / "filter.md.j2").write_text("a\n{{ 1 | broken }}\n")
    (tmp_path / "divide.md.j2").write_text("a\n{{ 1 / 0 }}\n")
    env = Environment(loader=FileSystemLoader(str(tmp_path)))
    env.filters["broken"] = broken
    with pytest.raises(KeyError) as caught:
        env.get_template("filter.md.j2").render()
    assert template_error_message(caught.value) is None
    with pytest.raises(ZeroDivisionError) as in_template:
        env.get_template("divide.md.j2").render()
    said = template_error_message(in_template.value)
    assert said == f"{tmp_path / 'divide.md.j2'}:2: template error: ZeroDivisionError: division by zero"


@pytest.mark.parametrize("command", ["render", "validate"])
def test_a_markdown_draft_is_refused_by_name_not_as_bad_yaml(work: Path, command: str) -> None:
    draft = work / "draft.md"
    draft.write_text("# Notes\n\nThe deploy went out.\n")
    code, _, err = invoke(command, str(draft))
    assert code == 2
    assert err.startswith(f"{draft}:1:1: error: a Markdown draft is not an incident file; `postmortem lint` checks")


def test_the_same_input_named_twice_renders_once(work: Path) -> None:
    code, out, err = invoke(
        "render", str(work / "minimal.yml"), str(work / ".." / work.name / "minimal.yml"), "-f", "md", *FIXED
    )
    assert code == 0, err
    assert "would write it" not in err and out.count("wrote ") == 1


@pytest.mark.parametrize("where", ["beside", "out", "nested"])
def test_the_markdowns_figure_links_work_where_it_is_written(tmp_path: Path, where: str) -> None:
    """The README's own command writes the sample's Markdown into out/: its figure must still show."""
    root = Path(__file__).resolve().parents[2]
    src = tmp_path / "incidents" / "db.yml"
    shutil.copytree(root / "samples" / "figures", src.parent / "figures")
    shutil.copy(root / "samples" / "db-connection-pool-exhaustion.yml", src)
    out = {"beside": None, "out": tmp_path / "out", "nested": src.parent / "figures" / "md"}[where]
    args = ["render", str(src), "-f", "md", *FIXED] + (["-o", str(out)] if out else [])
    code, _, err = invoke(*args)
    assert code == 0, err
    md_file = (out or src.parent) / "db.md"
    links = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md_file.read_text(encoding="utf-8"))
    assert links, "the sample has a figure"
    for link in links:
        assert (md_file.parent / link).resolve() == (src.parent / "figures" / "db-pool-waiting-clients.svg").resolve()
    if where == "beside":
        assert links == ["figures/db-pool-waiting-clients.svg"]
