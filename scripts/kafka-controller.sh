#!/usr/bin/env bash
# Prints the node id of the local cluster's active controller (the KRaft quorum's leader), asked of the controllers
# with Kafka's own MetadataQuorumCommand. Fails when no controller answers or none leads.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

controllers=""
if (( KAFKA_NODES > 1 )); then
  for n in $(seq 1 "$KAFKA_NODES"); do controllers+="${controllers:+,}127.0.0.1:$(node_controller_port "$n")"; done
else
  controllers=127.0.0.1:$KAFKA_CONTROLLER_PORT
fi
[ -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ] || die "Kafka $KAFKA_VERSION is not fetched (make stack-up)"
status=$(timeout "${STACK_CONTROLLER_TIMEOUT:-30}" java -Xmx128m -cp "$KAFKA_LIBS/*" \
  -Dlog4j.configuration="file:$ROOT_DIR/scripts/stack/kafka/log4j-tools.properties" \
  -Dlog4j2.configurationFile="$ROOT_DIR/scripts/stack/kafka/log4j2.properties" \
  org.apache.kafka.tools.MetadataQuorumCommand --bootstrap-controller "$controllers" describe --status 2>&1) \
  || die "no controller answered on $controllers: $status"
leader=$(sed -n 's/^LeaderId:[[:space:]]*\([0-9-]*\).*/\1/p' <<< "$status")
[[ $leader =~ ^[0-9]+$ ]] || die "no active controller on $controllers: $status"
echo "$leader"
