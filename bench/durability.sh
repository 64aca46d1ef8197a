#!/usr/bin/env bash
# Durability figures for docs/benchmarks.md: snapshot time (the whole cluster; for each shard
# replica, how long its snapshot held the apply thread and how long the file took) and size, and restart time, for a data set of
# KEYS keys of VALUE_BYTES bytes on a local 3-node cluster (3 shards x 3 replicas,
# fsync on). Starts its own cluster in a temporary data dir on ports 7001-7003/8001-8003, and
# stops it at the end.
#
#   bench/durability.sh [KEYS (default 1000000)] [VALUE_BYTES (default 100)]
set -euo pipefail
. "$(dirname "$0")/../bin/lib/common.sh"
keys=${1:-1000000}
value_bytes=${2:-100}
ensure_built kv-server kv-cli kv-bench
scratch_cluster durability   # $data, local_cluster on $data/cluster, cleanup on exit
kvctl() { "$RINGKV_ROOT/bin/kvctl" "$@"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
first_key=$(printf 'key%012d' 0)
last_key=$(printf 'key%012d' $((keys - 1)))
readable() {  # waits until both ends of the data set read back (linearizable)
  until kvctl get "$first_key" >/dev/null 2>&1 && kvctl get "$last_key" >/dev/null 2>&1; do sleep 0.2; done
}
restart_after() {  # $1 = how the cluster went down; prints seconds from start to first reads
  local t0
  t0=$(now)
  local_cluster start --detach >/dev/null
  readable
  echo "| restart after $1 | $(since "$t0") s |"
}

echo "data dir $data; loading $keys keys of $value_bytes bytes" >&2
local_cluster start --detach >/dev/null
# the load generator's preload: batch puts of 1,000 keys from 4 threads; keys key000000000000...
"$RINGKV_ROOT/bin/ringkv-bench" --workload write --preload --keys "$keys" --key-size 15 \
  --value-size "$value_bytes" --ops 1 --warmup 0s >&2

t0=$(now)
kvctl snapshot --all >&2
snapshot_seconds=$(since "$t0")
# the newest snapshot of each group on node n1 (one replica of every shard)
sizes=$(find "$data/cluster/n1" -name 'snapshot.*_*' ! -name '*.md5' -printf '%h %s %T@\n' | sort -k1,1 -k3,3nr | awk '!seen[$1]++ {print $2}')
total=$(echo "$sizes" | awk '{ t += $1 } END { print t + 0 }')

echo
echo "| what | result |"
echo "| --- | --- |"
echo "| data set | $keys keys x $value_bytes B values, 3 shards x 3 replicas |"
echo "| kvctl snapshot --all (every shard and meta, all replicas) | $snapshot_seconds s |"
# each replica logs how long capturing its shard's state held the apply thread (the shard applied
# nothing meanwhile) and how long writing the file took on the snapshot thread
snapshot_lines() { grep -ah 'snapshot taken group=' "$data"/cluster/n*.log | grep -o " $1=[0-9]*" | cut -d= -f2; }
summary() {  # $1 = what, reads milliseconds
  awk -v what="$1" '{ t += $1; if ($1 > m) m = $1; n++ } END { if (n) printf "| one shard replica'"'"'s snapshot, %s (%d replicas) | mean %.2f s, longest %.2f s |\n", what, n, t / n / 1000, m / 1000 }'
}
snapshot_lines capture_millis | summary "the apply thread held"
snapshot_lines write_millis | summary "the file written in the background"
echo "| snapshot files on one node (all groups) | $((total / 1024 / 1024)) MiB ($total bytes) |"

local_cluster stop >/dev/null
restart_after "a clean stop (snapshot on stop, short log)"

for f in "$data"/cluster/n*.pid; do kill -9 "$(cat "$f")"; done
sleep 1
rm -f "$data"/cluster/n*.pid
restart_after "kill -9 of all nodes"
