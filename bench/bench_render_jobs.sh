#!/usr/bin/env bash
# --jobs 1 against --jobs 2 on 20 copies of a sample, with hyperfine when it is installed
# (apt-get install hyperfine).  Usage: bash bench/bench_render_jobs.sh [FORMAT]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PM=${PM:-$ROOT/../venv/bin/postmortem}
command -v "$PM" >/dev/null || PM=postmortem
FORMAT=${1:-pdf}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
for i in $(seq -w 1 20); do cp "$ROOT/samples/db-connection-pool-exhaustion.yml" "$WORK/incident-$i.yml"; done
CMD="$PM render $WORK/incident-*.yml -f $FORMAT -q --allow-lint-errors --as-of 2026-10-01 -o $WORK/out"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs "${RUNS:-3}" --prepare "rm -rf $WORK/out" \
    -n "jobs 1" "$CMD -j 1" -n "jobs 2" "$CMD -j 2"
else
  for j in 1 2; do
    rm -rf "$WORK/out"
    /usr/bin/time -f "jobs $j: %e s wall, %M KB peak RSS" $CMD -j $j
  done
fi
