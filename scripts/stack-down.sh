#!/usr/bin/env bash
# Stops the servers this project started (by their recorded pids, never by name), registry first, Kafka last
# but one, Redis last. STACK_SERVICES limits it to some of them (used by scripts/with-stack.sh).
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

for name in ${STACK_SERVICES:-s3proxy registry kafka redis}; do stop_one "$name"; done
