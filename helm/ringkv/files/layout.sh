#!/bin/sh
# RingKV's layout hooks: bring the cluster map to the chart's `nodes` and `shards` with kvctl
# (docs/kubernetes.md, "Scaling nodes" and "Changing the shard count"). The Jobs of
# templates/layout-hooks.yaml run it with
#   STEP=remove-nodes  pre-upgrade: `kvctl node remove` for every node of the map whose ordinal is
#                      NODES or more, highest first, before the StatefulSet deletes those pods
#   STEP=reshard       post-install, post-upgrade: once pods 0..NODES-1 are in the map and up,
#                      `kvctl shard scale --to SHARDS`, then `kvctl node rebalance`
# and ENDPOINTS (the client Service, host:port), NODE_PREFIX (pod names are NODE_PREFIX<ordinal>),
# NODES, SHARDS, WAIT_TIMEOUT (kvctl --wait-timeout of each step) and CLUSTER_WAIT_SECONDS (how
# long to wait for the map before starting). Every step is idempotent: a rerun does what is left.
set -eu

POLL_SECONDS=${POLL_SECONDS:-5}

log() {
  echo "ringkv-layout: $*"
}

fail() {
  echo "ringkv-layout: $*" >&2
  exit 1
}

kvctl() {
  /opt/ringkv/bin/kvctl "$@" --endpoints "$ENDPOINTS"
}

# The map's node ids, one a line. `cluster status -o json` prints one line; each entry of "nodes"
# starts {"id":"...","raft":"host:port", and a node that reported but is not in the map has raft
# "-". Shard ids are numbers, so "id":" only starts a node.
map_nodes() {
  printf '%s\n' "$1" | grep -o '"id":"[^"]*","raft":"[^"]*"' | grep -v '"raft":"-"$' \
    | sed 's/^"id":"\([^"]*\)".*$/\1/'
}

# The map's replication (replicas per shard).
map_replication() {
  printf '%s\n' "$1" | grep -o '"replication":[0-9][0-9]*' | head -n 1 | cut -d: -f2
}

# Whether node $2 is in map $1 and up.
node_up() {
  printf '%s\n' "$1" | grep -q "\"id\":\"$2\",\"raft\":\"[^\"-][^\"]*\",\"api\":\"[^\"]*\",\"up\":true"
}

# The pods 0..NODES-1 that are not in map $1 or not up, space-separated.
nodes_not_up() {
  missing=""
  i=0
  while [ "$i" -lt "$NODES" ]; do
    node_up "$1" "$NODE_PREFIX$i" || missing="$missing $NODE_PREFIX$i"
    i=$((i + 1))
  done
  echo "${missing# }"
}

# The map's nodes with an ordinal of NODES or more, highest ordinal first, one a line.
nodes_beyond() {
  map_nodes "$1" | sed -n "s/^$NODE_PREFIX\([0-9][0-9]*\)\$/\1/p" | sort -rn | while read -r ordinal; do
    if [ "$ordinal" -ge "$NODES" ]; then
      echo "$NODE_PREFIX$ordinal"
    fi
  done
}

# Reads the map into $map until `$1 "$map"` succeeds; fails after CLUSTER_WAIT_SECONDS. The
# cluster may still be forming (an install without --wait) or a pod may be restarting.
wait_for_map() {
  deadline=$(($(date +%s) + CLUSTER_WAIT_SECONDS))
  while :; do
    if map=$(kvctl cluster status -o json 2>&1) && "$1" "$map"; then
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      fail "gave up after ${CLUSTER_WAIT_SECONDS}s waiting for $2; last answer: $map"
    fi
    sleep "$POLL_SECONDS"
  done
}

any_map() {
  map_nodes "$1" | grep -q .
}

all_nodes_up() {
  [ -z "$(nodes_not_up "$1")" ]
}

remove_nodes() {
  wait_for_map any_map "the cluster map at $ENDPOINTS (an upgrade that removes no node can skip this hook: --set reshardHook.enabled=false)"
  replication=$(map_replication "$map")
  [ -n "$replication" ] || fail "no replication in the cluster map: $map"
  if [ "$NODES" -lt "$replication" ]; then
    fail "refusing to scale to $NODES nodes: every shard has $replication replicas, so the cluster needs at least $replication nodes; nothing was changed"
  fi
  beyond=$(nodes_beyond "$map")
  if [ -z "$beyond" ]; then
    log "no node of the map has an ordinal of $NODES or more: nothing to remove"
    return 0
  fi
  for node in $beyond; do
    log "removing $node: its replicas move to the other nodes, then the map forgets it"
    kvctl node remove "$node" --wait-timeout "$WAIT_TIMEOUT"
  done
  log "removed $(echo "$beyond" | paste -sd ' ' -); the StatefulSet now shrinks to $NODES pods"
}

reshard() {
  wait_for_map all_nodes_up "nodes ${NODE_PREFIX}0..$((NODES - 1)) to be in the map and up"
  log "scaling to $SHARDS shards"
  kvctl shard scale --to "$SHARDS" --wait-timeout "$WAIT_TIMEOUT"
  log "rebalancing replicas and preferred leaders over $NODES nodes"
  kvctl node rebalance --wait-timeout "$WAIT_TIMEOUT"
  log "done"
}

case "${STEP:-}" in
  remove-nodes) remove_nodes ;;
  reshard) reshard ;;
  *) fail "STEP must be remove-nodes or reshard, not '${STEP:-}'" ;;
esac
