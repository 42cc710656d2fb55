#!/usr/bin/env bash
# Run every atheris harness for its share of SECONDS (default 60), with a corpus seeded
# from samples/ and a few Markdown drafts.  Crashes, hangs (-timeout) and memory blow-ups
# (-rss_limit_mb) fail the run; artefacts land in $FUZZ_WORKDIR/artifacts/.
#
#   tests/fuzz/run.sh 60                      # what CI runs
#   nice -n 19 tests/fuzz/run.sh 1800         # a long local run
#
# Environment: PYTHON (default: the venv's python or python3), FUZZ_WORKDIR (default
# /tmp/postmortem-fuzz; kept between runs so the corpus grows), FUZZ_TARGETS (a subset).
set -euo pipefail

total="${1:-60}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
py="${PYTHON:-}"
if [[ -z "$py" ]]; then
  if [[ -x "$root/../venv/bin/python" ]]; then py="$root/../venv/bin/python"; else py="python3"; fi
fi
work="${FUZZ_WORKDIR:-/tmp/postmortem-fuzz}"
targets=(${FUZZ_TARGETS:-load lint_yaml lint_markdown})
share=$(( total / ${#targets[@]} ))
(( share >= 1 )) || share=1

"$py" -c "import atheris" 2>/dev/null || { echo "fuzz: atheris is not installed ($py -m pip install atheris)" >&2; exit 2; }

mkdir -p "$work/artifacts"
seed() {  # seed a corpus dir once; the fuzzer adds to it on later runs
  local dir="$work/corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do [[ -f "$f" ]] && cp -n "$f" "$dir/" || true; done
}
seed load "$root"/samples/*.yml "$root"/samples/*.json "$here"/seeds/*.yml "$here"/seeds/*.json
seed lint_yaml "$root"/samples/*.yml "$root"/samples/*.json "$root"/samples/blameful/*.yml "$here"/seeds/*.yml
seed lint_markdown "$root"/samples/blameful/*.md "$here"/seeds/*.md

status=0
for t in "${targets[@]}"; do
  echo "fuzz: $t for ${share}s"
  log="$work/$t.log"
  if ! "$py" "$here/fuzz_$t.py" "$work/corpus/$t" \
      -max_total_time="$share" -timeout=10 -rss_limit_mb=1536 -max_len=32768 \
      -artifact_prefix="$work/artifacts/$t-" -print_final_stats=1 >"$log" 2>&1; then
    echo "fuzz: $t FAILED; see $log and $work/artifacts/" >&2
    tail -n 40 "$log" >&2
    status=1
  fi
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb|^Done" "$log" | sed "s/^/fuzz: $t: /" || true
done
exit "$status"
