#!/usr/bin/env bash
# Writes while shards take snapshots (docs/benchmarks.md, step 15): on a fresh local cluster
# (3 nodes, 3 shards x 3 replicas, fsync on) that snapshots every SNAPSHOT_EVERY log entries,
# preloads KEYS keys of VALUE_BYTES bytes (so each snapshot has that much to write), then
# overwrites random keys at a fixed rate (open loop: latency from the intended send time, so a
# shard standing still shows up in full) and prints the latency percentiles with the snapshots
# taken meanwhile and how long each held its shard's apply thread. Stops the cluster at the end.
#
#   bench/snapshot-stall.sh [KEYS (default 300000)] [VALUE_BYTES (default 1000)]
#   env: SNAPSHOT_EVERY (default 2000 entries), RATE (default 400 writes/s), WARMUP (default 60s),
#        DURATION (default 90s)
set -euo pipefail
. "$(dirname "$0")/../bin/lib/common.sh"
keys=${1:-300000}
value_bytes=${2:-1000}
ensure_built kv-server kv-cli kv-bench
scratch_cluster snapshot-stall   # $data, local_cluster on $data/cluster, cleanup on exit
bench() { "$RINGKV_ROOT/bin/ringkv-bench" --workload write --keys "$keys" --key-size 15 --value-size "$value_bytes" "$@"; }

echo "data dir $data; $keys keys of $value_bytes bytes, a snapshot every ${SNAPSHOT_EVERY:-2000} entries" >&2
RINGKV_SNAPSHOT_EVERY_ENTRIES=${SNAPSHOT_EVERY:-2000} local_cluster start --detach >/dev/null
bench --preload --ops 1 --warmup 0s >&2
bench --rate "${RATE:-400}" --threads 4 --in-flight 16 --warmup "${WARMUP:-60s}" --duration 1s >&2
declare -A log_offset   # where each node's log stood when the measured run began
for f in "$data"/cluster/n*.log; do log_offset[$f]=$(stat -c %s "$f"); done
bench --rate "${RATE:-400}" --threads 4 --in-flight 16 --warmup 0s --duration "${DURATION:-90s}" --json "$data/run.json" >&2

echo
echo "| what | result |"
echo "| --- | --- |"
echo "| data set | $keys keys x $value_bytes B, 3 shards x 3 replicas, a snapshot every ${SNAPSHOT_EVERY:-2000} entries |"
python3 - "$data/run.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
lat = r["latency_ms"]
print(f"| writes, {r['ops_per_second']:,.0f}/s offered open loop, {r['error_count']} errors | "
      f"p50 {lat['p50']:.1f}, p99 {lat['p99']:.1f}, p99.9 {lat['p99_9']:.1f}, max {lat['max']:.1f} ms |")
EOF
for f in "${!log_offset[@]}"; do tail -c +"$((log_offset[$f] + 1))" "$f"; done | grep -a 'snapshot taken group=' > "$data/snapshots.txt" || true
echo "| snapshots taken while measuring (all replicas) | $(wc -l < "$data/snapshots.txt") |"
# capture_millis: the apply thread held for the capture; write_millis: the file, written on the
# snapshot thread (since step 15); millis: builds before step 15 wrote the whole file on the apply thread
for field in "capture_millis:apply thread held (capture)" "write_millis:file written in the background" \
    "millis:apply thread held (the whole snapshot, before step 15)"; do
  { grep -o " ${field%%:*}=[0-9]*" "$data/snapshots.txt" || true; } | cut -d= -f2 |
    awk -v what="${field#*:}" '{ t += $1; if ($1 > m) m = $1; n++ } END { if (n) printf "| one snapshot, %s: mean / longest | %.0f / %.0f ms |\n", what, t / n, m }'
done
