#!/usr/bin/env bash
# Prints each server of the local stack: who started it, its version, and whether it answers.
set -uo pipefail
source "$(dirname "$0")/lib.sh"

owner() { local pid; if pid=$(pid_of "$1"); then echo "started by this project, pid $pid"; else echo "not started by this project"; fi; }

if port_open "$KAFKA_PORT"; then
  echo "kafka     up    Apache Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT ($(owner kafka))"
else
  echo "kafka     down  127.0.0.1:$KAFKA_PORT"
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
