"""``postmortem render FILES...``: validate, lint, then write Markdown, HTML and PDF.

The main process reads, validates and lints every file and reads its figures
(sandboxed).  A PDF renders in a worker process (``--jobs`` of them, at least one):
the workers start before the first input is read and import WeasyPrint while the
main process parses and validates each input and makes its PDF's HTML, on a second
core.  A worker gets the HTML before the input is linted and parses it meanwhile,
then lays the PDF out only if lint passed (:class:`Gates`).  The workers get the
PDFs only, and the Markdown and HTML render here meanwhile.  Without a PDF,
``--jobs`` hands every document to the workers.  Every output goes through
:func:`postmortem.cli.io.write_atomic`, so a failed render never leaves a partial
file nor replaces the last good one.

Output names: ``<stem>.md``, ``<stem>.html``, ``<stem>.pdf`` for the internal
audience, ``<stem>.<audience>.<ext>`` for the others (``<stem>.public.pdf``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, TypeVar

import typer

from postmortem.cli.limits import MAX_BYTES, MAX_DEPTH, MAX_NODES, Limits, MaxBytes, MaxDepth, MaxNodes
from postmortem.diagnostics import ExitCode, PostmortemError, Severity

if TYPE_CHECKING:  # pragma: no cover
    from concurrent.futures import Future, ProcessPoolExecutor

    from postmortem.lint.config import LintConfig
    from postmortem.model.incident import Incident
    from postmortem.render.options import RenderOptions
    from postmortem.render.pdf import PdfSource

T = TypeVar("T")

FORMATS = ("md", "html", "pdf")
EXTENSIONS = {"md": ".md", "html": ".html", "pdf": ".pdf"}


@dataclass(frozen=True)
class Task:
    """One document to render and write; picklable for the worker processes."""

    source: str
    fmt: str
    target: str
    incident: Incident
    options: RenderOptions


@dataclass(frozen=True)
class PreparedPdf:
    """A PDF task once its HTML is made (:func:`prepare_task`): all a worker needs, without the incident."""

    source: str
    target: str
    pdf: PdfSource
    warnings: tuple[str, ...]
    gate: int | None = None
    """The input's slot in the run's :class:`Gates` when the PDF starts before the input is linted."""
    draw_processes: int = 1
    """2 when the worker may draw a long PDF's pages with a forked helper (:func:`drawing_processes`)."""
    fmt: ClassVar[str] = "pdf"


@dataclass
class Outcome:
    task_source: str
    target: str
    ok: bool
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def output_name(stem: str, fmt: str, audience: str) -> str:
    """``<stem>.<ext>``, with ``.<audience>`` before the extension unless the audience is internal."""
    suffix = "" if audience == "internal" else f".{audience}"
    return f"{stem}{suffix}{EXTENSIONS[fmt]}"


def parse_formats(value: str) -> list[str]:
    wanted: list[str] = []
    for part in value.replace(" ", "").lower().split(","):
        if part == "all":
            wanted += FORMATS
        elif part in FORMATS:
            wanted.append(part)
        elif part == "markdown":
            wanted.append("md")
        else:
            raise ValueError(f"unknown format {part!r}; use md, html, pdf or all")
    return list(dict.fromkeys(wanted)) or list(FORMATS)


def prepare_task(task: Task) -> Task | PreparedPdf | Outcome:
    """A PDF task with its HTML made here, or the outcome of failing to make it; other tasks as they are.

    Building the view and the HTML takes a quarter of a second for a long timeline: done here, it
    overlaps the worker's import of WeasyPrint, which can start laying out as soon as it has the HTML.
    """
    if task.fmt != "pdf":
        return task
    from postmortem.render.pdf import prepare_pdf

    result = _attempt(task.fmt, lambda: prepare_pdf(task.incident, task.options))
    if isinstance(result, str):
        return Outcome(task.source, task.target, ok=False, error=result)
    source, caught = result
    return PreparedPdf(task.source, task.target, source, tuple(caught))


def render_task(task: Task | PreparedPdf) -> Outcome:
    """Render one document (a PDF once prepared) and write it atomically.  Failures come back in the outcome."""
    from postmortem.cli.io import write_atomic

    outcome = Outcome(task.source, task.target, ok=False)
    result = _attempt(task.fmt, lambda: _render(task))
    if isinstance(result, str):
        outcome.error = result
        return outcome
    data, caught = result
    earlier = task.warnings if isinstance(task, PreparedPdf) else ()
    outcome.warnings = list(dict.fromkeys([*earlier, *caught]))
    try:
        write_atomic(task.target, data)
    except typer.Exit:
        outcome.error = f"cannot write {task.target}"
    except OSError as exc:
        outcome.error = f"cannot write {task.target}: {exc.strerror or exc}"
    else:
        outcome.ok = True
    return outcome


