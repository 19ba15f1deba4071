# The two commands a newcomer needs: `make run` and `make test`. Everything else is here for operators.
SHELL := /bin/bash
.DEFAULT_GOAL := help
SERVICES := ingress dispatcher downloader
DEV_SERVICES := $(SERVICES) samples provider

.PHONY: help install build typecheck test test-alerts consumer-deps test-unit test-faults test-custody test-cluster contracts import-graph run stack-up stack-down stack-status clean bench

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

install: node_modules/.package-lock.json ## Install the npm dependencies (npm ci) when package-lock.json changed

build: install ## Compile TypeScript to dist/
	npx tsc -p tsconfig.json

typecheck: install ## Type-check everything (strict), emitting nothing
	npx tsc -p tsconfig.json --noEmit

test: typecheck test-alerts consumer-deps ## Type-check, test the alert rules, bring the local stack up if needed, run unit, integration, custody chaos and fault tests, stop what it started
	scripts/with-stack.sh bash -c "npx mocha 'test/unit/**/*.test.ts' 'test/integration/**/*.test.ts' 'test/custody/**/*.test.ts' && npx mocha 'test/faults/**/*.test.ts'"

test-alerts: ## Unit tests of every Prometheus alert, firing and not (promtool; Debian's prometheus package is installed if missing)
	@scripts/ensure-debian-packages.sh prometheus
	promtool check rules deploy/prometheus/alerts.yml
	promtool test rules deploy/prometheus/alerts.test.yml

consumer-deps: ## Install what the Python consumer example needs, if missing (Debian: python3-confluent-kafka, python3-avro)
	@scripts/ensure-debian-packages.sh python3-confluent-kafka python3-avro

test-faults: typecheck ## Only the fault suite (kills and restarts Kafka, the registry, services, its own Redis) with its table
	scripts/with-stack.sh npx mocha 'test/faults/**/*.test.ts'

test-custody: typecheck ## The custody chaos scenario (lost and late webhooks, a wiped queue, downloaders down past a link's life) with and without the provider API, with its two tables
	scripts/with-stack.sh npx mocha 'test/custody/**/*.test.ts'

test-cluster: typecheck ## The cluster fault suite on a 3-node KRaft cluster (started if needed, stopped after): leader, controller, rolling restart, two nodes down; prints its table
	KAFKA_NODES=3 scripts/with-stack.sh npx mocha 'test/cluster/**/*.test.ts'

test-unit: install ## Unit tests only (no servers needed)
	npx mocha 'test/unit/**/*.test.ts'

bench: build ## Benchmarks against baselines measured in the same run (several minutes; BENCH_REPS, BENCH_SECONDS...): bench/results/
	scripts/with-stack.sh taskset -c $${BENCH_LOAD_CPU:-1} node dist/bench/main.js

run: build ## Start the local stack and the whole fleet in the foreground (Ctrl-C stops the fleet; the stack stays up); PROMETHEUS=1: and a local Prometheus on 127.0.0.1:9190
	@if [ -n "$(PROMETHEUS)" ]; then scripts/ensure-debian-packages.sh prometheus; fi
	scripts/stack-up.sh
	scripts/run-fleet.sh $(DEV_SERVICES) $(if $(PROMETHEUS),prometheus)

contracts: install ## Regenerate docs/asyncapi.yaml and shared/src/generated/records.ts from schemas/
	npx tsx scripts/contracts/generate.ts

import-graph: install ## Print which folders import which, as markdown (ROOT=dir for another tree, e.g. a git archive of main)
	@npx tsx scripts/imports/import-graph.ts $(ROOT)

stack-up: ## Fetch (first time only) and start Kafka, the schema registry and Redis (KAFKA_NODES=3: a KRaft cluster; KAFKA_VERSION=3.9.2: another Kafka)
	scripts/stack-up.sh

stack-down: ## Stop the servers stack-up started (by recorded pid)
	scripts/stack-down.sh

stack-status: ## Show each server of the local stack, its version and who started it
	scripts/stack-status.sh

clean: stack-down ## Stop the stack and delete its data, libs and the build output
	rm -rf .stack dist
