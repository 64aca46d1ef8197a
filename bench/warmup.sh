#!/usr/bin/env bash
# How a fresh local cluster warms up under load: throughput and the share of the nodes' CPU that
# goes to the JIT compiler threads, per interval (docs/benchmarks.md, "Warm-up").
#
#   bench/warmup.sh
#
# Starts a fresh 3-node cluster (SHARDS shards, default 3, 3 replicas, fsync on) in a temporary
# data dir and runs the load generator on it for DURATION (default 600s; WORKLOAD write,
# VALUE_SIZE 1000, THREADS 4, IN_FLIGHT 16, EXTRA for more ringkv-bench flags) with no warm-up.
# Every INTERVAL seconds (default 30) it reads utime + stime of every node's threads from /proc;
# at the end it prints one row per interval: the load generator's mean ops/s over the interval
# (from its per-second progress lines), the servers' CPU cores busy, and the share of that CPU
# spent in the C1/C2 compiler threads. Node JVM options come from RINGKV_JAVA_OPTS like
# bin/ringkv-local's (for example to try -XX:TieredStopAtLevel=1). Stops what it started.
set -euo pipefail
. "$(dirname "$0")/../bin/lib/common.sh"
shards=${SHARDS:-3}
duration=${DURATION:-600s}
interval=${INTERVAL:-30}
ensure_built kv-server kv-cli kv-bench
scratch_cluster warmup

ticks() {  # "<compiler-thread ticks> <all ticks>" summed over the nodes
  local pidfile pid task all=0 jit=0 name
  for pidfile in "$data"/cluster/n*.pid; do
    pid=$(cat "$pidfile")
    all=$((all + $(cpu_ticks "/proc/$pid/stat")))
    for task in /proc/"$pid"/task/*; do
      read -r name 2>/dev/null <"$task/comm" || continue
      case "$name" in
        C1\ CompilerThre* | C2\ CompilerThre*)
          jit=$((jit + $(cpu_ticks "$task/stat" || echo 0))) ;;
      esac
    done
  done
  echo "$jit $all"
}

local_cluster start --detach --shards "$shards" >/dev/null
"$RINGKV_ROOT/bin/ringkv-bench" --workload "${WORKLOAD:-write}" --value-size "${VALUE_SIZE:-1000}" \
  --threads "${THREADS:-4}" --in-flight "${IN_FLIGHT:-16}" ${EXTRA:-} --warmup 0s --duration "$duration" \
  >"$data/bench.out" 2>&1 &
bench_pid=$!
start=$(date +%s)
: >"$data/samples"
while kill -0 "$bench_pid" 2>/dev/null; do
  echo "$(($(date +%s) - start)) $(ticks)" >>"$data/samples"
  sleep "$interval"
done
wait "$bench_pid" || { cat "$data/bench.out" >&2; exit 1; }
bench_pid=

python3 - "$data/samples" "$data/bench.out" "$(getconf CLK_TCK)" <<'EOF'
import re, sys
samples = [tuple(map(int, line.split())) for line in open(sys.argv[1]) if line.strip()]
hz = int(sys.argv[3])
rates = {}  # second of the run -> ops/s of that second, from "t=12s ops/s=1,234 ..."
for line in open(sys.argv[2]):
    m = re.match(r"t=(\d+)s\S* ops/s=([\d,]+)", line)
    if m:
        rates[int(m.group(1))] = int(m.group(2).replace(",", ""))
print("| seconds of load | ops/s | server CPU cores busy | JIT share of server CPU |")
print("|---|---:|---:|---:|")
for (t0, jit0, all0), (t1, jit1, all1) in zip(samples, samples[1:]):
    window = [r for s, r in rates.items() if t0 < s <= t1]
    if not window or all1 <= all0:
        continue
    # a compiler thread that exits (the JVM starts and stops them as its queue grows and shrinks)
    # takes its ticks with it, so an interval's share can come out low; never below zero
    jit = max(0, jit1 - jit0)
    print(f"| {t0}-{t1} | {sum(window) / len(window):,.0f} | {(all1 - all0) / hz / (t1 - t0):.2f} "
          f"| {100 * jit / (all1 - all0):.0f} % |")
EOF
tail -3 "$data/bench.out"