def _render(task: Task | PreparedPdf) -> bytes:
    if isinstance(task, PreparedPdf):
        # First: in a worker, this waits for the import of WeasyPrint begun by _warm_up.
        from postmortem.render.pdf import finish_pdf

        gate = None if task.gate is None else functools.partial(_wait_at_gate, task.gate)
        return finish_pdf(task.pdf, before_layout=gate, draw_processes=task.draw_processes)
    from postmortem.render import render_html, render_markdown

    if task.fmt == "md":
        return render_markdown(task.incident, task.options).encode("utf-8")
    if task.fmt == "html":
        return render_html(task.incident, task.options).encode("utf-8")
    raise ValueError("a PDF task goes through prepare_task first")


def _attempt(fmt: str, step: Callable[[], T]) -> tuple[T, list[str]] | str:
    """``step()`` and the render warnings it gave, or the message for the user if it failed."""
    from postmortem.render.env import template_error_message

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = step()
    except Exception as exc:
        return template_error_message(exc) or f"cannot render {fmt}: {type(exc).__name__}: {_first_line(exc)}"
    return value, list(dict.fromkeys(str(w.message) for w in caught if _is_render_warning(w.category)))


def _is_render_warning(category: type[Warning]) -> bool:
    from postmortem.render import RenderWarning

    return issubclass(category, RenderWarning)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _config_for(path: str) -> LintConfig:
    """The config ``postmortem lint`` would use for ``path`` (a bad config exits 2, positioned)."""
    from postmortem.cli.cmd_lint import _Configs
    from postmortem.cli.io import input_folder

    folder = input_folder(path)
    return _Configs(None).for_dir(folder if str(folder) else Path("."))


def _already_refused(message: str, paths: list[str] | tuple[str, ...]) -> bool:
    """The renderer's "not provided" warning for a figure the reader already reported as refused."""
    return any(message.startswith(f"figure {p!r} was not provided") for p in paths)


class _Progress:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.done = 0
        self.enabled = enabled and total > 1

    def step(self) -> None:
        self.done += 1
        if self.enabled:
            width = 30
            filled = width * self.done // self.total
            sys.stderr.write(f"\rrendering [{'#' * filled}{' ' * (width - filled)}] {self.done}/{self.total}")
            sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\r" + " " * 60 + "\r")
            sys.stderr.flush()


PENDING, GO, REFUSED = 0, 1, 2


class Gates:
    """One byte per input, shared with the workers (``multiprocessing.sharedctypes.RawArray``).

    A PDF is handed to a worker as soon as its HTML is made, before its input is linted: the
    worker parses the HTML (WeasyPrint's first step) while this process lints, then waits at the
    input's gate before laying the pages out.  :meth:`decide` opens or shuts it; :meth:`shut_pending`
    shuts every gate still undecided, so that no worker waits for a decision that will not come.
    """

    def __init__(self, inputs: int) -> None:
        from multiprocessing.sharedctypes import RawArray

        self.array: Any = RawArray("b", max(1, inputs))

    def decide(self, index: int, go: bool) -> None:
        self.array[index] = GO if go else REFUSED

    def shut_pending(self) -> None:
        for i in range(len(self.array)):
            if self.array[i] == PENDING:
                self.array[i] = REFUSED


class NotRendered(Exception):
    """Raised in a worker at the gate of an input that will not render (lint refused it)."""


# In a worker process: the run's gates and the process that started the worker (set by _warm_up).
_WORKER_GATES: tuple[Any, int] | None = None


def _wait_at_gate(index: int) -> None:
    """In a worker, before layout: wait until the main process has linted the input, or stop."""
    assert _WORKER_GATES is not None, "a gated PDF outside a worker"
    gates, parent = _WORKER_GATES
    while (state := gates[index]) == PENDING:
        if os.getppid() != parent:  # the command is gone; nobody will decide
            break
        time.sleep(0.002)
    if state != GO:
        raise NotRendered(f"input {index} was not cleared to render")


