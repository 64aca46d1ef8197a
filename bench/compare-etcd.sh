#!/usr/bin/env bash
# RingKV against etcd under the same YCSB workloads, on this machine (docs/benchmarks.md,
# "Comparison with etcd"). Starts a 3-member etcd cluster on loopback (client ports 2379, 22379,
# 32379; peer ports 2380, 22380, 32380; default settings, so every write is fsync'd), runs the
# phases against it and stops it; then starts a 3-node RingKV cluster (bin/ringkv-local, ports
# 7001-7003/8001-8003/9001-9003, SHARDS shards x 3 replicas, fsync on) and runs the same phases.
# Prints a markdown table and writes it, with every raw YCSB output, to OUT.
#
#   bench/compare-etcd.sh [--etcd-only | --ringkv-only]
#
# Phases, each a fresh YCSB client JVM with THREADS threads (the 1-thread put phase excepted);
# the table leaves out the first SKIP_SECONDS of each (the client JVM's own warm-up), using YCSB's
# per-second HdrHistogram logs (ringkv.bench.ycsb.YcsbSteadyState); YCSB's whole-run report stays
# in the raw output:
#   warm-up   load WARMUP_RECORDS into table 'warmup', then workload A on it for WARMUP_SECONDS;
#             not reported (the RingKV JVMs' JIT needs about 5 minutes under load on 2 cores,
#             docs/benchmarks.md "Warm-up"; etcd gets the same).
#             The load matters: workload A's updates are compare-and-sets, so the plain put path of
#             the servers is compiled only by the warm-up load (1,000 records left it cold)
#   load      YCSB load of records of FIELDCOUNT x FIELDLENGTH bytes for LOAD_SECONDS (keys 0, 1, 2...
#             as long as the time lasts, at least RECORDS), measured like the runs without their
#             first SKIP_SECONDS; with LOAD_SECONDS=0, a load of exactly RECORDS records instead,
#             without at most its first 10 s (bounded by its count, it may last only seconds)
#   C         workload C (100% read, zipfian, linearizable) for RUN_SECONDS (or RUN_OPS operations)
#   A         workload A (50% read, 50% update) likewise
#   A@target  workload A at a fixed offered rate (YCSB -target): TARGET ops/s, by default
#             TARGET_PERCENT% of etcd's measured A throughput (of this side's own A with --*-only)
#   put-1     one client thread, one insert (a put of a new 1 KB record) at a time, for
#             PUT_SECONDS (or PUT_OPS operations)
# Besides throughput and latency the table gives the CPU time per operation of the side's three
# server processes and of the YCSB client, over the same measured part of each phase (from /proc,
# sampled each second into OUT/<side>/<phase>.cpu).
#
# Environment (defaults): THREADS (32), WARMUP_SECONDS (300), WARMUP_RECORDS (50000), SKIP_SECONDS (60),
# LOAD_SECONDS (120), RECORDS (50000; the keys C and A use), FIELDCOUNT (10), FIELDLENGTH (100), RUN_SECONDS (150),
# RUN_OPS (unbounded), TARGET (see above), TARGET_PERCENT (70), PUT_SECONDS (90), PUT_OPS (unbounded), SHARDS (3),
# SIDES (etcd,ringkv), OUT (bench/results/<UTC timestamp>), ETCD (etcd binary: etcd),
# WORK_DIR (data dirs: its etcd/ and ringkv/, removed at the end; default a new temp dir under TMPDIR).
# etcd comes from Debian (apt-get install etcd-server etcd-client) when it is missing.
# RingKV's nodes run with 2 GB heaps (RINGKV_JAVA_OPTS overrides it): a fast run's inserts (the
# warm-up's, the load's and put-1's, 500,000-700,000 records of 1 KB) would reach a 1 GB heap's
# max-data-memory (60 %), and the node would refuse them (docs/operations.md, "Memory"). etcd's data
# lives in the page cache, with no such cap.
set -euo pipefail
. "$(dirname "$0")/../bin/lib/common.sh"
export RINGKV_JAVA_OPTS=${RINGKV_JAVA_OPTS:-$(node_java_opts_with_heap 2g)}

