#!/usr/bin/env bash
# Stops the servers this project started (by their recorded pids, never by name), registry first, Kafka (the single
# node and every cluster node) last but one, Redis last. STACK_SERVICES limits it to some of them (used by
# scripts/with-stack.sh and the fault suites: `STACK_SERVICES=kafka-2` stops one cluster node).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

stop_one() {
  local name=$1 pid
  if ! pid=$(pid_of "$name"); then rm -f "$RUN_DIR/$name.pid"; return; fi
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    say "$name did not stop within 30s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$RUN_DIR/$name.pid"
}

# Cluster nodes are stopped together: stopped one by one, the last ones would wait for a quorum that is gone.
stop_group() {
  local name pids=()
  for name in "$@"; do stop_one "$name" & pids+=($!); done
  for pid in "${pids[@]}"; do wait "$pid"; done
}

# shellcheck disable=SC2046 # one word per recorded node
names=${STACK_SERVICES:-s3proxy registry kafka $(kafka_nodes_recorded | tr '\n' ' ') redis}
nodes=()
for name in $names; do
  if [[ $name == kafka-[0-9]* ]]; then nodes+=("$name"); continue; fi
  if (( ${#nodes[@]} > 0 )); then stop_group "${nodes[@]}"; nodes=(); fi
  stop_one "$name"
done
if (( ${#nodes[@]} > 0 )); then stop_group "${nodes[@]}"; fi
