#!/usr/bin/env bash
# Where a local cluster's CPU goes under load (docs/benchmarks.md, "Profiling").
#
#   bench/profile.sh [SHARDS (default 3)]
#
# Starts a fresh 3-node cluster (3 replicas, fsync on) in a temporary data dir, runs the load
# generator (WARMUP, default 300s: the JIT needs about 5 minutes on 2 cores, then DURATION, default 60s; WORKLOAD write, VALUE_SIZE 1000,
# THREADS 4, IN_FLIGHT 16, EXTRA for more ringkv-bench flags), and after the warm-up profiles
# every node for PROFILE_SECONDS (default 30) with async-profiler (CPU samples every 2 ms, Java and
# kernel frames, one root per thread), attached through `jcmd JVMTI.agent_load`. async-profiler
# comes from Maven Central (tools.profiler:async-profiler, a jar with the native library).
#
# Writes to OUT (default bench/results/profile-<UTC timestamp>): <node>.collapsed (collapsed
# stacks: open them with any flame-graph tool, e.g. https://www.speedscope.app), <node>.threads
# (CPU seconds per thread over the profiled window, from /proc), bench.out, and summary.txt:
# CPU by thread group per node, commands per log entry over the window, and the busiest
# frames of the apply thread.
set -euo pipefail
. "$(dirname "$0")/../bin/lib/common.sh"
shards=${1:-3}
warmup=${WARMUP:-300s}
duration=${DURATION:-60s}
profile_seconds=${PROFILE_SECONDS:-30}
async_profiler_version=4.1
out=${OUT:-$RINGKV_ROOT/bench/results/profile-$(date -u +%Y%m%dT%H%M%SZ)}
ensure_built kv-server kv-cli kv-bench
mkdir -p "$out"
scratch_cluster profile
log() { echo "[profile $(date -u +%H:%M:%S)] $*" >&2; }

# async-profiler's native library, from its jar on Maven Central
jar=$HOME/.m2/repository/tools/profiler/async-profiler/$async_profiler_version/async-profiler-$async_profiler_version.jar
if [ ! -f "$jar" ]; then
  (cd "$RINGKV_ROOT" && ./mvnw -q -B dependency:get -Dartifact=tools.profiler:async-profiler:$async_profiler_version) >&2
fi
unzip -q -o "$jar" 'linux-x64/*' -d "$data/async-profiler"
library=$data/async-profiler/linux-x64/libasyncProfiler.so

seconds_of() {  # 150, 150s, 3m or 1h -> seconds (ringkv-bench takes the same forms)
  case "$1" in
    *[0-9]s | *[0-9]) echo "${1%s}" ;;
    *[0-9]m) echo $((${1%m} * 60)) ;;
    *[0-9]h) echo $((${1%h} * 3600)) ;;
    *) echo "profile.sh: cannot read the duration '$1' (use 150s, 3m or 1h)" >&2; return 2 ;;
  esac
}
node_pids() { for f in "$data"/cluster/n*.pid; do echo "$(basename "$f" .pid) $(cat "$f")"; done; }
thread_ticks() {  # <pid>: "<thread name> <utime+stime ticks>" per thread
  local task
  for task in /proc/"$1"/task/*; do
    echo "$(tr ' ' _ <"$task/comm" 2>/dev/null) $(cpu_ticks "$task/stat")"
  done
}

warmup_seconds=$(seconds_of "$warmup")
log "cluster: 3 nodes, $shards shards x 3 replicas; output: $out"
local_cluster start --detach --shards "$shards" >/dev/null
"$RINGKV_ROOT/bin/ringkv-bench" --workload "${WORKLOAD:-write}" --value-size "${VALUE_SIZE:-1000}" \
  --threads "${THREADS:-4}" --in-flight "${IN_FLIGHT:-16}" --warmup "$warmup" --duration "$duration" \
  --json "$out/bench.json" ${EXTRA:-} >"$out/bench.out" 2>&1 &
bench_pid=$!
log "warming up for $warmup"
sleep "$(( warmup_seconds + 5 ))"

log "profiling every node for ${profile_seconds}s"
entries_before=$(entry_commands_totals)
while read -r node pid; do
  thread_ticks "$pid" >"$data/$node.t0"
  jcmd "$pid" JVMTI.agent_load "$library" '"start,event=cpu,interval=2ms,threads"' >/dev/null
done < <(node_pids)
sleep "$profile_seconds"
while read -r node pid; do
  jcmd "$pid" JVMTI.agent_load "$library" "\"stop,collapsed,file=$out/$node.collapsed\"" >/dev/null
  thread_ticks "$pid" >"$data/$node.t1"
done < <(node_pids)
entries_after=$(entry_commands_totals)
ticks_per_second=$(getconf CLK_TCK)
while read -r node pid; do
  awk -v hz="$ticks_per_second" 'NR == FNR { before[$1] += $2; next } { after[$1] += $2 }
    END { for (t in after) if (after[t] - before[t] > 0) printf "%8.2f %s\n", (after[t] - before[t]) / hz, t }' \
    "$data/$node.t0" "$data/$node.t1" | sort -rn >"$out/$node.threads"
done < <(node_pids)

wait "$bench_pid" || true
bench_pid=
python3 - "$out" "$entries_before" "$entries_after" <<'EOF' | tee "$out/summary.txt"
import collections, glob, os, re, sys
out, before, after = sys.argv[1], sys.argv[2].split(), sys.argv[3].split()

def group(thread):
    # "[n1@group-1A2B3C-StateMachineUpdater tid=42]" -> "StateMachineUpdater"
    name = re.sub(r"\s*tid=\d+\]?$", "", thread.strip("[]"))
    name = re.sub(r"^n\d+@group-[0-9A-F]+(->n\d+)?-", "", name)
    return re.sub(r"[-#]?\d+$", "", re.sub(r"-ELG-\d+-\d+$", "", name))

commands = float(after[0]) - float(before[0]); entries = float(after[1]) - float(before[1])
print(f"commands per log entry over the profiled window: {commands / entries:.1f} ({int(entries)} entries)" if entries else "no log entries in the window")
for path in sorted(glob.glob(os.path.join(out, "n*.collapsed"))):
    by_thread, apply_frames, total = collections.Counter(), collections.Counter(), 0
    for line in open(path):
        stack, _, count = line.rstrip().rpartition(" ")
        frames, count = stack.split(";"), int(count)
        total += count
        by_thread[group(frames[0])] += count
        if "StateMachineUpdater" in frames[0]:
            ours = [i for i, f in enumerate(frames) if f.startswith("ringkv/")]
            if ours:
                i = ours[-1]
                callee = frames[i + 1].split("/")[-1] if i + 1 < len(frames) else "(self)"
                apply_frames[frames[i].split("/")[-1] + " -> " + callee] += count
    node = os.path.basename(path).split(".")[0]
    print(f"\n{node}: {total} samples ({total * 0.002:.1f} s of CPU)")
    for name, count in by_thread.most_common(10):
        print(f"  {100 * count / total:5.1f}%  {name}")
    applied = sum(apply_frames.values())
    if applied:
        print("  apply thread, busiest RingKV frames:")
        for name, count in apply_frames.most_common(4):
            print(f"    {100 * count / applied:5.1f}%  {name}")
EOF
tail -4 "$out/bench.out" | head -3