THREADS=${THREADS:-32}
WARMUP_SECONDS=${WARMUP_SECONDS:-300}
WARMUP_RECORDS=${WARMUP_RECORDS:-50000}
SKIP_SECONDS=${SKIP_SECONDS:-60}
RECORDS=${RECORDS:-50000}
LOAD_SECONDS=${LOAD_SECONDS:-120}
FIELDCOUNT=${FIELDCOUNT:-10}
FIELDLENGTH=${FIELDLENGTH:-100}
RUN_SECONDS=${RUN_SECONDS:-150}
RUN_OPS=${RUN_OPS:-}
TARGET=${TARGET:-}
TARGET_PERCENT=${TARGET_PERCENT:-70}
PUT_SECONDS=${PUT_SECONDS:-90}
PUT_OPS=${PUT_OPS:-}
SHARDS=${SHARDS:-3}
SIDES=${SIDES:-etcd,ringkv}
ETCD=${ETCD:-etcd}
OUT=${OUT:-$RINGKV_ROOT/bench/results/$(date -u +%Y%m%dT%H%M%SZ)}

while [ $# -gt 0 ]; do
  case "$1" in
    --etcd-only) SIDES=etcd ;;
    --ringkv-only) SIDES=ringkv ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
    *) echo "compare-etcd: error: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for n in THREADS WARMUP_SECONDS WARMUP_RECORDS SKIP_SECONDS RECORDS LOAD_SECONDS FIELDCOUNT FIELDLENGTH RUN_SECONDS TARGET_PERCENT \
    PUT_SECONDS SHARDS; do
  case "${!n}" in ''|*[!0-9]*) echo "compare-etcd: error: $n must be a number, got '${!n}'" >&2; exit 2 ;; esac
done
for n in RUN_OPS PUT_OPS TARGET; do
  case "${!n}" in *[!0-9]*) echo "compare-etcd: error: $n must be a number, got '${!n}'" >&2; exit 2 ;; esac
done
[ "$LOAD_SECONDS" = 0 ] || [ "$LOAD_SECONDS" -gt "$SKIP_SECONDS" ] \
  || { echo "compare-etcd: error: LOAD_SECONDS ($LOAD_SECONDS) must be 0 or more than SKIP_SECONDS ($SKIP_SECONDS)" >&2; exit 2; }
case ",$SIDES," in *,etcd,*|*,ringkv,*) ;; *) echo "compare-etcd: error: SIDES must name etcd and/or ringkv" >&2; exit 2 ;; esac
has_side() { case ",$SIDES," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

ETCD_CLIENT_PORTS=(2379 22379 32379)
ETCD_PEER_PORTS=(2380 22380 32380)
ETCD_ENDPOINTS=http://127.0.0.1:2379,http://127.0.0.1:22379,http://127.0.0.1:32379
RINGKV_ENDPOINTS=127.0.0.1:8001,127.0.0.1:8002,127.0.0.1:8003
BIG=2000000000 # "unbounded" operation count (YCSB parses an int); maxexecutiontime ends the run
# the most records a timed load may insert (about 1 GB at the default record size)
LOAD_RECORDS_CAP=1000000

log() { echo "[compare-etcd $(date +%H:%M:%S)] $*" >&2; }
die() { log "error: $*"; exit 1; }

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
work_dir_ours=0
if [ -z "${WORK_DIR:-}" ]; then
  WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/compare-etcd.XXXXXX")
  work_dir_ours=1
fi
mkdir -p "$WORK_DIR"
WORK_DIR=$(cd "$WORK_DIR" && pwd)
if [ -e "$WORK_DIR/etcd" ] || [ -e "$WORK_DIR/ringkv" ]; then
  echo "compare-etcd: error: $WORK_DIR already holds etcd/ or ringkv/ data" >&2; exit 2
fi

# --- everything started here is stopped on exit, Ctrl-C included -------------------------------
etcd_pids=()
ycsb_pid=
ringkv_started=0
policy_rc_d_ours=0
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ -n "$ycsb_pid" ] && kill -0 "$ycsb_pid" 2>/dev/null; then kill -TERM "$ycsb_pid" 2>/dev/null || true; fi
  stop_etcd
  if [ "$ringkv_started" = 1 ]; then
    "$RINGKV_ROOT/bin/ringkv-local" stop --data-dir "$WORK_DIR/ringkv" >&2 || true
    ringkv_started=0
  fi
  if [ "$policy_rc_d_ours" = 1 ]; then rm -f /usr/sbin/policy-rc.d; fi
  if [ "$work_dir_ours" = 1 ]; then rm -rf "$WORK_DIR"; else rm -rf "$WORK_DIR/etcd" "$WORK_DIR/ringkv"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

