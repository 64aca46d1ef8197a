#!/usr/bin/env bash
# Throughput and server CPU per operation of a local 3-node cluster with different shard counts,
# one after the other on the same machine (docs/benchmarks.md, "Shards and CPU per operation").
#
#   bench/shard-scaling.sh [SHARD_COUNTS (default "1 3")]
#
# For each shard count: a fresh cluster (3 replicas, fsync on) in a temporary data dir, an
# unreported warm-up run (WARMUP, default 300s: the JIT needs about 5 minutes on 2 cores), then the
# measured run (DURATION, default 60s). CPU per operation = utime + stime of the three kv-server
# processes (from /proc/<pid>/stat) over the measured run / operations in it; the load generator's
# own CPU is not counted. Also per measured run: commands per log entry (group commit, from the
# nodes' ringkv_server_entry_commands), the machine's context switches per operation and its idle
# share, iowait included (/proc/stat: every process, the load generator's too).
# Other knobs: WORKLOAD (write), VALUE_SIZE (1000), THREADS (4), IN_FLIGHT (16), READ_RATIO (0.5,
# mixed only), EXTRA (more ringkv-bench flags), TMPDIR (where the data dirs go, default /tmp;
# TMPDIR=/dev/shm puts them on tmpfs, where an fsync returns at once).
set -euo pipefail
. "$(dirname "$0")/../bin/lib/common.sh"
shard_counts=${1:-"1 3"}
warmup=${WARMUP:-300s}
duration=${DURATION:-60s}
workload=${WORKLOAD:-write}
value_size=${VALUE_SIZE:-1000}
threads=${THREADS:-4}
in_flight=${IN_FLIGHT:-16}
ensure_built kv-server kv-cli kv-bench
scratch_cluster shards   # $data, local_cluster on $data/cluster, cleanup on exit
ticks_per_second=$(getconf CLK_TCK)

server_cpu_ticks() {  # utime + stime of every node of the cluster, in clock ticks
  local pidfile stats=()
  for pidfile in "$data"/cluster/n*.pid; do stats+=("/proc/$(cat "$pidfile")/stat"); done
  cpu_ticks "${stats[@]}"
}

machine_counters() {  # context switches, then idle (iowait included) and total CPU ticks of the machine
  awk '/^ctxt/ { ctxt = $2 } /^cpu / { for (i = 2; i <= NF; i++) total += $i; idle = $5 + $6 } END { print ctxt, idle, total }' /proc/stat
}

bench() {
  "$RINGKV_ROOT/bin/ringkv-bench" --workload "$workload" --value-size "$value_size" --threads "$threads" \
    --in-flight "$in_flight" --read-ratio "${READ_RATIO:-0.5}" ${EXTRA:-} "$@"
}

echo "| shards | ops/s | p50 ms | p99 ms | server CPU ms/op | server CPU cores busy | commands/entry | context switches/op | machine idle |"
echo "|---|---|---|---|---|---|---|---|---|"
for shards in $shard_counts; do
  rm -rf "$data/cluster"
  local_cluster start --detach --shards "$shards" >/dev/null
  # reads need the keys to exist: the warm-up writes the whole key space first
  preload=(); [ "$workload" = write ] || preload=(--preload)
  bench --duration "$warmup" --warmup 0s "${preload[@]}" >"$data/warmup-$shards.out" 2>&1
  before=$(server_cpu_ticks); entries_before=$(entry_commands_totals); machine_before=$(machine_counters)
  bench --duration "$duration" --warmup 0s --json "$data/run-$shards.json" >"$data/run-$shards.out" 2>&1
  after=$(server_cpu_ticks); entries_after=$(entry_commands_totals); machine_after=$(machine_counters)
  local_cluster stop >/dev/null
  python3 - "$data/run-$shards.json" "$shards" "$((after - before))" "$ticks_per_second" \
    "$entries_before" "$entries_after" "$machine_before" "$machine_after" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
shards, ticks, hz = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
(commands0, entries0), (commands1, entries1) = (map(float, a.split()) for a in sys.argv[5:7])
(ctxt0, idle0, total0), (ctxt1, idle1, total1) = (map(int, a.split()) for a in sys.argv[7:9])
per_entry = (commands1 - commands0) / (entries1 - entries0) if entries1 > entries0 else float("nan")
ops, seconds = report["ops"], report["seconds"]
cpu_seconds = ticks / hz
lat = report["latency_ms"]
print(f"| {shards} | {ops / seconds:,.0f} | {lat['p50']:.1f} | {lat['p99']:.1f} | "
      f"{1000 * cpu_seconds / ops:.3f} | {cpu_seconds / seconds:.2f} | {per_entry:.1f} | "
      f"{(ctxt1 - ctxt0) / ops:.1f} | {100 * (idle1 - idle0) / (total1 - total0):.0f} % |")
EOF
done