def start_workers(
    formats: list[str], jobs: int, inputs: int, gates: Gates | None = None, *, join: bool = False
) -> ProcessPoolExecutor | None:
    """The worker processes for this run, started now, or None to render in this process.

    A PDF always renders in a worker, which imports WeasyPrint (half a second) in a background
    thread while this process reads and validates the inputs and makes the PDF's HTML; on two
    cores that time is hidden.  With PDFs, each worker keeps ``gates`` (see :class:`Gates`), and with
    ``join`` (a PDF may be drawn by two processes: :func:`drawing_processes`) also imports pypdf.
    The workers then get the PDFs only.  Markdown and HTML alone render here unless ``--jobs``
    asks for more than one process and there is more than one document.
    """
    pdf = "pdf" in formats
    tasks = inputs if pdf else inputs * len(formats)
    if not pdf and (jobs <= 1 or tasks <= 1):
        return None
    from concurrent.futures import ProcessPoolExecutor

    # Forked workers inherit it: it unpickles a prepared PDF and imports WeasyPrint.
    import postmortem.render.pdf  # noqa: F401

    workers = max(1, min(jobs, tasks))
    if not pdf:
        return ProcessPoolExecutor(max_workers=workers)
    shared = gates.array if gates is not None else None
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_warm_up, initargs=(shared, join))
    # Workers start on the first submit (all at once when forked, one per submit when
    # spawned); submit one no-op each so that they import while the inputs are read.
    for _ in range(workers):
        pool.submit(int)
    return pool


def _warm_up(gates: Any = None, join: bool = False) -> None:
    """Worker initializer: keep the run's gates, and import WeasyPrint in a daemon thread.

    The worker stays free to take a task (whose own ``import weasyprint`` waits for this one,
    under the import system's lock) or to exit at once when the run renders nothing.
    """
    import threading

    global _WORKER_GATES
    if gates is not None:
        _WORKER_GATES = (gates, os.getppid())

    threading.Thread(target=_import_weasyprint, args=(join,), name="import-weasyprint", daemon=True).start()


def _import_weasyprint(join: bool = False) -> None:
    import contextlib

    from postmortem.render.pdf import import_weasyprint

    # If it fails (no Pango, say), the task's own import fails again and the outcome reports it.
    with contextlib.suppress(Exception):
        import_weasyprint()
        if join:  # what joins a PDF drawn in two processes (0.08 s), while the worker waits for its HTML anyway
            import pypdf  # noqa: F401


def drawing_processes(pdfs: int) -> int:
    """How many processes may draw one PDF's pages: 2 when the run makes one PDF and two CPUs are ours.

    With one PDF, this process only waits for it and the second CPU would be idle; with more, the
    ``--jobs`` workers share the CPUs.  The split itself is decided once the PDF is laid out
    (:func:`postmortem.render.pdf_split.can_split`: eight pages or more, Linux, no PDF variant).
    """
    if pdfs != 1 or not hasattr(os, "sched_getaffinity"):
        return 1
    return 2 if len(os.sched_getaffinity(0)) >= 2 else 1


def hand_over(
    pool: ProcessPoolExecutor, task: Task, gate: int | None = None, draw_processes: int = 1
) -> Future[Outcome] | Outcome:
    """Submit a task to the workers, a PDF once its HTML is made here (waiting at ``gate`` if given).

    The outcome instead when the HTML cannot be made (a template error) or the pool is broken (a
    worker killed): reported with the others.
    """
    ready = prepare_task(task)
    if isinstance(ready, Outcome):
        return ready
    if isinstance(ready, PreparedPdf):
        ready = dataclasses.replace(ready, gate=gate, draw_processes=draw_processes)
    try:
        return pool.submit(render_task, ready)
    except Exception as exc:  # the pool broke while PDFs were being prepared
        return _worker_failed(task, exc)


class EarlyPdfs:
    """The PDFs handed to the workers while their inputs were planned, by target (see :class:`Gates`)."""

    def __init__(self, pool: ProcessPoolExecutor, gates: Gates, draw_processes: int = 1) -> None:
        self.pool = pool
        self.gates = gates
        self.draw_processes = draw_processes
        self.started: dict[str, Future[Outcome] | Outcome] = {}

    def start(self, index: int, task: Task) -> None:
        """Hand the PDF to a worker now; it waits at gate ``index`` before layout."""
        self.started[task.target] = hand_over(self.pool, task, gate=index, draw_processes=self.draw_processes)

    def decide(self, index: int, tasks: list[Task], go: bool) -> None:
        """Open the input's gate, or shut it and forget its PDF (the worker stops at the gate)."""
        self.gates.decide(index, go)
        if not go:
            for task in tasks:
                self.started.pop(task.target, None)


