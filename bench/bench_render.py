"""Rendering benchmarks: ``python bench/bench_render.py [--quick]``.

Prints a Markdown table of medians (seconds) and ratios:

* Markdown and HTML of a typical sample, in-process, per file (target < 0.3 s);
* PDF against WeasyPrint alone on the same HTML (target: within 1.25x);
* an incident with 1,000 timeline events to PDF with the whole ``postmortem render`` command, in
  interleaved rounds with WeasyPrint alone on the same HTML: wall time, and peak memory as the
  summed PSS of the command's processes, sampled every 50 ms (the main process, the PDF worker and
  the helper that draws half the pages), beside the main process's peak RSS plus the largest
  child's (targets < 10 s and < 500 MB).  Every event carries a code span and bold text, the
  heavy case; in the same rounds, the command on events formatted in the samples' proportions
  (measured from samples/), for context;
* ``postmortem render -f pdf`` on 20 files with ``--jobs 1`` and ``--jobs 2``
  (target: at least 1.6x faster with two jobs on two free cores).

Figures go in docs/performance.md.  Nothing here is a test: timings depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "db-connection-pool-exhaustion.yml"
if not SAMPLE.exists():  # pragma: no cover - samples are optional in an sdist
    SAMPLE = ROOT / "tests" / "render" / "fixtures" / "full.yml"
AS_OF = "2026-10-01"


def median_time(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def samples_formatting() -> tuple[float, float]:
    """The share of the samples' timeline events with a code span, and with bold text."""
    from postmortem.api import load_incident

    texts = []
    for path in sorted((ROOT / "samples").glob("*.y*ml")) + sorted((ROOT / "samples").glob("*.json")):
        texts += [event.text for event in load_incident(path.read_bytes(), str(path)).timeline]
    if not texts:  # pragma: no cover - samples are optional in an sdist
        return 1.0, 1.0
    code = sum("`" in t for t in texts) / len(texts)
    bold = sum("**" in t or "__" in t for t in texts) / len(texts)
    return code, bold


def _spread(i: int, share: float) -> bool:
    """Whether event ``i`` is one of a ``share`` of the events, spread evenly."""
    return int((i + 1) * share) > int(i * share)


def big_incident_yaml(events: int = 1000, code_share: float = 1.0, bold_share: float = 1.0) -> str:
    """A long incident; by default every event carries a code span and bold text (the heavy case).

    With shares below 1, only that share of the events does, spread evenly; the text is otherwise
    the same (about 150 characters, the median length of the samples' events).
    """
    start = dt.datetime(2026, 3, 14, 10, 0, tzinfo=dt.UTC)
    phases = ["detect", "triage", "mitigate", "communicate", "resolve", "other"]
    lines = [
        "schema_version: 1",
        "id: INC-BENCH-1000",
        "title: A long incident with a thousand timeline events",
        "status: final",
        "severity: high",
        "authors: [Bench Author]",
        "created: 2026-03-15",
        "summary: A synthetic incident used to measure rendering time and memory.",
        "impact:",
        "  description: Many events, recorded every minute by the scribe.",
        f"  started_at: {start.isoformat().replace('+00:00', 'Z')}",
        f"  ended_at: {(start + dt.timedelta(minutes=events)).isoformat().replace('+00:00', 'Z')}",
        "detection:",
        "  method: alert",
        "  text: An alert paged the on-call engineer.",
        "what_went_well: [The runbook worked.]",
        "action_items:",
        "  - title: Alert on queue depth above 10,000 for 5 minutes",
        "    type: detect",
        "    owner: Messaging team",
        "    due: 2026-04-30",
        "timeline:",
    ]
    for i in range(events):
        at = (start + dt.timedelta(minutes=i)).isoformat().replace("+00:00", "Z")
        phase = (
            phases[0] if i == 5 else phases[2] if i == 300 else phases[4] if i == events - 1 else phases[(i % 3) + 1]
        )
        panel = "`consumer-lag`" if _spread(i, code_share) else "consumer-lag"
        above = "**above**" if _spread(i, bold_share) else "above"
        lines += [
            f"  - at: {at}",
            f"    phase: {phase}",
            f'    text: "Step {i} - the operations lead checks the {panel} panel and posts the reading, '
            f'which stays {above} the threshold while the backlog drains."',
        ]
    return "\n".join(lines) + "\n"


