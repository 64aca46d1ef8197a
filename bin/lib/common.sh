# Shared by the bin/ scripts: locate the checkout, build what is missing, build classpaths.
# shellcheck shell=bash

RINGKV_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# jar_of MODULE: the module's main jar (not tests/sources), or nothing.
jar_of() {
  local module=$1 jar
  for jar in "$RINGKV_ROOT/$module"/target/"$module"-*.jar; do
    case "$jar" in *-tests.jar|*-sources.jar|*-javadoc.jar) continue ;; esac
    [ -f "$jar" ] && { echo "$jar"; return 0; }
  done
  return 1
}

# ensure_built MODULE...: runs the Maven build once if any module's jar or lib/ is missing.
ensure_built() {
  local module missing=0
  for module in "$@"; do
    if ! jar_of "$module" >/dev/null || [ ! -d "$RINGKV_ROOT/$module/target/lib" ]; then
      missing=1
    fi
  done
  if [ "$missing" = 1 ]; then
    echo "building RingKV (first run only; takes a few minutes)..." >&2
    (cd "$RINGKV_ROOT" && ./mvnw -q -B -DskipTests package -pl "$(IFS=,; echo "$*")" -am) >&2 || {
      echo "build failed; run ./mvnw -DskipTests package to see why" >&2
      return 1
    }
  fi
}

# classpath_of MODULE: the module's jar plus its runtime dependencies.
classpath_of() {
  echo "$(jar_of "$1"):$RINGKV_ROOT/$1/target/lib/*"
}

# JVM options of a RingKV node (bin/kv-server, bin/ringkv-local): RINGKV_JAVA_OPTS, or a 1 GB heap
# committed and touched at start, and G1 held to short pauses. Pre-touching moves the kernel's page
# zeroing out of the write path: without it 5 % of a loaded node's CPU went to faulting in fresh
# heap pages (step 8). With G1's default 200 ms pause goal a node's young collections took 60-130 ms
# and were the tail of every latency; what survives one here is data (values, log entries) that
# lives long, so it goes straight to the old generation instead of being copied through survivor
# spaces again and again (step 10). Both in docs/benchmarks.md, "Making it fast".
# The container image's kv-server (docker/bin/kv-server) and the chart's javaOpts repeat the G1 options.
node_java_opts() {
  echo "${RINGKV_JAVA_OPTS:-$(node_java_opts_with_heap 1g)}"
}

# The nodes' default JVM options with a heap of another size: node_java_opts_with_heap 2g
node_java_opts_with_heap() {
  echo "-Xms$1 -Xmx$1 -XX:+AlwaysPreTouch -XX:MaxGCPauseMillis=20 -XX:MaxTenuringThreshold=0 -XX:+ExitOnOutOfMemoryError"
}

# For bench scripts: a fresh data dir for a throwaway local cluster ($data, $data/cluster),
# local_cluster (bin/ringkv-local on it) and an EXIT trap that kills the load generator whose pid
# the script keeps in $bench_pid, stops the cluster and removes the data dir.
#   scratch_cluster <name>
scratch_cluster() {
  data=$(mktemp -d "${TMPDIR:-/tmp}/ringkv-$1.XXXXXX")
  bench_pid=
  local_cluster() { "$RINGKV_ROOT/bin/ringkv-local" "$@" --data-dir "$data/cluster"; }
  scratch_cluster_cleanup() {
    [ -n "$bench_pid" ] && kill "$bench_pid" 2>/dev/null
    local_cluster stop >/dev/null 2>&1 || true
    rm -rf "$data"
  }
  trap scratch_cluster_cleanup EXIT
}

# For bench scripts: "<commands> <entries>", the sum and count of commands per log entry (group
# commit, ringkv_server_entry_commands) over the three nodes of a local cluster (metrics ports
# 9001-9003). Two readings give the mean batch over the time between them.
entry_commands_totals() {
  local i
  for i in 1 2 3; do curl -s "http://127.0.0.1:$((9000 + i))/metrics"; done |
    awk '/^ringkv_server_entry_commands_sum/ { s += $2 } /^ringkv_server_entry_commands_count/ { c += $2 } END { print s + 0, c + 0 }'
}

# For bench scripts: cpu_ticks STATFILE...: the user + system CPU time, in clock ticks (getconf
# CLK_TCK per second), of the processes or threads whose /proc/<pid>/stat or
# /proc/<pid>/task/<tid>/stat files are given, summed. utime and stime are fields 14 and 15, the
# 12th and 13th after the ") " that ends the command name (which may hold spaces). Prints nothing
# and fails when a file cannot be read (the process or thread has exited).
cpu_ticks() {
  awk 'FNR == 1 { sub(/^.*\) /, ""); t += $12 + $13; n++ } END { if (n != ARGC - 1) exit 1; print t }' "$@" 2>/dev/null
}
