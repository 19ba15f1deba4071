#!/usr/bin/env bash
# Starts the local stack: Apache Kafka (KRaft), Apicurio Registry, S3Proxy (an S3 API for archive tests), and Redis
# when none answers.
# Idempotent: a server that already answers is left alone. Only what this script starts gets a pid file,
# so stack-down.sh stops exactly that. STACK_SERVICES limits it to some servers, as for stack-down.sh
# (`STACK_SERVICES=kafka-2` starts one cluster node).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$ROOT_DIR/scripts/stack-fetch.sh"
mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR"

# Kafka logs through slf4j to reload4j (log4j.properties); Kafka 4's few direct log4j2 calls get log4j2.properties.
KAFKA_JAVA=(java -cp "$KAFKA_LIBS/*" -Dlog4j.configuration="file:$ROOT_DIR/scripts/stack/kafka/log4j.properties"
  -Dlog4j2.configurationFile="$ROOT_DIR/scripts/stack/kafka/log4j2.properties")
# Kafka's tools log to stderr only, so what they print (a cluster id) is all that stdout holds.
KAFKA_TOOL=(java -Xmx256m -cp "$KAFKA_LIBS/*" -Dlog4j.configuration="file:$ROOT_DIR/scripts/stack/kafka/log4j-tools.properties"
  -Dlog4j2.configurationFile="$ROOT_DIR/scripts/stack/kafka/log4j2.properties")
KAFKA_STARTED=()

# wanted NAME: true unless STACK_SERVICES names other servers only.
wanted() { [ -z "${STACK_SERVICES:-}" ] || [[ " $STACK_SERVICES " == *" $1 "* ]]; }

# kafka_running NAME: true (and says so) when NAME runs; dies when it runs another Kafka version than asked for,
# which would otherwise be tested in its place.
kafka_running() {
  local pid running
  pid=$(pid_of "$1") || return 1
  running=$(running_kafka_version "$pid")
  if [ -n "$running" ] && [ "$running" != "$KAFKA_VERSION" ]; then
    die "$1 runs Kafka $running, not $KAFKA_VERSION: stop it first (make stack-down)"
  fi
  say "$1 already running (pid $pid${running:+, Kafka $running})"
}

# launch_kafka NAME CONF DATA HEAP CLUSTER_ID PORT: formats DATA with CLUSTER_ID the first time, starts the node in
# the background and records its pid.
launch_kafka() {
  local name=$1 conf=$2 data=$3 heap=$4 cluster_id=$5 port=$6 log=$LOG_DIR/$1.log
  ! port_open "$port" || die "port $port is taken by a process this project did not start; stop it or set STACK_KAFKA_PORT / STACK_KAFKA_CLUSTER_PORT"
  if [ ! -f "$data/meta.properties" ]; then
    say "formatting $data for $name (first start, cluster id $cluster_id)"
    "${KAFKA_TOOL[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$conf" > "$LOG_DIR/$name-format.log" 2>&1 \
      || die "kafka storage format failed for $name; read $LOG_DIR/$name-format.log"
  fi
  say "starting Apache Kafka $KAFKA_VERSION ($name) on 127.0.0.1:$port, heap $heap (log: $log)"
  setsid nohup "${KAFKA_JAVA[0]}" -Xms128m -Xmx"$heap" -XX:+UseG1GC "${KAFKA_JAVA[@]:1}" kafka.Kafka "$conf" \
    > "$log" 2>&1 < /dev/null &
  echo $! > "$RUN_DIR/$name.pid"
  KAFKA_STARTED+=("$name $! $port")
}

start_kafka() {
  local conf=$STACK_DIR/kafka/server.properties data=$DATA_DIR/kafka-$KAFKA_VERSION
  kafka_running kafka && return
  mkdir -p "$STACK_DIR/kafka"
  sed -e "s:@DATA_DIR@:$data:; s:@PORT@:$KAFKA_PORT:g; s:@CONTROLLER_PORT@:$KAFKA_CONTROLLER_PORT:g" \
    "$ROOT_DIR/scripts/stack/kafka/server.properties" > "$conf"
  local cluster_id=""
  [ -f "$data/meta.properties" ] || cluster_id=$("${KAFKA_TOOL[@]}" kafka.tools.StorageTool random-uuid)
  launch_kafka kafka "$conf" "$data" "$KAFKA_HEAP" "$cluster_id" "$KAFKA_PORT"
}

