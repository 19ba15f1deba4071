#!/usr/bin/env bash
# Prints each server of the local stack: who started it, its version, and whether it answers.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

owner() { local pid; if pid=$(pid_of "$1"); then echo "started by this project, pid $pid"; else echo "not started by this project"; fi; }

# version_of NAME: the Kafka version a node this project started runs, else the one asked for.
version_of() { local pid v=""; if pid=$(pid_of "$1"); then v=$(running_kafka_version "$pid"); fi; echo "${v:-$KAFKA_VERSION}"; }

# The single node is shown when it runs or nothing else was asked for; the cluster's nodes when KAFKA_NODES > 1 or
# any of them has a pid file.
if port_open "$KAFKA_PORT" || { (( KAFKA_NODES == 1 )) && [ -z "$(kafka_nodes_recorded)" ]; }; then
  if port_open "$KAFKA_PORT"; then
    echo "kafka     up    Apache Kafka $(version_of kafka) on 127.0.0.1:$KAFKA_PORT ($(owner kafka))"
  else
    echo "kafka     down  127.0.0.1:$KAFKA_PORT"
  fi
fi
nodes=$KAFKA_NODES
for name in $(kafka_nodes_recorded); do (( ${name#kafka-} > nodes )) && nodes=${name#kafka-}; done
if (( nodes > 1 )); then
  for n in $(seq 1 "$nodes"); do
    if port_open "$(node_port "$n")"; then
      echo "kafka-$n   up    Apache Kafka $(version_of "kafka-$n") node $n on 127.0.0.1:$(node_port "$n"), controller :$(node_controller_port "$n") ($(owner "kafka-$n"))"
    else
      echo "kafka-$n   down  node $n, 127.0.0.1:$(node_port "$n"), controller :$(node_controller_port "$n") ($(owner "kafka-$n"))"
    fi
  done
  if leader=$(KAFKA_NODES=$nodes STACK_KAFKA_NODES=$nodes "$ROOT_DIR/scripts/kafka-controller.sh" 2>/dev/null); then
    echo "          active controller: node $leader (KRaft quorum leader); bootstrap KAFKA_BROKERS=$(KAFKA_NODES=$nodes cluster_brokers)"
  else
    echo "          active controller: none answers (fewer than a quorum of nodes up?)"
  fi
fi
if info=$(curl -sf "http://127.0.0.1:$REGISTRY_PORT/apis/registry/v3/system/info"); then
  echo "registry  up    $(echo "$info" | sed -n 's/.*"name":"\([^"]*\)".*"version":"\([^"]*\)".*/\1 \2/p') on http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7 ($(owner registry))"
else
  echo "registry  down  127.0.0.1:$REGISTRY_PORT"
fi
if version=$(redis-cli -p "$REDIS_PORT" info server 2>/dev/null | sed -n 's/^redis_version:\(.*\)\r$/\1/p') && [ -n "$version" ]; then
  echo "redis     up    Redis $version on 127.0.0.1:$REDIS_PORT, maxmemory-policy $(redis-cli -p "$REDIS_PORT" config get maxmemory-policy | sed -n 2p) ($(owner redis))"
else
  echo "redis     down  127.0.0.1:$REDIS_PORT"
fi
if port_open "$S3_PORT"; then
  echo "s3        up    S3Proxy $S3PROXY_VERSION (S3 API, filesystem backend) on http://127.0.0.1:$S3_PORT ($(owner s3proxy))"
else
  echo "s3        down  127.0.0.1:$S3_PORT"
fi
