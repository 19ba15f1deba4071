#!/usr/bin/env bash
# Runs a command with the local stack up, then stops whatever this call had to start (and nothing else).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

already=()
for name in s3proxy registry kafka redis; do pid_of "$name" >/dev/null && already+=("$name"); done
to_stop=""
for name in s3proxy registry kafka redis; do
  [[ " ${already[*]-} " == *" $name "* ]] || to_stop+="$name "
done
cleanup() { STACK_SERVICES="$to_stop" "$ROOT_DIR/scripts/stack-down.sh"; }
trap cleanup EXIT
"$ROOT_DIR/scripts/stack-up.sh"
"$@"
