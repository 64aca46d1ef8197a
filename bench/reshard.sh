#!/usr/bin/env bash
# Online resharding and node changes on a local cluster holding KEYS keys (default 1,000,000)
# under a light background load (docs/benchmarks.md, "Resharding and node changes"). For each
# change: partitions (or replicas) moved against the ideal, how long the change took end to end,
# and the p50/p99/max time a partition was frozen (refusing requests; from the meta leader's
# "partition moved ... frozen_ms=" log lines); at the end, the background load's failed requests.
#
#   bench/reshard.sh
#
# The changes, in order: shard add (3 -> 4), shard add (4 -> 5), shard remove x3 (5 -> 2),
# node remove n4, node add n4 (started again, rebalanced). Knobs: KEYS (1000000), VALUE_SIZE
# (100), RATE (background mixed ops/s, 200, open loop with 4 x 8 requests outstanding at most),
# WARMUP (background load before the first change, 60s: the JIT), NODES (4, the last one is
# removed and added back).
# The table, the background load's per-second lines and the partition moves' log lines are kept
# in RESULTS (default bench/results/reshard-<time>).
# Uses the ports of bin/ringkv-local (7001.., 8001.., 9001..): do not run it next to another
# local cluster or the test suite.
set -euo pipefail
. "$(dirname "$0")/../bin/lib/common.sh"
keys=${KEYS:-1000000}
value_size=${VALUE_SIZE:-100}
rate=${RATE:-200}
warmup=${WARMUP:-60}
nodes=${NODES:-4}
# a node holds a replica of most shards: 1M keys need more than ringkv-local's default 1 GB heap
export RINGKV_JAVA_OPTS=${RINGKV_JAVA_OPTS:--Xmx2g -XX:+ExitOnOutOfMemoryError}
ensure_built kv-server kv-cli kv-bench
data=$(mktemp -d "${TMPDIR:-/tmp}/ringkv-reshard.XXXXXX")
results=${RESULTS:-$RINGKV_ROOT/bench/results/reshard-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$results"
exec > >(tee "$results/table.md")
local_cluster() { "$RINGKV_ROOT/bin/ringkv-local" "$@" --data-dir "$data/cluster"; }
kvctl() { "$RINGKV_ROOT/bin/kvctl" --endpoints 127.0.0.1:8001,127.0.0.1:8002,127.0.0.1:8003 "$@"; }
background=""
cleanup() {
  [ -n "$background" ] && kill "$background" 2>/dev/null || true
  cp "$data/background.out" "$results/" 2>/dev/null || true
  frozen_lines >"$results/partition-moves.log" || true
  local_cluster stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT

frozen_lines() { grep -ah "partition moved" "$data"/cluster/n*.log 2>/dev/null | sort || true; }

# change LABEL IDEAL KVCTL-ARGS...: runs one change, waits for it, prints a table row
change() {
  local label=$1 ideal=$2; shift 2
  local before started ended moved
  before=$(frozen_lines | wc -l)
  started=$(date +%s.%N)
  kvctl "$@" -o json >"$data/change.json" 2>"$data/change.err" || { cat "$data/change.err" >&2; exit 1; }
  ended=$(date +%s.%N)
  moved=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r.get("partitions_to_move", r.get("replicas_to_move", r.get("replica_moves", "?"))))' "$data/change.json")
  frozen_lines | tail -n +"$((before + 1))" | sed 's/.*frozen_ms=//' >"$data/frozen.txt"
  python3 - "$label" "$moved" "$ideal" "$started" "$ended" "$data/frozen.txt" "$background_started" <<'EOF'
import sys
label, moved, ideal, started, ended, path, base = sys.argv[1:]
frozen = sorted(int(x) for x in open(path).read().split())
def q(p):
    return frozen[min(len(frozen) - 1, int(p * len(frozen)))] if frozen else 0
ratio = f"{int(moved) / float(ideal):.2f}" if moved.isdigit() and ideal.isdigit() and int(ideal) > 0 else "-"
cols = [label, moved, ideal, ratio, f"{float(started) - float(base):.0f}-{float(ended) - float(base):.0f}", f"{float(ended) - float(started):.1f}"]
cols += [str(q(0.5)), str(q(0.99)), str(frozen[-1])] if frozen else ["-", "-", "-"]
print("| " + " | ".join(cols) + " |")
EOF
}

shards_now() { kvctl cluster map -o json | python3 -c 'import json,sys; m=json.load(sys.stdin); print(" ".join(str(s["id"]) for s in m["shards"]))'; }
partitions() { kvctl cluster map -o json | python3 -c 'import json,sys; print(json.load(sys.stdin)["partitions"])'; }

echo "starting $nodes nodes, 3 shards; loading $keys keys of $value_size bytes..." >&2
local_cluster start --detach --nodes "$nodes" --shards 3 >/dev/null
"$RINGKV_ROOT/bin/ringkv-bench" --workload write --keys "$keys" --value-size "$value_size" --preload \
  --duration 1s --warmup 0s >"$data/preload.out" 2>&1
"$RINGKV_ROOT/bin/ringkv-bench" --workload mixed --keys "$keys" --value-size "$value_size" --rate "$rate" \
  --threads 4 --in-flight 8 --duration 3600s --warmup 0s >"$data/background.out" 2>&1 &
background=$!
background_started=$(date +%s.%N)
p=$(partitions)
sleep "$warmup"

echo "| change | moved | ideal | moved / ideal | during load s | took s | frozen p50 ms | frozen p99 ms | frozen max ms |"
echo "|---|---|---|---|---|---|---|---|---|"
change "shard add (3 -> 4)" "$((p / 4))" shard add
change "shard add (4 -> 5)" "$((p / 5))" shard add
for target in 4 3 2; do
  victim=$(shards_now | awk '{ print $1 }')
  change "shard remove $victim ($((target + 1)) -> $target)" "$((p / (target + 1)))" shard remove "$victim"
done
last="n$nodes"
replicas_on_last=$(kvctl cluster map -o json | python3 -c 'import json,sys; m=json.load(sys.stdin); print(sum(sys.argv[1] in s["replicas"] for s in m["shards"]))' "$last")
change "node remove $last" "$replicas_on_last" node remove "$last"
# the removed node's process is still running: stop it and start it on its data, it joins anew
pid=$(cat "$data/cluster/$last.pid")
kill "$pid"
while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
# shellcheck disable=SC2086
nohup java $RINGKV_JAVA_OPTS -cp "$(classpath_of kv-server)" ringkv.server.main.KvServerMain --node-id "$last" \
  --cluster-id local --data-dir "$data/cluster/$last" --raft-port $((7000 + nodes)) --api-port $((8000 + nodes)) \
  >>"$data/cluster/$last.log" 2>&1 &
echo $! >"$data/cluster/$last.pid"
# a balanced layout gives the new node floor(replicas / nodes) replicas
ideal_share=$(kvctl cluster map -o json | python3 -c 'import json,sys; m=json.load(sys.stdin); print(sum(len(s["replicas"]) for s in m["shards"]) // int(sys.argv[1]))' "$nodes")
change "node add $last" "$ideal_share" node add "$last"

kill "$background"; wait "$background" 2>/dev/null || true
background=""
echo
# the load generator is stopped, not finished: sum its per-second progress lines instead of its report
# (the last line is cut short by the stop: requests in flight then fail, so it is left out)
python3 - "$data/background.out" "$rate" "$warmup" <<'EOF'
import re, sys
seconds = []
for line in open(sys.argv[1]):
    m = re.match(r"t=(\d+)s ops/s=([\d,]+) p50=[\d.]+ms p99=([\d.]+)ms errors=(\d+)", line)
    if m:
        seconds.append((int(m.group(1)), int(m.group(2).replace(",", "")), float(m.group(3)), int(m.group(4))))
seconds = [s for s in seconds[:-1] if s[0] > int(sys.argv[3])]
p99s = sorted(s[2] for s in seconds)
print(f"background load ({sys.argv[2]} ops/s mixed, linearizable reads, retries on) from the first change to the last: "
      f"{sum(s[1] for s in seconds):,} operations in {len(seconds)} s, {sum(s[3] for s in seconds)} failed; one-second p99: "
      f"median {p99s[len(p99s) // 2]:.0f} ms, worst {p99s[-1]:.0f} ms")
EOF