port_busy() { ss -ltnH "sport = :$1" 2>/dev/null | grep -q .; }
port_pids() { ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u; }

# --- etcd ---------------------------------------------------------------------------------------
install_etcd() {
  command -v "$ETCD" >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1 && return 0
  [ "$(id -u)" = 0 ] || die "etcd is missing; install it with: sudo apt-get install etcd-server etcd-client"
  log "installing etcd from Debian (etcd-server etcd-client)"
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    # keep the package from starting its own etcd service during the install (invoke-rc.d asks this)
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    policy_rc_d_ours=1
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server etcd-client >&2
  if [ "$policy_rc_d_ours" = 1 ]; then rm -f /usr/sbin/policy-rc.d; policy_rc_d_ours=0; fi
  command -v "$ETCD" >/dev/null 2>&1 || die "etcd is still missing after apt-get install"
}

# The Debian package's own etcd (service 'etcd', data in /var/lib/etcd, client port 2379) must not
# be what we measure, nor hold our ports: stop it if it runs. Anything else on our ports is an error.
stop_foreign_etcd() {
  local port pid cmd
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet etcd 2>/dev/null; then
    log "stopping the Debian package's etcd service (systemctl stop etcd)"
    systemctl stop etcd || true
  fi
  for port in "${ETCD_CLIENT_PORTS[@]}" "${ETCD_PEER_PORTS[@]}"; do
    for pid in $(port_pids "$port"); do
      cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || true)
      case "$cmd" in
        *etcd*)
          log "port $port is held by an etcd this script did not start (pid $pid: $cmd); stopping it"
          service etcd stop >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true ;;
        *) die "port $port is in use by pid $pid ($cmd); free it first" ;;
      esac
    done
  done
  for port in "${ETCD_CLIENT_PORTS[@]}" "${ETCD_PEER_PORTS[@]}"; do
    local waited=0
    while port_busy "$port"; do
      [ $waited -lt 20 ] || die "port $port is still in use"
      sleep 1; waited=$((waited + 1))
    done
  done
}

start_etcd() {
  local i cluster="" name
  for i in 0 1 2; do cluster="${cluster:+$cluster,}m$((i + 1))=http://127.0.0.1:${ETCD_PEER_PORTS[$i]}"; done
  for i in 0 1 2; do
    name=m$((i + 1))
    mkdir -p "$WORK_DIR/etcd"
    # default settings otherwise: WAL fsync on every commit, snapshot-count, heartbeat 100 ms, election 1 s
    "$ETCD" --name "$name" --data-dir "$WORK_DIR/etcd/$name" \
      --listen-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORTS[$i]}" \
      --advertise-client-urls "http://127.0.0.1:${ETCD_CLIENT_PORTS[$i]}" \
      --listen-peer-urls "http://127.0.0.1:${ETCD_PEER_PORTS[$i]}" \
      --initial-advertise-peer-urls "http://127.0.0.1:${ETCD_PEER_PORTS[$i]}" \
      --initial-cluster "$cluster" --initial-cluster-token "compare-etcd-$$" --initial-cluster-state new \
      >"$WORK_DIR/etcd/$name.log" 2>&1 &
    etcd_pids+=($!)
  done
  local deadline=$((SECONDS + 60))
  until ETCDCTL_API=3 etcdctl --endpoints "$ETCD_ENDPOINTS" endpoint health >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { tail -n 20 "$WORK_DIR"/etcd/m*.log >&2; die "etcd did not become healthy in 60 s"; }
    for pid in "${etcd_pids[@]}"; do kill -0 "$pid" 2>/dev/null || { tail -n 20 "$WORK_DIR"/etcd/m*.log >&2; die "an etcd member exited"; }; done
    sleep 1
  done
  # the members answering are ours (names m1-m3 with our peer URLs), not another instance
  local members
  members=$(ETCDCTL_API=3 etcdctl --endpoints "$ETCD_ENDPOINTS" member list)
  for i in 0 1 2; do
    echo "$members" | grep -q "m$((i + 1)), http://127.0.0.1:${ETCD_PEER_PORTS[$i]}" \
      || die "etcd member list is not the cluster this script started: $members"
  done
  log "etcd cluster healthy: $(echo "$members" | wc -l) members, pids ${etcd_pids[*]}"
}

