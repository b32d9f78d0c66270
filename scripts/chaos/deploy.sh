#!/bin/sh
# The chaos test's deploy. It stands for a real target that honours fencing tokens:
# - under a lock per occurrence it accepts this runner only when no higher fence was seen for
#   that occurrence (a stale runner is refused, as a real target would refuse it);
# - it appends receipts (start / refused / end) to an append-only file: one short line per
#   write with O_APPEND, so lines from concurrent deploys never interleave.
# Times come from the real clock: the instance that runs this may be under libfaketime, so
# `date` runs without LD_PRELOAD.
set -u
dir="$CHAOS_DIR"
now() { env -u LD_PRELOAD -u FAKETIME -u FAKETIME_TIMESTAMP_FILE date +%s%3N; }
key=$(printf '%s@%s' "$SHIPCLOCK_JOB" "$SHIPCLOCK_NOMINAL_TIME" | tr -c 'A-Za-z0-9@\n' '_')
fencefile="$dir/fences/$key"
receipt() {
  printf '{"ev":"%s","job":"%s","nominal":"%s","run":"%s","fence":%s,"attempt":%s,"pid":%s,"t":%s}\n' \
    "$1" "$SHIPCLOCK_JOB" "$SHIPCLOCK_NOMINAL_TIME" "$SHIPCLOCK_RUN_ID" "$SHIPCLOCK_FENCE" "$SHIPCLOCK_ATTEMPT" "$$" "$(now)" \
    >> "$dir/receipts.jsonl"
}
verdict=$(
  (
    flock 9
    seen=$(cat "$fencefile" 2>/dev/null || echo 0)
    if [ "$SHIPCLOCK_FENCE" -lt "$seen" ]; then
      receipt refused
      echo stale
    else
      echo "$SHIPCLOCK_FENCE" > "$fencefile"
      receipt start
      echo ok
    fi
  ) 9>"$fencefile.lock"
)
if [ "$verdict" != ok ]; then
  echo "refused: fence $SHIPCLOCK_FENCE is older than one already seen for this occurrence" >&2
  exit 3
fi
sleep "$(awk -v s="$$" 'BEGIN { srand(s); printf "%.2f", 0.2 + rand() * 0.7 }')"
receipt end
