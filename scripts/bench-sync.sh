#!/usr/bin/env bash
# Sync benchmark: import a 160,000-row generated snapshot, then time the import of the next
# weekly snapshot (full change detection against the first) and report wall time and peak RSS.
# Usage: scripts/bench-sync.sh [ROWS]   (needs GNU time: apt-get install time)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-160000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo build --release -q -p annuaire
bin=target/release/annuaire
$bin testdata --rows "$rows" --out "$work/files" >/dev/null
mapfile -t files < <(ls "$work"/files/snapshot-*.csv | sort)
day() { basename "$1" .csv | sed 's/snapshot-//'; }
echo "== first import (empty store): ${files[0]}"
/usr/bin/time -f "wall %e s, peak RSS %M KB" $bin --data-dir "$work/data" sync --synthetique --sans-index \
  --from "${files[0]}" --date "$(day "${files[0]}")"
echo "== second import (change detection): ${files[1]}"
/usr/bin/time -f "wall %e s, peak RSS %M KB" $bin --data-dir "$work/data" sync --synthetique --sans-index \
  --from "${files[1]}" --date "$(day "${files[1]}")"
echo "== search index rebuild from the store (what sync does after an import)"
/usr/bin/time -f "wall %e s, peak RSS %M KB" $bin --data-dir "$work/data" reindex
ls -la "${files[1]}" | awk '{print "file size:", $5, "bytes"}'