def run_tasks(
    tasks: list[Task],
    pool: ProcessPoolExecutor | None,
    progress: _Progress,
    early: EarlyPdfs | None = None,
    draw_processes: int = 1,
) -> list[Outcome]:
    """Render every task, in the worker processes if there are any; always waits for all of them.

    With PDFs to make, the workers get only those (their HTML made here first, one by one, unless
    ``early`` already handed them over), and the Markdown and HTML are rendered here in the
    meantime.  Without, the workers get everything.
    """
    with_pdf = any(t.fmt == "pdf" for t in tasks)
    remote = set() if pool is None else {i for i, t in enumerate(tasks) if t.fmt == "pdf" or not with_pdf}
    results: dict[int, Outcome] = {}
    futures = {}
    for i in sorted(remote):
        started = early.started.get(tasks[i].target) if early is not None else None
        if started is None:
            assert pool is not None
            started = hand_over(pool, tasks[i], draw_processes=draw_processes)
        if isinstance(started, Outcome):
            results[i] = started
            progress.step()
        else:
            futures[started] = i
    for i in (i for i in range(len(tasks)) if i not in remote):
        ready = prepare_task(tasks[i])
        results[i] = ready if isinstance(ready, Outcome) else render_task(ready)
        progress.step()
    if futures:
        from concurrent.futures import as_completed

        for fut in as_completed(futures):
            i = futures[fut]
            try:
                results[i] = fut.result()
            except Exception as exc:  # a worker that died (killed, out of memory)
                results[i] = _worker_failed(tasks[i], exc)
            progress.step()
    return [results[i] for i in range(len(tasks))]


def _worker_failed(task: Task, exc: Exception) -> Outcome:
    return Outcome(task.source, task.target, False, error=f"worker failed: {exc!r}")


def render_cmd(
    files: Annotated[list[str], typer.Argument(help="Incident files (.yml, .yaml, .json).")],
    formats: Annotated[
        str, typer.Option("--format", "-f", help="Comma-separated formats: md, html, pdf, or all.")
    ] = "all",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Folder for the outputs; default: next to each input.")
    ] = None,
    template_dir: Annotated[
        Path | None,
        typer.Option(help="Folder of templates that override the built-ins one by one (see 'templates export')."),
    ] = None,
    audience: Annotated[str, typer.Option(help="internal, executive or public.")] = "internal",
    paper: Annotated[str, typer.Option(help="PDF paper size: a4 or letter.")] = "a4",
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Render this many documents in parallel.")] = 1,
    tz: Annotated[
        str | None, typer.Option("--tz", help="Extra time-zone column in the timeline, e.g. Europe/Paris.")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Date against which action items are overdue; default: today.")
    ] = None,
    pdf_variant: Annotated[
        str | None, typer.Option("--pdf-variant", help="pdf/a-3b (archiving) or pdf/ua-1 (accessibility).")
    ] = None,
    confidentiality: Annotated[
        str | None, typer.Option(help="Label on every page, unless the incident sets its own.")
    ] = None,
    max_image_bytes: Annotated[int, typer.Option(min=1, help="Largest figure embedded, in bytes.")] = 5 * 1024 * 1024,
    max_bytes: MaxBytes = MAX_BYTES,
    max_nodes: MaxNodes = MAX_NODES,
    max_depth: MaxDepth = MAX_DEPTH,
    allow_lint_errors: Annotated[
        bool, typer.Option("--allow-lint-errors", help="Render even when the linter finds errors (they are printed).")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print problems only.")] = False,
) -> None:
    """Render incidents to Markdown, a self-contained HTML page and a PDF.

    Validation errors always stop a file from rendering; lint errors do too, unless
    --allow-lint-errors. Outputs are <stem>.md/.html/.pdf, or <stem>.<audience>.<ext> for the
    executive and public audiences. Exit code 0 when everything rendered, 1 when a document has
    problems, 2 when the tool could not do its job (unreadable file, template error, bad option).
    """
    from postmortem.cli.io import fail_message, unique_inputs
    from postmortem.render.options import RenderOptions

    try:
        wanted = parse_formats(formats)
    except ValueError as exc:
        fail_message(str(exc))
    try:
        as_of_date = dt.date.fromisoformat(as_of) if as_of is not None else dt.date.today()
    except ValueError:
        fail_message(f"--as-of {as_of!r} is not a date such as 2026-03-14")
    if template_dir is not None and not template_dir.is_dir():
        fail_message(f"--template-dir {template_dir}: no such folder")
    if output is not None:
        if output.exists() and not output.is_dir():
            fail_message(f"--output {output}: not a folder")
        try:
            output.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a file in the way, a read-only parent, a path under /proc
            fail_message(f"--output {output}: cannot create the folder: {exc.strerror or exc}")
    try:
        base_options = RenderOptions(
            audience=audience,  # type: ignore[arg-type]
            paper=paper,  # type: ignore[arg-type]
            tz=tz,
            as_of=as_of_date,
            template_dir=template_dir.resolve() if template_dir else None,
            confidentiality=confidentiality,
            pdf_variant=pdf_variant,  # type: ignore[arg-type]
            max_image_bytes=max_image_bytes,
        )
    except ValueError as exc:
        fail_message(str(exc))

    limits = Limits(max_bytes=max_bytes, max_nodes=max_nodes, max_depth=max_depth)
    files = unique_inputs(files)
    targets = plan_targets(files, wanted, output, base_options.audience)
    gates = Gates(len(files)) if "pdf" in wanted else None
    draw = drawing_processes(len(files)) if "pdf" in wanted else 1
    pool = start_workers(wanted, jobs, len(files), gates, join=draw > 1)
    early = EarlyPdfs(pool, gates, draw) if pool is not None and gates is not None else None
    try:
        plan = plan_tasks(files, targets, limits, base_options, allow_lint_errors=allow_lint_errors, early=early)
        progress = _Progress(len(plan.tasks), sys.stderr.isatty() and not quiet)
        try:
            outcomes = run_tasks(plan.tasks, pool, progress, early, draw)
        finally:
            progress.close()
    finally:
        if gates is not None:
            gates.shut_pending()  # a run cut short: no worker waits for a decision
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    raise typer.Exit(int(max(plan.worst, report(outcomes, plan, quiet=quiet))))