stop_etcd() {
  local pid waited
  [ ${#etcd_pids[@]} -gt 0 ] || return 0
  for pid in "${etcd_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${etcd_pids[@]}"; do
    waited=0
    while kill -0 "$pid" 2>/dev/null && [ $waited -lt 20 ]; do sleep 0.5; waited=$((waited + 1)); done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ -d "$OUT/etcd" ]; then
    for f in "$WORK_DIR"/etcd/m*.log; do [ -f "$f" ] && gzip -c "$f" >"$OUT/etcd/$(basename "$f").gz"; done
  fi
  etcd_pids=()
}

# --- RingKV -------------------------------------------------------------------------------------
start_ringkv() {
  local port
  for port in 7001 7002 7003 8001 8002 8003 9001 9002 9003; do
    port_busy "$port" && die "port $port is in use (pid $(port_pids "$port" | tr '\n' ' ')): another RingKV cluster? stop it first"
  done
  ringkv_started=1
  "$RINGKV_ROOT/bin/ringkv-local" start --detach --data-dir "$WORK_DIR/ringkv" --shards "$SHARDS" >&2
}

stop_ringkv() {
  [ "$ringkv_started" = 1 ] || return 0
  "$RINGKV_ROOT/bin/ringkv-local" stop --data-dir "$WORK_DIR/ringkv" >&2 || true
  ringkv_started=0
  for f in "$WORK_DIR"/ringkv/n*.log; do [ -f "$f" ] && gzip -c "$f" >"$OUT/ringkv/$(basename "$f").gz"; done
}

# --- CPU per operation --------------------------------------------------------------------------
# Throughput on a shared 2-core VM moves with the machine; the CPU an operation costs moves less,
# and says what a system would do with the cores to itself (docs/benchmarks.md, "Comparison with
# etcd", the "CPU per op" rows). Each phase samples, once a second, the CPU time of its YCSB client and of the
# side's three server processes from /proc; the rows use the samples of the measured part.
server_pids() {
  if [ "$1" = etcd ]; then echo "${etcd_pids[*]}"; else cat "$WORK_DIR"/ringkv/n*.pid; fi
}
# cpu_sampler CLIENT_PID SERVER_PIDS FILE: "<unix seconds> <client ticks> <server ticks>" each second
# while the client runs (a line is written only when every process could be read)
cpu_sampler() {
  local client=$1 servers=$2 file=$3 now c s p server_stats=()
  for p in $servers; do server_stats+=("/proc/$p/stat"); done
  : >"$file"
  while kill -0 "$client" 2>/dev/null; do
    now=$(date +%s.%N)
    if c=$(cpu_ticks "/proc/$client/stat") && s=$(cpu_ticks "${server_stats[@]}") && kill -0 "$client" 2>/dev/null; then
      echo "$now $c $s" >>"$file"
    fi
    sleep 1
  done
}
# cpu_per_op SAMPLES SKIP START OPS_PER_S: appends "[CPU], ServerPerOp(us)" and "ClientPerOp(us)"
# lines (YCSB's report format, so the table reads them like the other metrics): CPU seconds per
# second over the samples taken SKIP seconds or more after START, divided by the measured throughput
cpu_per_op() {
  awk -v skip="$2" -v start="$3" -v ops="$4" -v hz="$(getconf CLK_TCK)" '
    $1 - start >= skip { if (!n++) { t0 = $1; c0 = $2; s0 = $3 } t1 = $1; c1 = $2; s1 = $3 }
    END {
      if (n < 2 || ops <= 0 || t1 <= t0) exit
      printf "[CPU], ServerPerOp(us), %.0f\n", (s1 - s0) / hz / (t1 - t0) / ops * 1e6
      printf "[CPU], ClientPerOp(us), %.0f\n", (c1 - c0) / hz / (t1 - t0) / ops * 1e6
    }' "$1"
}

# --- YCSB ---------------------------------------------------------------------------------------
# ycsb SIDE PHASE load|run ARGS...: one YCSB client run; raw output in OUT/SIDE/PHASE.{out,err}
ycsb() {
  local side=$1 phase=$2 mode=$3
  shift 3
  local db_args=(--db "$side")
  if [ "$side" = etcd ]; then db_args+=(-p "etcd.endpoints=$ETCD_ENDPOINTS"); else db_args+=(-p "ringkv.endpoints=$RINGKV_ENDPOINTS"); fi
  log "$side: $phase"
  # -s with 1-s intervals: a status line per second on stderr and per-second histograms in PHASE-*.hdr
  "$RINGKV_ROOT/bin/ringkv-ycsb" "$mode" "${db_args[@]}" -p "fieldcount=$FIELDCOUNT" -p "fieldlength=$FIELDLENGTH" \
    -p hdrhistogram.percentiles=50,95,99 -s -p status.interval=1 -p hdrhistogram.fileoutput=true \
    -p "hdrhistogram.output.path=$OUT/$side/$phase-" "$@" >"$OUT/$side/$phase.out" 2>"$OUT/$side/$phase.err" &
  ycsb_pid=$!
  local started
  started=$(date +%s.%N)
  cpu_sampler "$ycsb_pid" "$(server_pids "$side")" "$OUT/$side/$phase.cpu" &
  local sampler_pid=$!
  local status=0
  wait "$ycsb_pid" || status=$?
  ycsb_pid=
  wait "$sampler_pid" || true
  grep -q '^\[OVERALL\], Throughput' "$OUT/$side/$phase.out" \
    || { tail -n 30 "$OUT/$side/$phase.err" >&2; die "$side $phase: YCSB printed no results (exit $status)"; }
  # a client thread that died or could not connect (YCSB prints the stack trace, goes on with fewer threads)
  if grep -qE '^Exception in thread|^site\.ycsb\.DBException' "$OUT/$side/$phase.err"; then
    grep -A3 -E '^Exception in thread|^site\.ycsb\.DBException' "$OUT/$side/$phase.err" | head -n 8 >&2
    die "$side $phase: a YCSB client thread failed"
  fi
  local failed
  failed=$(failures "$OUT/$side/$phase.out")
  if [ "$failed" != 0 ]; then
    log "$side $phase: $failed operations failed: $(grep -o '^\[[A-Z-]*\], Return=[A-Z_]*, [0-9]*' "$OUT/$side/$phase.out" | grep -v 'Return=OK' | tr '\n' ' ')"
  fi
  # the steady part: without the intervals of the first SKIP_SECONDS (at most 10 s of a load bounded
  # by its record count: a fast store finishes it in seconds)
  local skip=$SKIP_SECONDS
  case "$phase" in
    warmup-load) [ "$skip" -le 10 ] || skip=10 ;;
    load) [ "$LOAD_SECONDS" -gt 0 ] || [ "$skip" -le 10 ] || skip=10 ;;
  esac
  java -cp "$(classpath_of kv-bench)" ringkv.bench.ycsb.YcsbSteadyState "$skip" "$OUT/$side/$phase-" \
    >"$OUT/$side/$phase.steady" || die "$side $phase: no per-second histograms to read"
  cpu_per_op "$OUT/$side/$phase.cpu" "$skip" "$started" "$(metric "$OUT/$side/$phase.steady" OVERALL 'Throughput(ops/sec)')" \
    >>"$OUT/$side/$phase.steady"
  log "$side $phase: $(metric "$OUT/$side/$phase.out" OVERALL 'Throughput(ops/sec)' | awk '{printf "%.0f", $1}') ops/s" \
    "over the whole run, $(metric "$OUT/$side/$phase.steady" OVERALL 'Throughput(ops/sec)' | awk '{printf "%.0f", $1}') ops/s" \
    "after $(metric "$OUT/$side/$phase.steady" OVERALL SkippedSeconds) s"
}

