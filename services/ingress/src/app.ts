import { createServer, type Server } from 'node:http';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka, Producer } from 'kafkajs';
import Koa from 'koa';
import {
  createEventProducer,
  createMetricsServer,
  ensureTopics,
  EVENT_TOPICS,
  eventSchemaPairs,
  fleetTopicSpecs,
  kafkaReachable,
  listen,
  listeningPort,
  readinessProbe,
  topicNames,
  registerEventSchemas,
  type EventEncoder,
  type Logger,
  type ReadinessReport,
  type SchemaCatalog,
  type Topics,
  type Tracing,
  untracedTracing,
} from '../../../shared/src/index.js';
import { errorHandler } from './http/error-handler.js';
import { healthRoutes } from './http/health-routes.js';
import { notFound } from './http/not-found.js';
import { webhookRoute } from './http/webhook-route.js';
import { GroupCommitProducer } from './kafka/group-commit-producer.js';
import { createIngressMetrics, type IngressMetrics } from './metrics.js';
import type { PublicKeySource } from './signature/public-key-source.js';


/** The settings the app itself uses (a subset of the config, so tests can pass only these). */
export interface IngressSettings {
  port: number;
  /** On stop, how long /readyz answers 503 while webhooks are still taken, before the port closes (0: none). */
  drainMs: number;
  /** Interface and port of `GET /metrics`, a side port: the public webhook port never serves metrics. */
  metricsHost: string;
  metricsPort: number;
  topicPrefix: string;
  topicPartitions: number;
  topicReplicationFactor: number;
  /** Unset: the broker's `min.insync.replicas`. */
  topicMinInsyncReplicas?: number | undefined;
  maxBodyBytes: number;
  ackTimeoutMs: number;
  requestTimeoutMs: number;
  maxPendingRecords: number;
  maxBatchRecords: number;
  /** How long a produce request that is not full waits for more records (INGRESS_LINGER_MS); 0 when unset. */
  lingerMs?: number;
  compactJsonFallback: boolean;
  compactJsonMaxBytes: number;
}

/** What the ingress needs from the outside world; `main.ts` builds them, tests hand in their own. */
export interface IngressDeps {
  kafka: Kafka;
  registry: SchemaRegistry;
  catalog: SchemaCatalog;
  /** Undefined only when signature verification was turned off explicitly. */
  keySource: PublicKeySource | undefined;
  logger: Logger;
  settings: IngressSettings;
  /** Spans of the webhooks received (ids always; exported only when configured); untraced by default. */
  tracing?: Tracing;
}

/** The ingress: a Koa app plus the start/stop that `main.ts` and tests drive. */
export interface IngressApp {
  /** The Koa app, for tests that call `app.callback()` without listening. */
  koa: Koa;
  metrics: IngressMetrics;
  topics: Topics;
  /** Listens at once (health answers), then connects and registers schemas in the background. */
  start(): Promise<void>;
  /** Resolves when the producer is connected, topics exist and schemas are registered. */
  ready(): Promise<void>;
  /** Whether webhooks can be taken now, with the reasons when not (the metrics port's GET /readyz). */
  readiness(): Promise<ReadinessReport>;
  /**
   * Drains first: /readyz answers 503 for `drainMs` while webhooks are still taken, so that load balancers stop
   * sending; then stops accepting, finishes in-flight requests, flushes and disconnects the producer, and closes
   * the metrics port.
   */
  stop(): Promise<void>;
  /** The port actually listened on (useful with port 0). */
  port(): number;
  /** The metrics port actually listened on. */
  metricsPort(): number;
}