@dataclass
class Plan:
    """What a render run will do: every document to make, and what the inputs already told the user."""

    tasks: list[Task] = field(default_factory=list)
    refused: dict[str, list[str]] = field(default_factory=dict)
    """Per source, the figures its reading refused (their "not provided" warnings are not repeated)."""
    worst: ExitCode = ExitCode.OK
    """The worst exit code of the inputs that will not render (unreadable, invalid, lint errors)."""


def _for_format(options: RenderOptions, fmt: str, target: str, folder: Path) -> RenderOptions:
    """The Markdown's options link its figures from where it is written (HTML and PDF embed them)."""
    if fmt != "md":
        return options
    base = Path(os.path.relpath(folder.resolve(), Path(target).parent.resolve())).as_posix()
    return dataclasses.replace(options, figure_link_base="" if base == "." else base)


def plan_targets(
    files: list[str], wanted: list[str], output: Path | None, audience: str
) -> list[list[tuple[str, str]]]:
    """Per input, the ``(format, path)`` of every document it will make; a clash stops the run first.

    Checked before any input is read, so that no PDF has started when the run stops: an input
    overwritten by an output, two inputs writing one file, or stdin without ``--output``.
    """
    from postmortem.cli.io import fail, fail_message, input_folder, refuse_markdown

    inputs = {Path(f).resolve() for f in files if f != "-"}
    planned: dict[Path, str] = {}
    per_input: list[list[tuple[str, str]]] = []
    for path in files:
        if path == "-" and output is None:
            fail_message("reading stdin (-) needs --output DIR")
        try:
            refuse_markdown(path)  # before its .md output is found to overwrite it
        except PostmortemError as exc:
            fail(exc.diagnostic)
        stem = Path(path).stem if path != "-" else "incident"
        out_dir = output if output is not None else input_folder(path)
        documents = []
        for fmt in wanted:
            name = output_name(stem, fmt, audience)
            target = (out_dir / name).resolve()
            if target in inputs:
                fail_message(f"{target}: would overwrite an input file; use --output DIR")
            if target in planned:
                fail_message(f"{target}: both {planned[target]} and {path} would write it; use separate runs")
            planned[target] = path
            documents.append((fmt, str(out_dir / name)))
        per_input.append(documents)
    return per_input


