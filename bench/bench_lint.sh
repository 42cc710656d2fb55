#!/usr/bin/env bash
# Speed of `postmortem lint` against proselint, side by side, with hyperfine.
#
#   bash bench/bench_lint.sh            # RUNS=10 rounds by default; RUNS=20 for steadier figures
#
# proselint is installed into a throwaway venv under /tmp (never a project dependency).
# Each command runs once per round, interleaved with proselint (bench/paired.py), and the ratio is
# taken within each round: this machine's speed drifts too much between separate hyperfine runs.
# Prints medians and per-round ratios for
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
# Installed packages carry compiled bytecode; a source tree that may not (PYTHONDONTWRITEBYTECODE, or files
# edited since) would be timed compiling itself on every run.
unset PYTHONDONTWRITEBYTECODE
"$PY" -m compileall -q "$("$PY" -c 'import os, postmortem; print(os.path.dirname(postmortem.__file__))')" >/dev/null
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

echo "== cold start: $RUNS interleaved rounds =="
"$PY" bench/paired.py --rounds "$RUNS" --warmup 2 --json "$WORK/cold.json" \
  "proselint=$PROSELINT check $WORK/prose-2k.md" \
  "postmortem lint=$PM lint $SAMPLE"

echo "== throughput on $(du -k "$BIG" | cut -f1) KB of Markdown: $RUNS interleaved rounds =="
"$PY" bench/paired.py --rounds "$RUNS" --warmup 1 --json "$WORK/big.json" \
  "proselint=$PROSELINT check $BIG" \
  "postmortem lint=$PM lint --format concise $BIG"

"$PY" - "$WORK" "$BIG" <<'PYEOF'
import json, os, sys
work, big = sys.argv[1], sys.argv[2]
mb = os.path.getsize(big) / 1_048_576
cold = json.load(open(f"{work}/cold.json"))
thr = json.load(open(f"{work}/big.json"))
p, q = cold["proselint"], cold["postmortem lint"]
print(f"cold start   proselint        {p['wall']*1000:6.0f} ms wall, {p['cpu']*1000:5.0f} ms cpu")
print(
    f"cold start   postmortem lint  {q['wall']*1000:6.0f} ms wall, {q['cpu']*1000:5.0f} ms cpu"
    f"  = {q['ratio_wall']:4.2f}x wall, {q['ratio_cpu']:4.2f}x cpu (median per round; target <= 1.5x)"
)
p, q = thr["proselint"], thr["postmortem lint"]
print(f"throughput   proselint       {mb/p['wall']:6.2f} MB/s wall ({p['wall']:5.2f} s), {mb/p['cpu']:6.2f} MB/s cpu")
print(
    f"throughput   postmortem lint {mb/q['wall']:6.2f} MB/s wall ({q['wall']:5.2f} s), {mb/q['cpu']:6.2f} MB/s cpu"
    f" = {q['speedup_wall']:4.2f}x wall, {q['speedup_cpu']:4.2f}x cpu (median per round; target >= 5x)"
)
lo, hi = q["speedup_wall_range"]
print(f"throughput   per-round ratios ranged {lo:4.2f}x to {hi:4.2f}x over {q['rounds']} rounds")
print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
PYEOF
