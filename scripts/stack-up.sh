#!/usr/bin/env bash
# Starts the local stack: Apache Kafka (KRaft), Apicurio Registry, S3Proxy (an S3 API for archive tests), and Redis
# when none answers.
# Idempotent: a server that already answers is left alone. Only what this script starts gets a pid file,
# so stack-down.sh stops exactly that.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

"$ROOT_DIR/scripts/stack-fetch.sh"
mkdir -p "$RUN_DIR" "$LOG_DIR" "$DATA_DIR"

start_kafka() {
  local log=$LOG_DIR/kafka.log conf=$STACK_DIR/kafka/server.properties pid
  if pid=$(pid_of kafka); then say "kafka already running (pid $pid)"; return; fi
  ! port_open "$KAFKA_PORT" || die "port $KAFKA_PORT is taken by a process this project did not start; stop it or set STACK_KAFKA_PORT"
  sed -e "s:@DATA_DIR@:$DATA_DIR/kafka:; s:@PORT@:$KAFKA_PORT:g; s:@CONTROLLER_PORT@:$KAFKA_CONTROLLER_PORT:g" \
    "$ROOT_DIR/scripts/stack/kafka/server.properties" > "$conf"
  local java_cmd=(java -cp "$STACK_DIR/kafka/libs/*" -Dlog4j.configuration="file:$ROOT_DIR/scripts/stack/kafka/log4j.properties")
  if [ ! -f "$DATA_DIR/kafka/meta.properties" ]; then
    say "formatting the Kafka data folder (first start)"
    "${java_cmd[@]}" kafka.tools.StorageTool format -t "$("${java_cmd[@]}" kafka.tools.StorageTool random-uuid)" \
      -c "$conf" > "$LOG_DIR/kafka-format.log" 2>&1 || die "kafka storage format failed; read $LOG_DIR/kafka-format.log"
  fi
  say "starting Apache Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (log: $log)"
  setsid nohup "${java_cmd[0]}" -Xms256m -Xmx"$KAFKA_HEAP" -XX:+UseG1GC "${java_cmd[@]:1}" kafka.Kafka "$conf" \
    > "$log" 2>&1 < /dev/null &
  echo $! > "$RUN_DIR/kafka.pid"
  KAFKA_STARTED_PID=$!
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

KAFKA_STARTED_PID="" REGISTRY_STARTED_PID="" S3_STARTED_PID=""
start_redis
start_kafka
start_registry
start_s3
# The JVMs start in parallel; wait for each in turn.
wait_until "$READY_TIMEOUT" kafka "$LOG_DIR/kafka.log" "$KAFKA_STARTED_PID" port_open "$KAFKA_PORT"
wait_until "$READY_TIMEOUT" registry "$LOG_DIR/registry.log" "$REGISTRY_STARTED_PID" \
  curl -sf "http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7/subjects"
wait_until "$READY_TIMEOUT" s3proxy "$LOG_DIR/s3proxy.log" "$S3_STARTED_PID" port_open "$S3_PORT"
say "stack is up: kafka 127.0.0.1:$KAFKA_PORT, registry http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7, redis 127.0.0.1:$REDIS_PORT, s3 http://127.0.0.1:$S3_PORT"