# metric FILE SECTION NAME: a number from YCSB's final report ("[READ], 99thPercentileLatency(us), 1234")
metric() {
  awk -F', ' -v s="[$2]" -v n="$3" '$1 == s && $2 == n { print $3; found = 1; exit } END { if (!found) print "" }' "$1"
}
# failures FILE: operations whose status was not OK (from the Return= counts)
failures() {
  awk -F', ' '$2 ~ /^Return=/ && $2 != "Return=OK" && $1 !~ /^\[Intended-/ { n += $3 } END { print n + 0 }' "$1"
}

count_args() {  # count_args SECONDS OPS: operationcount and maxexecutiontime of a measured run
  echo "-p operationcount=${2:-$BIG} -p maxexecutiontime=$1"
}

run_side() {
  local side=$1
  mkdir -p "$OUT/$side"
  if [ "$side" = etcd ]; then
    install_etcd
    stop_foreign_etcd
    "$ETCD" --version | head -n 1 >"$OUT/etcd/version.txt"
    start_etcd
  else
    start_ringkv
  fi
  if [ "$WARMUP_SECONDS" -gt 0 ]; then
    ycsb "$side" warmup-load load -P workloada -threads "$THREADS" -p table=warmup -p "recordcount=$WARMUP_RECORDS"
    ycsb "$side" warmup run -P workloada -threads "$THREADS" -p table=warmup -p "recordcount=$WARMUP_RECORDS" \
      -p "operationcount=$BIG" -p "maxexecutiontime=$WARMUP_SECONDS"
  fi
  # the records in the table after the load; put-1 inserts new ones after them
  local loaded=$RECORDS
  # shellcheck disable=SC2046
  {
    if [ "$LOAD_SECONDS" -gt 0 ]; then
      # a timed load, so that its steady part is as long as the other phases' whatever the store's
      # speed; recordcount only caps it (and sizes YCSB's key chooser), keys are inserted in order
      ycsb "$side" load load -P workloada -threads "$THREADS" -p "recordcount=$LOAD_RECORDS_CAP" \
        -p "maxexecutiontime=$LOAD_SECONDS"
      loaded=$(metric "$OUT/$side/load.out" INSERT Operations)
      [ "${loaded:-0}" -ge "$RECORDS" ] \
        || die "$side load: inserted ${loaded:-0} records in $LOAD_SECONDS s, fewer than the $RECORDS that C and A read; raise LOAD_SECONDS or lower RECORDS"
    else
      ycsb "$side" load load -P workloada -threads "$THREADS" -p "recordcount=$RECORDS"
    fi
    ycsb "$side" c run -P workloadc -threads "$THREADS" -p "recordcount=$RECORDS" $(count_args "$RUN_SECONDS" "$RUN_OPS")
    ycsb "$side" a run -P workloada -threads "$THREADS" -p "recordcount=$RECORDS" $(count_args "$RUN_SECONDS" "$RUN_OPS")
  }
  local target=$TARGET
  if [ -z "$target" ]; then
    local base=$side
    [ -f "$OUT/etcd/a.steady" ] && base=etcd
    # at least 1 op/s per thread: YCSB 0.17.0's throttle overflows below about 0.5 op/s per thread
    target=$(metric "$OUT/$base/a.steady" OVERALL 'Throughput(ops/sec)' \
      | awk -v p="$TARGET_PERCENT" -v n="$THREADS" '{ t = int($1 * p / 100); print (t < n ? n : t) }')
    log "A@target: $target ops/s ($TARGET_PERCENT% of $base's workload A throughput)"
  fi
  [ "$target" -ge "$THREADS" ] || die "TARGET ($target) must be at least THREADS ($THREADS): YCSB's throttle needs 1 op/s per thread"
  echo "$target" >"$OUT/$side/target.txt"
  # shellcheck disable=SC2046
  {
    ycsb "$side" a-target run -P workloada -threads "$THREADS" -p "recordcount=$RECORDS" -target "$target" \
      -p measurement.interval=both $(count_args "$RUN_SECONDS" "$RUN_OPS")
    ycsb "$side" put-1 run -P workloada -threads 1 -p "recordcount=$loaded" -p readproportion=0 \
      -p updateproportion=0 -p insertproportion=1 -p requestdistribution=uniform $(count_args "$PUT_SECONDS" "$PUT_OPS")
  }
  if [ "$side" = etcd ]; then stop_etcd; else stop_ringkv; fi
}