def in_process(runs: int) -> dict[str, float]:
    from weasyprint import HTML

    from postmortem.api import load_incident
    from postmortem.render import RenderOptions, render_html, render_markdown, render_pdf
    from postmortem.render.context import build_view
    from postmortem.render.fetcher import collect_figures
    from postmortem.render.html import render_view_html

    warnings.simplefilter("ignore")
    incident = load_incident(SAMPLE.read_bytes(), str(SAMPLE))
    figures, _ = collect_figures(incident, SAMPLE.parent)
    options = RenderOptions(as_of=dt.date.fromisoformat(AS_OF), figures=figures)
    render_markdown(incident, options)
    render_html(incident, options)
    pdf_html = render_view_html(build_view(incident, options), options, pdf=True)
    out = {
        "md": median_time(lambda: render_markdown(incident, options), runs * 4),
        "html": median_time(lambda: render_html(incident, options), runs * 4),
        "load+validate": median_time(lambda: load_incident(SAMPLE.read_bytes(), str(SAMPLE)), runs * 4),
    }
    render_pdf(incident, options)
    HTML(string=pdf_html).write_pdf()
    # Interleave the two so that noise from other processes hits both alike.
    ours, alone = [], []
    for _ in range(runs):
        t = time.perf_counter()
        render_pdf(incident, options)
        ours.append(time.perf_counter() - t)
        t = time.perf_counter()
        HTML(string=pdf_html, base_url=str(ROOT)).write_pdf(target=io.BytesIO())
        alone.append(time.perf_counter() - t)
    out["pdf"] = statistics.median(ours)
    out["weasyprint-alone"] = statistics.median(alone)
    out["pdf/weasyprint (median per round)"] = statistics.median(a / b for a, b in zip(ours, alone, strict=True))
    return out


_CLI_CHILD = """
import resource, sys
sys.argv = ["postmortem", *sys.argv[1:]]
from postmortem.cli import main
try:
    main()
except SystemExit as exc:
    if exc.code:
        raise
# The PDF renders in a worker process (joined by now): count the main process's peak plus the
# largest worker's, an upper bound on the command's peak, since the two peaks need not coincide.
usage = resource.getrusage
print(usage(resource.RUSAGE_SELF).ru_maxrss + usage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)
"""

