#!/usr/bin/env bash
# Runs a command with the local stack up, then stops whatever this call had to start (and nothing else).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

servers="s3proxy registry kafka redis"
if (( KAFKA_NODES > 1 )); then servers="s3proxy registry $(for n in $(seq 1 "$KAFKA_NODES"); do printf 'kafka-%s ' "$n"; done)redis"; fi
already=()
for name in $servers; do pid_of "$name" >/dev/null && already+=("$name"); done
to_stop=""
for name in $servers; do
  [[ " ${already[*]-} " == *" $name "* ]] || to_stop+="$name "
done
cleanup() { STACK_SERVICES="$to_stop" "$ROOT_DIR/scripts/stack-down.sh"; }
trap cleanup EXIT
"$ROOT_DIR/scripts/stack-up.sh"
# The command talks to the Kafka that was asked for: the cluster's nodes when KAFKA_NODES > 1.
if (( KAFKA_NODES > 1 )); then export KAFKA_BROKERS=${KAFKA_BROKERS:-$(cluster_brokers)}; fi
"$@"