# The cluster: KAFKA_NODES broker+controller nodes, all voters, formatted once with one cluster id kept beside their
# data. Nodes already running are left alone, so after a node was killed this starts just that one.
start_kafka_cluster() {
  local n voters="" id_file=$DATA_DIR/kafka-$KAFKA_VERSION-cluster.id replication min_isr
  replication=$(( KAFKA_NODES < 3 ? KAFKA_NODES : 3 ))
  min_isr=$(( replication > 1 ? replication - 1 : 1 ))
  for n in $(seq 1 "$KAFKA_NODES"); do voters+="${voters:+,}$n@127.0.0.1:$(node_controller_port "$n")"; done
  [ -s "$id_file" ] || "${KAFKA_TOOL[@]}" kafka.tools.StorageTool random-uuid > "$id_file"
  mkdir -p "$STACK_DIR/kafka"
  for n in $(seq 1 "$KAFKA_NODES"); do
    wanted "kafka-$n" || continue
    kafka_running "kafka-$n" && continue
    local conf=$STACK_DIR/kafka/node-$n.properties
    sed -e "s|@NODE_ID@|$n|; s|@VOTERS@|$voters|; s|@DATA_DIR@|$(node_data_dir "$n")|" \
        -e "s|@PORT@|$(node_port "$n")|g; s|@CONTROLLER_PORT@|$(node_controller_port "$n")|g" \
        -e "s|@REPLICATION_FACTOR@|$replication|g; s|@MIN_INSYNC_REPLICAS@|$min_isr|g" \
      "$ROOT_DIR/scripts/stack/kafka/cluster-node.properties" > "$conf"
    launch_kafka "kafka-$n" "$conf" "$(node_data_dir "$n")" "$KAFKA_NODE_HEAP" "$(cat "$id_file")" "$(node_port "$n")"
  done
}

