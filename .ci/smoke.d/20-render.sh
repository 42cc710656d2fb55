#!/usr/bin/env bash
# Smoke: render every sample to every format and audience with the installed wheel.
set -euo pipefail
for audience in internal executive public; do
  "$PM" render samples/*.yml samples/*.json -f all --audience "$audience" -o "rendered/$audience" --as-of 2026-06-01
done
count=$(find rendered -type f \( -name '*.md' -o -name '*.html' -o -name '*.pdf' \) | wc -l)
samples=$(ls samples/*.yml samples/*.json | wc -l)
[ "$count" = $((samples * 9)) ] || { echo "expected $((samples * 9)) rendered files, found $count"; find rendered -type f; exit 1; }
for pdf in rendered/*/*.pdf; do
  info=$(pdfinfo "$pdf")
  pages=$(echo "$info" | awk '/^Pages:/ {print $2}')
  title=$(echo "$info" | sed -n 's/^Title: *//p')
  [ "${pages:-0}" -ge 1 ] && [ -n "$title" ] || { echo "bad PDF $pdf"; echo "$info"; exit 1; }
done
echo "pdfs open: $(ls rendered/*/*.pdf | wc -l)"
"$PM" render samples/*.yml -f pdf -j 2 --pdf-variant pdf/a-3b -o rendered-variant --as-of 2026-06-01
"$PM" templates export exported-templates
ls exported-templates | head -3