# --- the table ----------------------------------------------------------------------------------
# value SIDE PHASE SECTION NAME [ms]: a steady-state metric, latencies converted from us to ms
value() {
  local f="$OUT/$1/$2.steady" v
  [ -f "$f" ] || { echo ""; return; }
  v=$(metric "$f" "$3" "$4")
  [ -n "$v" ] || { echo ""; return; }
  if [ "${5:-}" = ms ]; then awk -v v="$v" 'BEGIN { printf "%.2f", v / 1000 }'; else awk -v v="$v" 'BEGIN { printf "%.0f", v }'; fi
}

# row LABEL KIND(ops|ms|n) PHASE SECTION NAME: one table line; the ratio is > 1 when RingKV is better
row() {
  local label=$1 kind=$2 e r unit ratio better
  e=$(value etcd "$3" "$4" "$5" "$([ "$kind" = ms ] && echo ms)")
  r=$(value ringkv "$3" "$4" "$5" "$([ "$kind" = ms ] && echo ms)")
  ratio=$(awk -v e="$e" -v r="$r" -v k="$kind" 'BEGIN {
    if (e == "" || r == "" || e + 0 == 0 || r + 0 == 0 || k == "n") { print "-"; exit }
    printf "%.2f", (k == "ms" ? e / r : r / e) }')
  better=-
  if [ "$ratio" != - ]; then
    better=$(awk -v x="$ratio" 'BEGIN { print (x > 1.05 ? "RingKV" : (x < 0.95 ? "etcd" : "even")) }')
  fi
  unit=
  if [ "$kind" = ms ]; then unit=" (ms)"; fi
  echo "| $label$unit | ${e:--} | ${r:--} | $ratio | $better |"
}

