#!/bin/sh
# Every figure in bench/README.md, one after the other (never in parallel: they would compete
# for the cores). Tables go to stdout; raw numbers to bench/results/*.json. ~45 min in all.
set -e
cd "$(dirname "$0")/.."
for fig in calendar ledger startup lateness instances memory; do
  echo "## $fig"
  npx tsx "bench/$fig/run.ts" "$@"
done
