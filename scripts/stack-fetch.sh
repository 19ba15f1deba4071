#!/usr/bin/env bash
# Resolves the local stack's servers from Maven Central into ~/.m2 (Maven's cache) and copies them into .stack/.
# Runs once: later calls find .stack/ complete and download nothing.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

command -v mvn >/dev/null || die "Maven (mvn) is required to fetch Kafka and the registry; install it (apt-get install maven)"
command -v java >/dev/null || die "a JDK 17+ is required; install one (apt-get install openjdk-17-jdk-headless)"

mkdir -p "$STACK_DIR"
MVN=(mvn -B -q -Dmaven.repo.local="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}")

if [ ! -f "$KAFKA_LIBS/kafka_2.13-$KAFKA_VERSION.jar" ] || [ ! -f "$STACK_DIR/s3proxy/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar" ]; then
  say "fetching Apache Kafka $KAFKA_VERSION and S3Proxy $S3PROXY_VERSION (Maven Central -> ~/.m2 -> .stack/)"
  rm -rf "$KAFKA_LIBS"
  "${MVN[@]}" -f "$ROOT_DIR/scripts/stack/pom.xml" package -Dstack.dir="$STACK_DIR" -Dkafka.version="$KAFKA_VERSION" \
    || die "could not resolve Kafka $KAFKA_VERSION or S3Proxy $S3PROXY_VERSION with Maven; see the output above"
fi

# Apicurio Registry 3.3 needs Java 21+; 3.0 runs on Java 17. Take the newest the machine can run.
if [ -n "$(find_java 21)" ]; then REGISTRY_VERSION=${STACK_REGISTRY_VERSION:-3.3.3}; else REGISTRY_VERSION=${STACK_REGISTRY_VERSION:-3.0.9}; fi
if [ "$(cat "$STACK_DIR/registry/VERSION" 2>/dev/null)" != "$REGISTRY_VERSION" ]; then
  say "fetching Apicurio Registry $REGISTRY_VERSION (Maven Central -> ~/.m2 -> .stack/registry)"
  rm -rf "$STACK_DIR/registry"
  "${MVN[@]}" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack \
    -Dartifact="io.apicurio:apicurio-registry-app:$REGISTRY_VERSION:tar.gz:all" \
    -DoutputDirectory="$STACK_DIR/registry" -DmarkersDirectory="$STACK_DIR/maven-target/markers" \
    || die "could not resolve Apicurio Registry $REGISTRY_VERSION with Maven; see the output above"
  echo "$REGISTRY_VERSION" > "$STACK_DIR/registry/VERSION"
fi
