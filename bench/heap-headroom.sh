#!/usr/bin/env bash
# How much data a node's heap can hold before the collector stalls it (docs/operations.md,
# "Memory: sizing the heap"; docs/benchmarks.md, "Data against the heap"). For each key count: a
# fresh local cluster (3 nodes, SHARDS shards x 3 replicas, fsync on) whose nodes run with HEAP
# of heap, preloaded with that many keys of VALUE_SIZE bytes, then a 50/50 read/update load at a
# fixed rate (open loop: latency from the intended send time, so a node standing still in a
# collection shows up in full). Prints, per key count, the data a node holds against its heap,
# the latency percentiles, the nodes' collections during the measured run (young and full, from
# jvm_gc_pause_seconds) and the pauses Ratis' JvmPauseMonitor logged, both over the measured run and
# the 20 s before it in which its client JVM warms up. Stops the cluster at the end.
#
#   bench/heap-headroom.sh [KEY_COUNTS (default "400000 560000")]
#   env: HEAP (default 1g), SHARDS (1), VALUE_SIZE (1000), RATE (1300 ops/s), WARMUP (60s),
#        DURATION (90s), MAX_DATA_MEMORY (the nodes' max-data-memory; default 100%, so that
#        writes are never refused and the heap itself is what the rows show)
set -euo pipefail
. "$(dirname "$0")/../bin/lib/common.sh"
key_counts=${1:-"400000 560000"}
heap=${HEAP:-1g}
value_size=${VALUE_SIZE:-1000}
ensure_built kv-server kv-cli kv-bench
scratch_cluster heap   # $data, local_cluster on $data/cluster, cleanup on exit
java_opts=$(node_java_opts_with_heap "$heap")
# the heap is what is measured here, not the nodes' refusal of writes at max-data-memory (60 %)
export RINGKV_MAX_DATA_MEMORY=${MAX_DATA_MEMORY:-100%}
bench() { "$RINGKV_ROOT/bin/ringkv-bench" --value-size "$value_size" --key-size 16 "$@"; }

metrics() {  # every node's /metrics, concatenated
  local i
  for i in 1 2 3; do curl -s "http://127.0.0.1:$((9000 + i))/metrics"; done
}

gc_totals() {  # "<young count> <young seconds> <full count> <full seconds>" over all nodes
  metrics | awk '/^jvm_gc_pause_seconds_(count|sum)/ {
      kind = ($0 ~ /major GC/) ? "full" : "young"; what = ($0 ~ /_count/) ? "n" : "s"; t[kind what] += $NF }
    END { printf "%d %.3f %d %.3f\n", t["youngn"], t["youngs"], t["fulln"], t["fulls"] }'
}

echo "nodes run with: $java_opts" >&2
echo "| keys | data per node, MB (keys + values) | heap MB | data by max-data-memory's count, share of the heap | ops/s offered / done | errors | p50 ms | p99 ms | p99.9 ms | max ms | young pauses (all nodes), mean ms | full collections, their total s | JvmPauseMonitor pauses, longest s |"
echo "|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|---|---|"
for keys in $key_counts; do
  rm -rf "$data/cluster"
  RINGKV_JAVA_OPTS="$java_opts" local_cluster start --detach --shards "${SHARDS:-1}" >/dev/null
  bench --workload write --keys "$keys" --preload --ops 1 --warmup 0s --threads 4 --in-flight 64 \
    >"$data/preload-$keys.out" 2>&1
  bench --workload mixed --keys "$keys" --rate "${RATE:-1300}" --threads 4 --in-flight 16 \
    --warmup "${WARMUP:-60s}" --duration 1s >"$data/warmup-$keys.out" 2>&1
  declare -A log_offset=()
  for f in "$data"/cluster/n*.log; do log_offset[$f]=$(stat -c %s "$f"); done
  gc_before=$(gc_totals)
  # a new client JVM: its own first seconds (JIT) are left out of the figures, not of the GC counts
  bench --workload mixed --keys "$keys" --rate "${RATE:-1300}" --threads 4 --in-flight 16 \
    --warmup 20s --duration "${DURATION:-90s}" --json "$data/run-$keys.json" >"$data/run-$keys.out" 2>&1
  gc_after=$(gc_totals)
  data_bytes=$(curl -s http://127.0.0.1:9001/metrics | awk '/^ringkv_shard_data_bytes/ { s += $NF } END { printf "%d", s }')
  counted_bytes=$(curl -s http://127.0.0.1:9001/metrics | awk '/^ringkv_node_data_memory_bytes/ { printf "%d", $NF }')
  heap_bytes=$(curl -s http://127.0.0.1:9001/metrics | awk '/^jvm_memory_max_bytes.*area="heap"/ { if ($NF > 0) s += $NF } END { printf "%d", s }')
  pauses=$(for f in "${!log_offset[@]}"; do tail -c +"$((log_offset[$f] + 1))" "$f"; done |
    grep -ao 'Detected pause in JVM or host machine approximately [0-9.]*[a-z]*' | awk '{ print $NF }' || true)
  local_cluster stop >/dev/null
  python3 - "$data/run-$keys.json" "$keys" "$data_bytes" "$heap_bytes" "$gc_before" "$gc_after" "${RATE:-1300}" "$pauses" "$counted_bytes" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
keys, data_bytes, heap_bytes, rate = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[7]
(yn0, ys0, fn0, fs0), (yn1, ys1, fn1, fs1) = (map(float, a.split()) for a in sys.argv[5:7])
def seconds(d):  # Ratis' TimeDuration: "2590ms" or "2.590s"
    return float(d[:-2]) / 1000 if d.endswith("ms") else float(d.rstrip("s"))
pauses = [seconds(p) for p in sys.argv[8].split()]
lat = r["latency_ms"]
young = f"{yn1 - yn0:.0f}, {1000 * (ys1 - ys0) / (yn1 - yn0):.0f}" if yn1 > yn0 else "0"
full = f"{fn1 - fn0:.0f}, {fs1 - fs0:.1f}" if fn1 > fn0 else "0"
monitor = f"{len(pauses)}, {max(pauses):.2f}" if pauses else "0"
counted = int(sys.argv[9])  # the node's own count (ringkv_node_data_memory_bytes): keys, values, index
print(f"| {keys:,} | {data_bytes / 1e6:,.0f} | {heap_bytes / 2**20:,.0f} | {100 * counted / heap_bytes:.0f} % | "
      f"{rate} / {r['ops_per_second']:,.0f} | "
      f"{r['error_count']} | {lat['p50']:.1f} | {lat['p99']:.1f} | {lat['p99_9']:.1f} | {lat['max']:.1f} | "
      f"{young} | {full} | {monitor} |")
EOF
done
