#!/usr/bin/env bash
# Runs the fleet's services in the foreground, each line prefixed with its service name (and kept in
# .stack/logs/fleet-<service>.log), waits until each is ready, then prints how to try it.
#   scripts/run-fleet.sh SERVICE...     (services/<name>, `samples`: the local sample artifact server, `provider`:
#                                        the stand-in provider API, scripts/stand-in-provider.ts, or `prometheus`: a
#                                        local Prometheus (Debian's) scraping the fleet, with deploy/prometheus/alerts.yml)
# Ctrl-C (or SIGTERM) stops every service gracefully and waits for them; a second Ctrl-C stops them at once.
# Each service runs in its own session, so the terminal's Ctrl-C reaches only this script, which then sends each
# service exactly one SIGTERM (a second signal is what tells a service to stop at once).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ $# -gt 0 ] || { echo "usage: $0 SERVICE..." >&2; exit 2; }
fleet() { printf '[fleet] %s\n' "$*"; }
SAMPLES_PORT=${SAMPLE_ARTIFACTS_PORT:-8090}
export SAMPLE_ARTIFACTS_PORT=$SAMPLES_PORT
export STAND_IN_PROVIDER_PORT=${STAND_IN_PROVIDER_PORT:-8091} STAND_IN_ARTIFACTS_PORT=${STAND_IN_ARTIFACTS_PORT:-8092}
# No load balancer in front of this fleet: Ctrl-C stops the ingress without its drain, unless INGRESS_DRAIN_MS is set.
export INGRESS_DRAIN_MS=${INGRESS_DRAIN_MS:-0}
with_provider=false
if [[ " $* " == *" provider "* ]]; then with_provider=true; fi

# With the stand-in provider and no provider settings of the operator's, the services use the stand-in as their
# RealtimeKit API, with a token made for this run (development only; a set PROVIDER or credential is left alone).
if $with_provider && [ -z "${PROVIDER:-}${RTK_ACCOUNT_ID:-}${RTK_APP_ID:-}${RTK_API_TOKEN:-}${DYTE_ORG_ID:-}${DYTE_API_KEY:-}" ]; then
  export PROVIDER=realtimekit RTK_API_BASE="http://127.0.0.1:$STAND_IN_PROVIDER_PORT/client/v4" RTK_ACCOUNT_ID=dev-account RTK_APP_ID=dev-app
  RTK_API_TOKEN=$(od -An -tx1 -N20 /dev/urandom | tr -d ' \n')
  export RTK_API_TOKEN
  fleet "development mode: the provider API is the stand-in at $RTK_API_BASE (PROVIDER=realtimekit, a token made for this run)"
fi

# Without a configured webhook key, use the local development key pair (never in production).
if [ -z "${DYTE_WEBHOOK_PUBLIC_KEY:-}${DYTE_WEBHOOK_PUBLIC_KEY_FILE:-}${DYTE_WEBHOOK_PUBLIC_KEY_URL:-}" ] && [ "${DYTE_WEBHOOK_VERIFY:-true}" != false ]; then
  DYTE_WEBHOOK_PUBLIC_KEY_FILE=$("$ROOT_DIR/scripts/dev-key.sh")
  export DYTE_WEBHOOK_PUBLIC_KEY_FILE
  fleet "verifying webhooks with the development key $DYTE_WEBHOOK_PUBLIC_KEY_FILE (set DYTE_WEBHOOK_PUBLIC_KEY_URL for Dyte's)"
fi
# With the sample artifact server, the downloader may also fetch from it (plain http on 127.0.0.1, its port only):
# development only. The hosts are the downloader's default list (services/downloader/src/config.ts) plus 127.0.0.1.
if [[ " $* " == *" samples "* ]] && [ -z "${DOWNLOAD_ALLOWED_HOSTS:-}${DOWNLOAD_ALLOW_HTTP:-}${DOWNLOAD_ALLOWED_ADDRESSES:-}${DOWNLOAD_ALLOWED_PORTS:-}" ]; then
  export DOWNLOAD_ALLOWED_HOSTS="*.s3.amazonaws.com,*.s3.*.amazonaws.com,*.s3.dualstack.*.amazonaws.com,s3.amazonaws.com,s3.*.amazonaws.com,*.r2.cloudflarestorage.com,*.*.r2.cloudflarestorage.com,127.0.0.1"
  export DOWNLOAD_ALLOW_HTTP=true DOWNLOAD_ALLOWED_ADDRESSES=127.0.0.1 DOWNLOAD_ALLOWED_PORTS="443,$SAMPLES_PORT"
  fleet "development mode: downloads also allowed from the sample artifact server http://127.0.0.1:$SAMPLES_PORT"
  if $with_provider; then
    DOWNLOAD_ALLOWED_PORTS+=",$STAND_IN_ARTIFACTS_PORT"
    fleet "development mode: downloads also allowed from the stand-in provider's links http://127.0.0.1:$STAND_IN_ARTIFACTS_PORT"
  fi
fi

# What each service logs once it is ready to work.
ready_marker() {
  case $1 in
    ingress) echo '"msg":"ready"' ;;
    dispatcher) echo '"msg":"consuming"' ;;
    downloader) echo '"msg":"downloading"' ;;
    samples) echo '"msg":"listening"' ;;
    prometheus) echo 'Server is ready to receive web requests' ;;
    *) echo '"msg":"started"' ;;
  esac
}

