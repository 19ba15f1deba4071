#!/usr/bin/env bash
# Runs the fleet's services in the foreground, each line prefixed with its service name.
# Ctrl-C (or SIGTERM) stops every service gracefully and waits for them; a second Ctrl-C stops them at once.
# Each service runs in its own session, so the terminal's Ctrl-C reaches only this script, which then sends each
# service exactly one SIGTERM (a second signal is what tells a service to stop at once).
set -euo pipefail
ROOT_DIR=$(cd "$(dirname "$0")/.." && pwd)
[ $# -gt 0 ] || { echo "usage: $0 SERVICE..." >&2; exit 2; }

# Without a configured webhook key, use the local development key pair (never in production).
if [ -z "${DYTE_WEBHOOK_PUBLIC_KEY:-}${DYTE_WEBHOOK_PUBLIC_KEY_FILE:-}${DYTE_WEBHOOK_PUBLIC_KEY_URL:-}" ] && [ "${DYTE_WEBHOOK_VERIFY:-true}" != false ]; then
  DYTE_WEBHOOK_PUBLIC_KEY_FILE=$("$ROOT_DIR/scripts/dev-key.sh")
  export DYTE_WEBHOOK_PUBLIC_KEY_FILE
  echo "[fleet] verifying webhooks with the development key $DYTE_WEBHOOK_PUBLIC_KEY_FILE"
fi

pids=()
for service in "$@"; do
  main=$ROOT_DIR/dist/services/$service/src/main.js
  [ -f "$main" ] || { echo "no build of $service at $main: run 'make build'" >&2; exit 1; }
  # The log prefixer ignores Ctrl-C: it must outlive the service's last lines.
  setsid node --enable-source-maps "$main" > >(trap '' INT TERM; exec sed -u "s/^/[$service] /") 2>&1 &
  pids+=("$!")
  echo "[fleet] started $service"
done

echo "[fleet] send a signed sample event: scripts/send-sample.sh [test/fixtures/seed/<event>.json]"

stopping=false
stop() {
  if $stopping; then
    echo "[fleet] stopping now"
  else
    stopping=true
    echo "[fleet] stopping gracefully (Ctrl-C again to stop at once)"
  fi
  kill -TERM "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM
# `wait` returns whenever a trapped signal arrives: keep waiting until every service has exited.
for pid in "${pids[@]}"; do
  while kill -0 "$pid" 2>/dev/null; do wait "$pid" 2>/dev/null || true; done
done
echo "[fleet] stopped"
