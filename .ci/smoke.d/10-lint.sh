#!/usr/bin/env bash
# Smoke: lint with the installed wheel. Samples are clean; the blameful ones fail with exit 1.
set -euo pipefail
"$PM" lint samples/*.yml samples/*.json
"$PM" rules >/dev/null
"$PM" rules named-individual >/dev/null
for f in samples/blameful/*; do
  set +e
  "$PM" lint --format concise "$f" > lint-out.txt; rc=$?
  set -e
  [ "$rc" = 1 ] || { echo "expected exit 1 for $f, got $rc"; cat lint-out.txt; exit 1; }
  echo "$f: $(wc -l < lint-out.txt) findings (exit 1, as expected)"
done
"$PM" lint --format sarif samples/blameful/* > lint.sarif || true
"$PY" -c "import json; s = json.load(open('lint.sarif')); assert s['version'] == '2.1.0' and s['runs'][0]['results']; print('sarif ok')"
"$PY" - <<'PYEOF'
import subprocess, sys
code = "import sys; from postmortem.cli.app import app\ntry:\n    app(['lint', 'samples'])\nexcept SystemExit:\n    pass\nprint(sorted(m for m in ('weasyprint', 'jinja2') if m in sys.modules))"
out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
assert out.strip().endswith("[]"), out
print("lint imports neither weasyprint nor jinja2")
PYEOF