def plan_tasks(
    files: list[str],
    targets: list[list[tuple[str, str]]],
    limits: Limits,
    base_options: RenderOptions,
    *,
    allow_lint_errors: bool,
    early: EarlyPdfs | None = None,
) -> Plan:
    """Read, validate and lint every input (printing its findings) and list the documents to make.

    ``targets`` comes from :func:`plan_targets`.  With ``early``, an input's PDF is handed to a
    worker once the input validates, before it is linted: the worker parses the PDF's HTML while
    this process lints, and lays the pages out only if the input passes (see :class:`Gates`).
    """
    # Imported once the workers have started: the model alone takes a quarter of a second.
    from postmortem.cli.io import input_folder, parse_named, print_diagnostics
    from postmortem.diagnostics import sort_diagnostics
    from postmortem.lint import lint_document_with_suppressions
    from postmortem.model.validate import validate
    from postmortem.render.context import markdown_front_matter
    from postmortem.render.fetcher import collect_figures

    plan = Plan()
    for index, path in enumerate(files):
        doc = parse_named(path, limits, only=len(files) == 1)
        if doc is None:
            plan.worst = ExitCode.TOOL_ERROR
            continue
        result = validate(doc)
        if result.errors or result.incident is None:
            print_diagnostics(sort_diagnostics(result.diagnostics), sys.stderr)
            sys.stderr.write(f"{doc.source.name}: not rendered: it does not validate\n")
            plan.worst = max(plan.worst, ExitCode.PROBLEMS)
            continue
        config = _config_for(path)
        incident = result.incident
        folder = input_folder(path)
        figures, refusals = collect_figures(incident, folder, base_options.max_image_bytes)
        options = dataclasses.replace(
            base_options,
            figures=figures,
            # the command line wins over the config file
            tz=base_options.tz or config.timezone,
            # the config's label classifies internal documents, not the public version
            confidentiality=base_options.confidentiality
            or (config.confidentiality if base_options.audience != "public" else None),
        )
        tasks = [
            Task(doc.source.name, fmt, target, incident, _for_format(options, fmt, target, folder))
            for fmt, target in targets[index]
        ]
        if early is not None:
            for task in tasks:
                if task.fmt == "pdf":
                    early.start(index, task)
        # The Markdown writes the suppressions again over the text they cover, so that it lints clean too.
        findings, suppressions = lint_document_with_suppressions(
            doc, config, markdown_front_matter=markdown_front_matter(incident, options)
        )
        if suppressions:
            tasks = [
                dataclasses.replace(t, options=dataclasses.replace(t.options, suppressions=suppressions))
                if t.fmt == "md"
                else t
                for t in tasks
            ]
        errors = [d for d in findings if getattr(d, "severity", None) is Severity.ERROR]
        if findings:
            print_diagnostics(sort_diagnostics(findings), sys.stderr)
        refused = bool(errors) and not allow_lint_errors
        if early is not None:
            early.decide(index, tasks, go=not refused)
        if refused:
            sys.stderr.write(
                f"{doc.source.name}: not rendered: {len(errors)} lint error{'s' if len(errors) != 1 else ''} "
                "(fix them, or pass --allow-lint-errors on purpose)\n"
            )
            plan.worst = max(plan.worst, ExitCode.PROBLEMS)
            continue
        for message in refusals:
            sys.stderr.write(f"{doc.source.name}: warning: {message}\n")
        plan.refused[doc.source.name] = [f.path for f in incident.figures if f.path not in figures]
        plan.tasks += tasks
    return plan


def report(outcomes: list[Outcome], plan: Plan, *, quiet: bool) -> ExitCode:
    """Print what was written, each warning once, and the errors; the exit code of the renders."""
    worst = ExitCode.OK
    written = 0
    reported: set[tuple[str, str]] = set()
    for out in outcomes:
        for message in out.warnings:
            if (out.task_source, message) in reported or _already_refused(
                message, plan.refused.get(out.task_source, ())
            ):
                continue
            reported.add((out.task_source, message))
            sys.stderr.write(f"{out.task_source}: warning: {message}\n")
        if out.ok:
            written += 1
            if not quiet:
                sys.stdout.write(f"wrote {out.target}\n")
        else:
            sys.stderr.write(f"{out.task_source}: error: {out.error}\n")
            worst = ExitCode.TOOL_ERROR
    total = len(plan.tasks)
    if not quiet and total > 1:
        sys.stderr.write(f"{written} of {total} document{'s' if total != 1 else ''} written\n")
    return worst


def register(app: typer.Typer) -> None:
    app.command("render")(render_cmd)