# races_row PHASE: lost update races (version-checked writes that found another version) per update
races_row() {
  local side v e="" r=""
  for side in etcd ringkv; do
    v=-
    if [ -f "$OUT/$side/$1.err" ]; then
      v=$(awk -F', ' '$1 == "[UPDATE-RACES]" { x[$2] = $3 } END { if (x["Updates"] > 0) printf "%.3f", x["LostRaces"] / x["Updates"]; else print "-" }' "$OUT/$side/$1.err")
    fi
    if [ "$side" = etcd ]; then e=$v; else r=$v; fi
  done
  echo "| $2 | $e | $r | - | - |"
}

errors_row() {
  local e="" r="" phase side n
  for side in etcd ringkv; do
    n=-
    # the side's outputs, whether this invocation ran it or an earlier one with the same OUT
    for phase in load c a a-target put-1; do
      [ -f "$OUT/$side/$phase.out" ] && n=$(( ${n/-/0} + $(failures "$OUT/$side/$phase.out") ))
    done
    if [ "$side" = etcd ]; then e=$n; else r=$n; fi
  done
  echo "| failed operations (all measured phases) | $e | $r | - | - |"
}

print_table() {
  local commit
  commit=$(git -C "$RINGKV_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  git -C "$RINGKV_ROOT" diff --quiet HEAD 2>/dev/null || commit="$commit (+ uncommitted changes)"
  echo "RingKV ($commit, 3 nodes, $SHARDS shards x 3 replicas, heap $(grep -o -- '-Xmx[^ ]*' <<<"$RINGKV_JAVA_OPTS" || echo 'the JVM default')) vs etcd ($(cat "$OUT/etcd/version.txt" 2>/dev/null || echo 'not run'), 3 members)"
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), data dirs on $(df -T "$WORK_DIR" | awk 'NR == 2 { print $2 }'), $(java -version 2>&1 | head -n 1)"
  echo "THREADS=$THREADS RECORDS=$RECORDS (x $FIELDCOUNT fields x $FIELDLENGTH B) LOAD_SECONDS=$LOAD_SECONDS WARMUP_SECONDS=$WARMUP_SECONDS SKIP_SECONDS=$SKIP_SECONDS RUN_SECONDS=$RUN_SECONDS${RUN_OPS:+ RUN_OPS=$RUN_OPS} PUT_SECONDS=$PUT_SECONDS${PUT_OPS:+ PUT_OPS=$PUT_OPS} target: etcd $(cat "$OUT/etcd/target.txt" 2>/dev/null || echo -), RingKV $(cat "$OUT/ringkv/target.txt" 2>/dev/null || echo -) ops/s"
  echo
  echo "| metric | etcd | RingKV | ratio | better |"
  echo "| --- | ---: | ---: | ---: | --- |"
  row "load throughput (ops/s)" ops load OVERALL 'Throughput(ops/sec)'
  row "load insert p50" ms load INSERT 50thPercentileLatency\(us\)
  row "load insert p99" ms load INSERT 99thPercentileLatency\(us\)
  row "C throughput (ops/s)" ops c OVERALL 'Throughput(ops/sec)'
  row "C read p50" ms c READ 50thPercentileLatency\(us\)
  row "C read p99" ms c READ 99thPercentileLatency\(us\)
  row "A throughput (ops/s)" ops a OVERALL 'Throughput(ops/sec)'
  row "A read p50" ms a READ 50thPercentileLatency\(us\)
  row "A read p99" ms a READ 99thPercentileLatency\(us\)
  row "A update p50" ms a UPDATE 50thPercentileLatency\(us\)
  row "A update p99" ms a UPDATE 99thPercentileLatency\(us\)
  races_row a "A update: lost races per update (whole run)"
  row "A@target achieved (ops/s)" n a-target OVERALL 'Throughput(ops/sec)'
  row "A@target read p99, from intended start" ms a-target Intended-READ 99thPercentileLatency\(us\)
  row "A@target update p99, from intended start" ms a-target Intended-UPDATE 99thPercentileLatency\(us\)
  row "A@target read p99, service time" ms a-target READ 99thPercentileLatency\(us\)
  row "A@target update p99, service time" ms a-target UPDATE 99thPercentileLatency\(us\)
  row "1-thread put avg" ms put-1 INSERT AverageLatency\(us\)
  row "1-thread put p99" ms put-1 INSERT 99thPercentileLatency\(us\)
  row "server CPU per op, load" ms load CPU 'ServerPerOp(us)'
  row "server CPU per op, C" ms c CPU 'ServerPerOp(us)'
  row "server CPU per op, A" ms a CPU 'ServerPerOp(us)'
  row "server CPU per op, 1-thread put" ms put-1 CPU 'ServerPerOp(us)'
  row "client CPU per op, load" ms load CPU 'ClientPerOp(us)'
  row "client CPU per op, C" ms c CPU 'ClientPerOp(us)'
  row "client CPU per op, A" ms a CPU 'ClientPerOp(us)'
  errors_row
  echo
  echo "ratio: RingKV/etcd for throughput, etcd/RingKV for latency; above 1 means RingKV is better."
  echo "Each phase without its first $SKIP_SECONDS s$([ "$LOAD_SECONDS" -gt 0 ] || echo " (the load: at most 10 s)"), the YCSB client JVM's warm-up; shorter phases whole; YCSB's whole-run reports: OUT/<side>/<phase>.out."
}

# --- main ---------------------------------------------------------------------------------------
ensure_built kv-server kv-cli kv-bench
[ -f "$RINGKV_ROOT/kv-bench/target/lib/core-0.17.0.jar" ] \
  || (cd "$RINGKV_ROOT" && ./mvnw -q -B -DskipTests package -pl kv-bench -am) >&2
log "output: $OUT; data: $WORK_DIR; sides: $SIDES; threads: $THREADS"
for side in etcd ringkv; do
  has_side "$side" && run_side "$side"
done
print_table | tee "$OUT/table.md"
log "raw YCSB outputs and the table: $OUT"