/** Builds the ingress without opening a port or connecting: `start` does that. */
export function createIngressApp(deps: IngressDeps): IngressApp {
  const { logger, settings } = deps;
  const topics = topicNames(settings.topicPrefix);
  // The pending gauge reads the producer at scrape time; the producer reports batches into the metrics.
  const metrics: IngressMetrics = createIngressMetrics(() => groupCommit.pendingCount);
  const producer: Producer = createEventProducer(deps.kafka);
  const groupCommit = new GroupCommitProducer(producer, {
    maxBatchRecords: settings.maxBatchRecords,
    maxPendingRecords: settings.maxPendingRecords,
    requestTimeoutMs: settings.ackTimeoutMs,
    ackTimeoutMs: settings.ackTimeoutMs,
    lingerMs: settings.lingerMs ?? 0,
    onBatch: (records, seconds, ok) => {
      metrics.batchRecords.observe(records);
      metrics.produceSeconds.observe({ ok: String(ok) }, seconds);
    },
  });

  let encoder: EventEncoder | undefined;
  let producerConnected = false;
  let draining = false;
  let stopping = false;
  let server: Server | undefined;
  let preparing: Promise<void> | undefined;
  producer.on(producer.events.CONNECT, () => (producerConnected = true));
  producer.on(producer.events.DISCONNECT, () => (producerConnected = false));
  const started = () => encoder !== undefined && producerConnected;
  const kafkaProbe = kafkaReachable(deps.kafka);
  const readiness = readinessProbe({
    started: () =>
      started() ? undefined : `starting: ${producerConnected ? 'topics or schemas not ready yet' : 'producer not connected to Kafka'}`,
    kafka: kafkaProbe.check,
    accepting: () => (stopping ? 'stopping' : draining ? 'draining: stopping soon after a SIGTERM' : undefined),
  });
  const publicReadiness = async () => {
    if (draining || stopping) return 'draining' as const;
    if (!started()) return 'starting' as const;
    return (await readiness()).ready ? ('ready' as const) : ('not ready' as const);
  };
  const metricsServer = createMetricsServer({ registry: metrics.registry, host: settings.metricsHost, port: settings.metricsPort, logger, readiness });

  const koa = new Koa();
  koa.use(errorHandler(logger));
  koa.use(healthRoutes(publicReadiness));
  koa.use(notFound());
  // POST /webhooks/dyte is served on node:http beside the Koa app (no Koa context per webhook); the rest by Koa.
  const listener = webhookRoute({
    keySource: deps.keySource,
    catalog: deps.catalog,
    encoder: () => encoder,
    producer: groupCommit,
    topics,
    maxBodyBytes: settings.maxBodyBytes,
    compactJsonFallback: settings.compactJsonFallback,
    compactJsonMaxBytes: settings.compactJsonMaxBytes,
    metrics,
    logger,
    tracing: deps.tracing ?? untracedTracing(),
  }, koa.callback());

  const prepare = async () => {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        await producer.connect();
        if (stopping) return;
        const created = await ensureTopics(deps.kafka, fleetTopicSpecs(settings));
        if (created.length > 0) logger.info('created topics', { topics: created });
        encoder = await registerEventSchemas(deps.registry, deps.catalog, eventSchemaPairs(topics));
        logger.info('ready', { topics: EVENT_TOPICS.map((r) => topics[r]) });
        return;
      } catch (error) {
        const delayMs = Math.min(10_000, 250 * 2 ** Math.min(attempt, 6));
        logger.warn('not ready yet: Kafka or the registry is unavailable; retrying', { attempt, delayMs, error });
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  };

  return {
    koa,
    metrics,
    topics,
    async start() {
      // The metrics port first, so that a start-up still retrying Kafka can already be watched.
      await metricsServer.start();
      // Slow clients (slowloris) are cut off instead of holding sockets forever; Node only checks these
      // timeouts every connectionsCheckingInterval (30 s by default), hence the shorter interval.
      server = createServer(
        {
          requestTimeout: settings.requestTimeoutMs,
          headersTimeout: Math.min(settings.requestTimeoutMs, 10_000),
          connectionsCheckingInterval: Math.min(1000, settings.requestTimeoutMs),
        },
        listener,
      );
      await listen(server, settings.port);
      logger.info('listening', { port: this.port(), signatures: deps.keySource ? 'verified' : 'NOT VERIFIED' });
      preparing = prepare();
    },
    async ready() {
      await preparing;
      if (!started() || stopping) throw new Error('the ingress stopped before it was ready');
    },
    readiness,
    async stop() {
      // A replica that never was ready got no traffic from a balancer: nothing to drain.
      if (server && started() && settings.drainMs > 0 && !draining) {
        draining = true;
        logger.info('draining: /readyz answers 503, webhooks are still taken', { drainMs: settings.drainMs });
        await new Promise((resolve) => setTimeout(resolve, settings.drainMs));
      }
      stopping = true;
      try {
        if (server) {
          const closing = server;
          const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
          closing.closeIdleConnections();
          await closed;
        }
        // Not waiting for a start-up still retrying: disconnecting ends it (prepare checks `stopping`).
        await groupCommit.drain();
        await producer.disconnect();
        await kafkaProbe.close();
      } finally {
        // Last, so that the drain can be watched (pending records) until the end.
        await metricsServer.stop();
      }
    },
    port() {
      return listeningPort(server, settings.port);
    },
    metricsPort() {
      return metricsServer.port();
    },
  };
}