start_registry() {
  local log=$LOG_DIR/registry.log pid jar java_bin version
  if pid=$(pid_of registry); then say "registry already running (pid $pid)"; return; fi
  ! port_open "$REGISTRY_PORT" || die "port $REGISTRY_PORT is taken by a process this project did not start; stop it or set STACK_REGISTRY_PORT"
  version=$(cat "$STACK_DIR/registry/VERSION")
  jar=""
  for candidate in "$STACK_DIR"/registry/quarkus-run.jar "$STACK_DIR"/registry/*-runner.jar; do
    [ -f "$candidate" ] && jar=$candidate && break
  done
  [ -n "$jar" ] || die "no runnable jar in $STACK_DIR/registry; delete that folder and run make stack-up again"
  if [[ $version == 3.0.* ]]; then java_bin=$(find_java 17); else java_bin=$(find_java 21); fi
  [ -n "$java_bin" ] || die "no JDK recent enough for Apicurio Registry $version (set STACK_JAVA_HOME)"
  mkdir -p "$DATA_DIR/registry"
  ! port_open "$REGISTRY_MANAGEMENT_PORT" || die "port $REGISTRY_MANAGEMENT_PORT (the registry's management interface) is taken; set STACK_REGISTRY_MANAGEMENT_PORT"
  say "starting Apicurio Registry $version on 127.0.0.1:$REGISTRY_PORT (log: $log)"
  # H2 in a file, so schema ids survive a restart: messages already on Kafka keep pointing at their schemas.
  setsid nohup "$java_bin" -Xmx"$REGISTRY_HEAP" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$REGISTRY_MANAGEMENT_PORT" \
    -Dapicurio.storage.kind=sql -Dapicurio.storage.sql.kind=h2 \
    -Dapicurio.datasource.url="jdbc:h2:file:$DATA_DIR/registry/registry;DB_CLOSE_ON_EXIT=FALSE" \
    -Dapicurio.datasource.username=sa -Dapicurio.datasource.password=sa \
    -jar "$jar" > "$log" 2>&1 < /dev/null &
  echo $! > "$RUN_DIR/registry.pid"
  REGISTRY_STARTED_PID=$!
}

start_redis() {
  local log=$LOG_DIR/redis.log pid policy
  if pid=$(pid_of redis); then say "redis already running (pid $pid)";
  elif redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 || port_open "$REDIS_PORT"; then
    say "using the Redis already answering on 127.0.0.1:$REDIS_PORT"
  else
    command -v redis-server >/dev/null || die "no Redis answers on 127.0.0.1:$REDIS_PORT and redis-server is not installed (apt-get install redis-server)"
    mkdir -p "$DATA_DIR/redis"
    cat > "$STACK_DIR/redis.conf" <<CONF
bind 127.0.0.1
port $REDIS_PORT
dir $DATA_DIR/redis
appendonly yes
maxmemory-policy noeviction
proc-title-template "{title} {listen-addr} {server-mode} {config-file}"
CONF
    say "starting redis-server on 127.0.0.1:$REDIS_PORT (log: $log)"
    setsid nohup redis-server "$STACK_DIR/redis.conf" > "$log" 2>&1 < /dev/null &
    echo $! > "$RUN_DIR/redis.pid"
    wait_until "$READY_TIMEOUT" redis "$log" "$!" redis-cli -p "$REDIS_PORT" ping
  fi
  # BullMQ loses jobs silently if Redis may evict keys.
  policy=$(redis-cli -p "$REDIS_PORT" config get maxmemory-policy 2>/dev/null | sed -n 2p) || policy=unknown
  if [ "$policy" != "noeviction" ]; then
    say "WARNING: Redis maxmemory-policy is '$policy'; BullMQ needs 'noeviction' (redis-cli config set maxmemory-policy noeviction)"
  fi
}

start_s3() {
  local log=$LOG_DIR/s3proxy.log pid
  if pid=$(pid_of s3proxy); then say "s3proxy already running (pid $pid)"; return; fi
  ! port_open "$S3_PORT" || die "port $S3_PORT is taken by a process this project did not start; stop it or set STACK_S3_PORT"
  mkdir -p "$DATA_DIR/s3"
  cat > "$STACK_DIR/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$S3_PORT
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$S3_ACCESS_KEY
s3proxy.credential=$S3_SECRET_KEY
jclouds.provider=filesystem
jclouds.filesystem.basedir=$DATA_DIR/s3
CONF
  say "starting S3Proxy $S3PROXY_VERSION (S3 API, filesystem backend) on 127.0.0.1:$S3_PORT (log: $log)"
  setsid nohup java -Xmx256m -jar "$STACK_DIR/s3proxy/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar" \
    --properties "$STACK_DIR/s3proxy.conf" > "$log" 2>&1 < /dev/null &
  echo $! > "$RUN_DIR/s3proxy.pid"
  S3_STARTED_PID=$!
}

REGISTRY_STARTED_PID="" S3_STARTED_PID=""
if wanted redis; then start_redis; fi
if (( KAFKA_NODES > 1 )); then start_kafka_cluster; elif wanted kafka; then start_kafka; fi
if wanted registry; then start_registry; fi
if wanted s3proxy; then start_s3; fi
# The JVMs start in parallel; wait for each in turn.
# A node opens its broker port once it has caught up with the cluster's metadata: a cluster's nodes need each other
# (a quorum of controllers) for that, so they are all started before any is waited for.
for started in "${KAFKA_STARTED[@]}"; do
  read -r name pid port <<< "$started"
  wait_until "$READY_TIMEOUT" "$name" "$LOG_DIR/$name.log" "$pid" port_open "$port"
done
if wanted registry; then
  wait_until "$READY_TIMEOUT" registry "$LOG_DIR/registry.log" "$REGISTRY_STARTED_PID" \
    curl -sf "http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7/subjects"
fi
if wanted s3proxy; then wait_until "$READY_TIMEOUT" s3proxy "$LOG_DIR/s3proxy.log" "$S3_STARTED_PID" port_open "$S3_PORT"; fi
if (( KAFKA_NODES > 1 )); then kafka_address="kafka $KAFKA_VERSION x$KAFKA_NODES $(cluster_brokers)"; else kafka_address="kafka $KAFKA_VERSION 127.0.0.1:$KAFKA_PORT"; fi
say "stack is up: $kafka_address, registry http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7, redis 127.0.0.1:$REDIS_PORT, s3 http://127.0.0.1:$S3_PORT"
