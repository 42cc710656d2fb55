#!/usr/bin/env bash
# Speed of `postmortem lint` against proselint, side by side, with hyperfine.
#
#   bash bench/bench_lint.sh            # RUNS=10 by default; RUNS=30 for steadier figures
#
# proselint is installed into a throwaway venv under /tmp (never a project dependency).
# Prints medians and ratios for
#   1. cold start: `postmortem lint` on one sample  vs  `proselint check` on a 2 KB prose file
#      (target: postmortem <= 1.5x proselint);
#   2. throughput: both on the same >= 1 MB Markdown file of post-mortem prose
#      (target: postmortem >= 5x proselint's MB/s).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PY:-$ROOT/../venv/bin/python}
[ -x "$PY" ] || PY=$(command -v python3)
PM=${PM:-$(dirname "$PY")/postmortem}
RUNS=${RUNS:-10}
WORK=${WORK:-/tmp/postmortem-bench}
mkdir -p "$WORK"

if ! command -v hyperfine >/dev/null; then
  apt-get install -y hyperfine >/dev/null 2>&1 || { echo "hyperfine is needed (apt-get install hyperfine)"; exit 2; }
fi
if [ ! -x "$WORK/proselint/bin/proselint" ]; then
  python3 -m venv "$WORK/proselint"
  "$WORK/proselint/bin/pip" install -q --disable-pip-version-check proselint
fi
PROSELINT="$WORK/proselint/bin/proselint"

# The inputs: narrative prose from the samples, as a 2 KB file and as a >= 1 MB Markdown file.
"$PY" - "$ROOT" "$WORK" <<'PYEOF'
import glob, sys
import yaml
root, work = sys.argv[1], sys.argv[2]
texts = []
for f in sorted(glob.glob(f"{root}/samples/*.yml")):
    d = yaml.safe_load(open(f, encoding="utf-8"))
    for k in ("summary", "trigger", "resolution"):
        if isinstance(d.get(k), str):
            texts.append(d[k].strip())
    texts += [str(e.get("text", "")).strip() for e in d.get("timeline", [])]
    for k in ("what_went_well", "what_went_wrong", "where_we_got_lucky", "lessons_learned"):
        texts += [str(x).strip() for x in d.get(k, [])]
body = "\n\n".join(t for t in texts if t)
small = body.encode()[:2048].decode("utf-8", "ignore")
open(f"{work}/prose-2k.md", "w", encoding="utf-8").write(small[: small.rfind(" ")] + "\n")
parts, size, i = [], 0, 0
while size < 1_048_576:
    chunk = f"## Section {i}\n\n{body}\n\n"
    parts.append(chunk)
    size += len(chunk.encode())
    i += 1
open(f"{work}/prose-1m.md", "w", encoding="utf-8").write("".join(parts))
PYEOF
SAMPLE=$(ls "$ROOT"/samples/*.yml | head -1)
BIG="$WORK/prose-1m.md"

echo "== cold start (median of $RUNS runs) =="
hyperfine -N -i -w 2 -r "$RUNS" --export-json "$WORK/cold.json" \
  -n proselint "$PROSELINT check $WORK/prose-2k.md" \
  -n "postmortem lint" "$PM lint $SAMPLE" >/dev/null

echo "== throughput on $(du -k "$BIG" | cut -f1) KB of Markdown (median of $((RUNS / 2 > 3 ? RUNS / 2 : 3)) runs) =="
hyperfine -N -i -w 1 -r $((RUNS / 2 > 3 ? RUNS / 2 : 3)) --export-json "$WORK/big.json" \
  -n proselint "$PROSELINT check $BIG" \
  -n "postmortem lint" "$PM lint --format concise $BIG" >/dev/null

"$PY" - "$WORK" "$BIG" <<'PYEOF'
import json, os, sys
work, big = sys.argv[1], sys.argv[2]
mb = os.path.getsize(big) / 1_048_576
# Wall-clock medians, and CPU time (user + system, mean): on a busy machine the CPU time is the
# steadier of the two, as waiting for a core inflates wall time.
cold_runs = json.load(open(f"{work}/cold.json"))["results"]
big_runs = json.load(open(f"{work}/big.json"))["results"]
cold = {r["command"]: r["median"] for r in cold_runs}
cold_cpu = {r["command"]: r["user"] + r["system"] for r in cold_runs}
thr = {r["command"]: r["median"] for r in big_runs}
thr_cpu = {r["command"]: r["user"] + r["system"] for r in big_runs}
base, base_cpu = cold["proselint"], cold_cpu["proselint"]
print(f"cold start   {'proselint':<33} {base*1000:7.0f} ms wall, {base_cpu*1000:5.0f} ms cpu")
for name, t in cold.items():
    if name != "proselint":
        c = cold_cpu[name]
        print(
            f"cold start   {name:<33} {t*1000:7.0f} ms wall, {c*1000:5.0f} ms cpu"
            f"  = {t/base:4.2f}x wall, {c/base_cpu:4.2f}x cpu (target <= 1.5x)"
        )
p, q = thr["proselint"], thr["postmortem lint"]
pc, qc = thr_cpu["proselint"], thr_cpu["postmortem lint"]
print(f"throughput   proselint       {mb/p:6.2f} MB/s wall ({p:5.2f} s), {mb/pc:6.2f} MB/s cpu ({pc:5.2f} s)")
print(
    f"throughput   postmortem lint {mb/q:6.2f} MB/s wall ({q:5.2f} s), {mb/qc:6.2f} MB/s cpu ({qc:5.2f} s)"
    f" = {p/q:4.2f}x wall, {pc/qc:4.2f}x cpu (target >= 5x)"
)
print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
PYEOF