# A Prometheus of this run: its config made for the fleet's metrics ports, its data under .stack/, on 127.0.0.1 only
# and on PROMETHEUS_PORT (9190: Debian's own prometheus service, if it runs, keeps 9090).
PROMETHEUS_PORT=${PROMETHEUS_PORT:-9190}
prometheus_command() {
  local dir=$STACK_DIR/prometheus
  mkdir -p "$dir/data"
  sed -e "s#'127.0.0.1:9100'#'127.0.0.1:${INGRESS_METRICS_PORT:-9100}'#" \
      -e "s#'127.0.0.1:9101'#'127.0.0.1:${DISPATCHER_METRICS_PORT:-9101}'#" \
      -e "s#'127.0.0.1:9102'#'127.0.0.1:${DOWNLOADER_METRICS_PORT:-9102}'#" \
      -e "s#^  - alerts.yml#  - $ROOT_DIR/deploy/prometheus/alerts.yml#" \
      "$ROOT_DIR/deploy/prometheus/prometheus-local.yml" > "$dir/prometheus.yml"
  run=(prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data"
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --storage.tsdb.retention.time=2d)
}

mkdir -p "$LOG_DIR"
pids=()
for service in "$@"; do
  case $service in
    samples) main=$ROOT_DIR/dist/scripts/sample-artifact-server.js ;;
    provider) main=$ROOT_DIR/dist/scripts/stand-in-provider.js ;;
    prometheus) main= ;;
    *) main=$ROOT_DIR/dist/services/$service/src/main.js ;;
  esac
  if [ -n "$main" ]; then
    [ -f "$main" ] || { echo "no build of $service at $main: run 'make build'" >&2; exit 1; }
    run=(node --enable-source-maps "$main")
  else
    command -v prometheus >/dev/null || { echo "no prometheus: apt-get install prometheus (make run PROMETHEUS=1 does)" >&2; exit 1; }
    prometheus_command
  fi
  log=$LOG_DIR/fleet-$service.log
  : > "$log"
  # The log writers ignore Ctrl-C: they must outlive the service's last lines.
  setsid "${run[@]}" > >(trap '' INT TERM; tee -a "$log" | sed -u "s/^/[$service] /") 2>&1 &
  pids+=("$!")
  fleet "started $service (pid $!, log $log)"
done

stopping=false
stop() {
  if $stopping; then
    fleet "stopping now"
  else
    stopping=true
    fleet "stopping gracefully (Ctrl-C again to stop at once)"
  fi
  kill -TERM "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM

# Wait until every service logged that it is ready, showing progress; a service that exits first is reported.
start=$SECONDS
waiting=("$@")
while [ ${#waiting[@]} -gt 0 ] && ! $stopping; do
  still=()
  for i in "${!waiting[@]}"; do
    service=${waiting[$i]}
    if grep -q "$(ready_marker "$service")" "$LOG_DIR/fleet-$service.log" 2>/dev/null; then
      fleet "$service ready after $(( SECONDS - start ))s"
    else
      still+=("$service")
    fi
  done
  waiting=("${still[@]+"${still[@]}"}")
  for index in "${!pids[@]}"; do
    if ! kill -0 "${pids[$index]}" 2>/dev/null; then
      name=${*:index+1:1}
      fleet "ERROR: $name exited during start-up; its last lines are above and in $LOG_DIR/fleet-$name.log"
      stop
      break 2
    fi
  done
  if [ ${#waiting[@]} -gt 0 ]; then
    (( (SECONDS - start) % 5 == 0 && SECONDS > start )) && fleet "waiting for ${waiting[*]} ($(( SECONDS - start ))s)"
    sleep 1
  fi
done

if ! $stopping; then
  ingress_url="http://127.0.0.1:${INGRESS_PORT:-3000}"
  cat <<BANNER
[fleet] ready in $(( SECONDS - start ))s: ingress $ingress_url/webhooks/dyte, archive in ${ARCHIVE_DIR:-./data/archive}
[fleet]
[fleet] Try it from another terminal (bin/dyte-bridge --help lists every command):
[fleet]   bin/dyte-bridge tail meeting                                 # follow dyte.meeting, decoded to JSON lines
[fleet]   bin/dyte-bridge send meeting-started                         # post a signed sample webhook
[fleet]   bin/dyte-bridge send meeting-chatSynced --local-artifacts    # a chat whose file gets archived
[fleet]   bin/dyte-bridge archive status d9fc4d6a-a5a0-4430-9a73-d4ba14e597f9
[fleet]   bin/dyte-bridge tail chat --from-beginning                   # that chat's messages, one ChatMessage record each
[fleet]
[fleet] Metrics: http://127.0.0.1:${INGRESS_METRICS_PORT:-9100}/metrics, http://127.0.0.1:${DISPATCHER_METRICS_PORT:-9101}/metrics, http://127.0.0.1:${DOWNLOADER_METRICS_PORT:-9102}/metrics (README, "Observe")
[fleet] Ctrl-C stops the fleet; the stack stays up until 'make stack-down'.
BANNER
  if [[ " $* " == *" prometheus "* ]]; then
    fleet "Prometheus: http://127.0.0.1:$PROMETHEUS_PORT (targets: /targets, alerts: /alerts; data in $STACK_DIR/prometheus)"
  fi
  if $with_provider; then
    fleet "Stand-in provider API: http://127.0.0.1:$STAND_IN_PROVIDER_PORT (RealtimeKit under /client/v4, Dyte v2 under /v2; README, \"Provider API\")"
  fi
fi

# `wait` returns whenever a trapped signal arrives: keep waiting until every service has exited.
for pid in "${pids[@]}"; do
  while kill -0 "$pid" 2>/dev/null; do wait "$pid" 2>/dev/null || true; done
done
fleet "stopped"