_WEASYPRINT_CHILD = """
import io, resource, sys, warnings
warnings.simplefilter("ignore")
from weasyprint import HTML
HTML(string=open(sys.argv[1], encoding="utf-8").read(), base_url=sys.argv[2]).write_pdf(target=io.BytesIO())
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def _tree_pss_kb(root: int) -> int:
    """The summed proportional set size (KB) of ``root`` and its descendants (Linux ``/proc``).

    PSS shares each page among the processes that map it, so the sum counts a forked child's
    copy-on-write pages once: the memory the command really holds, which RSS sums overstate.
    """
    parents: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="utf-8") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            parents.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo += parents.get(pid, [])
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="utf-8") as rollup:
                total += next((int(line.split()[1]) for line in rollup if line.startswith("Pss:")), 0)
        except OSError:
            continue
    return total


def _timed(args: list[str]) -> tuple[float, float, float]:
    """(wall seconds, peak RSS in MB, peak summed PSS in MB) of a child process.

    The child prints its peak RSS (KB) last on stderr; the PSS of its whole process tree (the PDF
    worker and the helper that draws half the pages included) is sampled every 50 ms meanwhile.
    """
    import threading

    peak = [0]
    t = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.05):
            if os.path.exists("/proc/self/smaps_rollup"):
                peak[0] = max(peak[0], _tree_pss_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = proc.communicate()
    wall = time.perf_counter() - t
    done.set()
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"{args[:4]} failed:\n{stderr}")
    return wall, int(stderr.split()[-1]) / 1024, peak[0] / 1024


def big_pdf(tmp: Path, rounds: int) -> dict[str, float]:
    """The whole ``postmortem render -f pdf`` command on 1,000 events, against WeasyPrint alone on its HTML.

    The two run in interleaved rounds (the machine's speed drifts), each in a fresh process, imports included.
    """
    from pypdf import PdfReader

    from postmortem.api import load_incident
    from postmortem.render import RenderOptions
    from postmortem.render.context import build_view
    from postmortem.render.html import render_view_html

    path = tmp / "big.yml"
    path.write_text(big_incident_yaml(), encoding="utf-8")
    options = RenderOptions(as_of=dt.date.fromisoformat(AS_OF))
    html = tmp / "big.html"
    incident = load_incident(path.read_bytes(), str(path))
    html.write_text(render_view_html(build_view(incident, options), options, pdf=True), encoding="utf-8")
    out = tmp / "big-out"

    def command(incident: Path) -> list[str]:
        args = ["render", str(incident), "-f", "pdf", "-q", "-o", str(out), "--as-of", AS_OF]
        return [sys.executable, "-c", _CLI_CHILD, *args]

    ours = command(path)
    alone = [sys.executable, "-c", _WEASYPRINT_CHILD, str(html), (ROOT / "templates").as_uri() + "/"]
    # The same command on events formatted like the samples' (context for the heavy case, not the target).
    code, bold = samples_formatting()
    mixed = tmp / "big-mixed.yml"
    mixed.write_text(big_incident_yaml(code_share=code, bold_share=bold), encoding="utf-8")
    ours_mixed = command(mixed)
    runs: list[tuple[float, ...]] = []
    for _ in range(rounds):
        runs.append((*_timed(ours), *_timed(alone), *_timed(ours_mixed)))
    pages = len(PdfReader(out / "big.pdf").pages)
    return {
        "big-pdf-seconds (whole command)": statistics.median(r[0] for r in runs),
        "big-pdf-peak-rss-mb (main + largest child's peak RSS)": max(r[1] for r in runs),
        "big-pdf-peak-pss-mb (whole process tree, sampled)": max(r[2] for r in runs),
        "big-pdf-weasyprint-alone-seconds": statistics.median(r[3] for r in runs),
        "big-pdf-weasyprint-alone-peak-pss-mb": max(r[5] for r in runs),
        "big-pdf/weasyprint-alone (median per round)": statistics.median(r[0] / r[3] for r in runs),
        "big-pdf-pages": pages,
        "share of the samples' events with a code span": code,
        "share of the samples' events with bold text": bold,
        "big-pdf-seconds, events formatted like the samples'": statistics.median(r[6] for r in runs),
        "samples'-formatting / all-formatted (median per round)": statistics.median(r[6] / r[0] for r in runs),
        "big-pdf-pages, events formatted like the samples'": len(PdfReader(out / "big-mixed.pdf").pages),
    }


def jobs(tmp: Path, runs: int, files: int = 20) -> dict[str, float]:
    src = tmp / "jobs"
    src.mkdir()
    for i in range(files):
        shutil.copy(SAMPLE, src / f"incident-{i:02d}{SAMPLE.suffix}")
    exe = [sys.executable, "-m", "postmortem", "render", "-f", "pdf", "-q", "--allow-lint-errors", "--as-of", AS_OF]
    inputs = sorted(str(p) for p in src.iterdir())
    out: dict[str, float] = {}
    for n in (1, 2):
        times = []
        for _ in range(runs):
            dest = tmp / f"out-{n}"
            shutil.rmtree(dest, ignore_errors=True)
            t = time.perf_counter()
            subprocess.run([*exe, "-j", str(n), "-o", str(dest), *inputs], check=True, capture_output=True)
            times.append(time.perf_counter() - t)
        out[f"jobs{n}"] = statistics.median(times)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs and files")
    parser.add_argument("--skip-jobs", action="store_true")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    runs = 3 if args.quick else 7
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        results.update(in_process(runs))
        results.update(big_pdf(tmp, 3 if args.quick else 5))
        if not args.skip_jobs:
            results.update(jobs(tmp, 1 if args.quick else 3, 10 if args.quick else 20))
    if "jobs2" in results:
        results["jobs1/jobs2"] = results["jobs1"] / results["jobs2"]
    if args.json:
        print(json.dumps(results, indent=2))
        return
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"sample: {SAMPLE.relative_to(ROOT)}; python {sys.version.split()[0]}; cpus {os.cpu_count()}; load {load:.1f}"
    )
    print("| measure | median |\n|---|---|")
    for key, value in results.items():
        print(f"| {key} | {value:.3f} |")


if __name__ == "__main__":
    main()
