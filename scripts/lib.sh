# Helpers shared by the stack scripts. Sourced, never run.
# Everything the local stack writes lives under $STACK_DIR (git-ignored): libs, data, logs, pids.

ROOT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_DIR=${STACK_DIR:-$ROOT_DIR/.stack}
RUN_DIR=$STACK_DIR/run
LOG_DIR=$STACK_DIR/logs
DATA_DIR=$STACK_DIR/data

# The one setting of the Kafka version: STACK_KAFKA_VERSION (or `make ... KAFKA_VERSION=`), else the pom's default.
# Each version gets its own libs and data folders, so switching back and forth fetches and formats only once.
KAFKA_VERSION=${STACK_KAFKA_VERSION:-${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT_DIR/scripts/stack/pom.xml")}}
KAFKA_LIBS=$STACK_DIR/kafka/$KAFKA_VERSION/libs
S3PROXY_VERSION=$(sed -n 's:.*<s3proxy.version>\(.*\)</s3proxy.version>.*:\1:p' "$ROOT_DIR/scripts/stack/pom.xml")
KAFKA_PORT=${STACK_KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${STACK_KAFKA_CONTROLLER_PORT:-9093}
# KAFKA_NODES=1 (default): one broker+controller on KAFKA_PORT. More: a KRaft cluster of that many broker+controller
# nodes instead, node N on KAFKA_CLUSTER_PORT + 100*(N-1) and its controller port one above (9192/9193, 9292/9293,
# 9392/9393), apart from the single node's ports so that both can run side by side.
KAFKA_NODES=${STACK_KAFKA_NODES:-${KAFKA_NODES:-1}}
KAFKA_CLUSTER_PORT=${STACK_KAFKA_CLUSTER_PORT:-9192}
REGISTRY_PORT=${STACK_REGISTRY_PORT:-8081}
# Quarkus's management interface (health, metrics) would take 0.0.0.0:9000 by default, S3Proxy's port.
REGISTRY_MANAGEMENT_PORT=${STACK_REGISTRY_MANAGEMENT_PORT:-9095}
REDIS_PORT=${STACK_REDIS_PORT:-6379}
S3_PORT=${STACK_S3_PORT:-9000}
# The local S3 API's credentials: a test fixture, not a secret.
S3_ACCESS_KEY=local-identity
S3_SECRET_KEY=local-credential
KAFKA_HEAP=${STACK_KAFKA_HEAP:-768m}
KAFKA_NODE_HEAP=${STACK_KAFKA_NODE_HEAP:-512m}
REGISTRY_HEAP=${STACK_REGISTRY_HEAP:-384m}
READY_TIMEOUT=${STACK_READY_TIMEOUT:-120}

say() { printf '[stack] %s\n' "$*"; }
die() { printf '[stack] ERROR: %s\n' "$*" >&2; exit 1; }

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# identity_of NAME: the program a server runs as, and a path only that server's command line contains.
identity_of() {
  case $1 in
    kafka) echo "java $STACK_DIR/kafka/server.properties" ;;
    kafka-[0-9]*) echo "java $STACK_DIR/kafka/node-${1#kafka-}.properties" ;;
    registry) echo "java $STACK_DIR/registry/" ;;
    s3proxy) echo "java $STACK_DIR/s3proxy.conf" ;;
    # Debian's redis-server is a link to redis-check-rdb, the name /proc/PID/exe shows.
    redis) echo "redis-server|redis-check-rdb $STACK_DIR/redis.conf" ;;
  esac
}

# pid_of NAME: the recorded pid of a server this project started, if that process is still alive.
pid_of() {
  local f=$RUN_DIR/$1.pid pid program marker
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  read -r program marker <<< "$(identity_of "$1")"
  # A recorded pid may have been reused by an unrelated process after a reboot (even one that mentions the same
  # paths, like `tail -f .stack/...`): it must run the server's program with a path only that server uses.
  if [ -n "$marker" ] && kill -0 "$pid" 2>/dev/null \
     && [[ $(basename "$(readlink "/proc/$pid/exe" 2>/dev/null)") =~ ^($program)$ ]] \
     && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"; then
    echo "$pid"
  else
    return 1
  fi
}

# wait_until TIMEOUT NAME LOGFILE PID COMMAND...: polls COMMAND once a second until it succeeds.
# Fails naming the server and its log when the process dies or the time runs out.
wait_until() {
  local timeout=$1 name=$2 log=$3 pid=$4 start=$SECONDS
  shift 4
  until "$@" >/dev/null 2>&1; do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$log" >&2 || true
      die "$name exited during start-up; read $log"
    fi
    if (( SECONDS - start > 0 && (SECONDS - start) % 10 == 0 )); then say "  still waiting for $name ($(( SECONDS - start ))s of at most ${timeout}s)"; fi
    if (( SECONDS - start >= timeout )); then
      tail -n 20 "$log" >&2 || true
      die "$name was not ready after ${timeout}s; read $log"
    fi
    sleep 1
  done
  say "$name ready after $(( SECONDS - start ))s"
}

# java_major JAVA: the major version of a java binary (17, 21, 25...).
java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | head -n1
}

# find_java MIN: a java binary of at least version MIN, from STACK_JAVA_HOME, JAVA_HOME, PATH or /usr/lib/jvm.
find_java() {
  local min=$1 candidate best="" best_major=0 major
  for candidate in ${STACK_JAVA_HOME:+$STACK_JAVA_HOME/bin/java} ${JAVA_HOME:+$JAVA_HOME/bin/java} \
                   "$(command -v java 2>/dev/null)" /usr/lib/jvm/*/bin/java; do
    [ -x "$candidate" ] || continue
    major=$(java_major "$candidate")
    [ -n "$major" ] || continue
    if (( major >= min && major > best_major )); then best=$candidate; best_major=$major; fi
  done
  [ -n "$best" ] && echo "$best"
}

# Cluster node N's ports and folders (N from 1).
node_port() { echo $(( KAFKA_CLUSTER_PORT + 100 * ($1 - 1) )); }
node_controller_port() { echo $(( KAFKA_CLUSTER_PORT + 100 * ($1 - 1) + 1 )); }
node_data_dir() { echo "$DATA_DIR/kafka-$KAFKA_VERSION-node-$1"; }

# cluster_brokers: the cluster's bootstrap list, host:port comma-separated (KAFKA_BROKERS for the fleet).
cluster_brokers() {
  local n list=""
  for n in $(seq 1 "$KAFKA_NODES"); do list+="${list:+,}127.0.0.1:$(node_port "$n")"; done
  echo "$list"
}

# kafka_nodes_recorded: the cluster nodes with a pid file (kafka-1 kafka-2 ...), whatever KAFKA_NODES says now.
kafka_nodes_recorded() {
  local f
  # `if`, not `&&`: with no node recorded the loop must still succeed (set -e and pipefail in the callers).
  for f in "$RUN_DIR"/kafka-[0-9]*.pid; do if [ -f "$f" ]; then basename "$f" .pid; fi; done | sort -t- -k2 -n
}

# running_kafka_version PID: the Kafka version a process runs, read from its classpath (.stack/kafka/<version>/libs).
running_kafka_version() {
  tr '\0' '\n' < "/proc/$1/cmdline" 2>/dev/null | sed -n "s:^$STACK_DIR/kafka/\([^/]*\)/libs/\*$:\1:p" | head -n1
}
