import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';
import {
  createKafka,
  createLogger,
  createRegistry,
  createSigningKey,
  loadSchemaCatalog,
  type Logger,
  type SigningKey,
  type Tracing,
} from '../../shared/src/index.js';
import { createIngressApp, type IngressApp, type IngressSettings } from '../../services/ingress/src/app.js';
import { staticKeySource, type PublicKeySource } from '../../services/ingress/src/signature/public-key-source.js';
import { testConfig } from './test-config.js';
import { uniqueName } from './unique-name.js';
import { within } from './wait-for.js';

/** A real ingress on a free port, on its own topics, against the real stack. */
export interface IngressUnderTest {
  app: IngressApp;
  /** The topic prefix of this ingress's own topics. */
  topicPrefix: string;
  url: string;
  /** The ingress's own metrics endpoint, on its side port (never on the webhook port). */
  metricsUrl: string;
  key: SigningKey;
  kafka: Kafka;
  /** A registry client that knows nothing of this project: the URL only. */
  plainRegistry: SchemaRegistry;
  stop(): Promise<void>;
}

/** Starts an ingress with a fresh signing key and a unique topic prefix, and waits until it is ready. */
export async function startIngress(
  options: {
    settings?: Partial<IngressSettings>;
    brokers?: string[];
    verify?: boolean;
    waitReady?: boolean;
    logger?: Logger;
    /** Instead of a static source of the fresh key (which then signs nothing the ingress accepts). */
    keySource?: PublicKeySource;
    /** Instead of an untraced Tracing (e.g. one that exports to a test's OTLP receiver). */
    tracing?: Tracing;
  } = {},
): Promise<IngressUnderTest> {
  const logger = options.logger ?? createLogger({ level: 'error', name: 'ingress-test' });
  const topicPrefix = `${uniqueName('it')}.`;
  const key = createSigningKey();
  const kafka = createKafka({
    brokers: options.brokers ?? testConfig.kafkaBrokers,
    clientId: 'ingress-test',
    logger,
    // An unreachable broker is given up on quickly, so the test process does not linger.
    retries: options.brokers ? 1 : 8,
  });
  const app = createIngressApp({
    kafka,
    registry: createRegistry(testConfig.schemaRegistryUrl),
    catalog: loadSchemaCatalog(),
    keySource: options.verify === false ? undefined : (options.keySource ?? staticKeySource(key.publicKeyPem)),
    logger,
    ...(options.tracing ? { tracing: options.tracing } : {}),
    settings: {
      port: 0,
      drainMs: 0,
      metricsHost: '127.0.0.1',
      metricsPort: 0,
      topicPrefix,
      topicPartitions: 3,
      topicReplicationFactor: 1,
      maxBodyBytes: 1024 * 1024,
      ackTimeoutMs: 2000,
      requestTimeoutMs: 10_000,
      maxPendingRecords: 10_000,
      maxBatchRecords: 500,
      compactJsonFallback: false,
      compactJsonMaxBytes: 64 * 1024,
      ...options.settings,
    },
  });
  await app.start();
  // The ingress itself waits for Kafka and the registry as long as it takes; a test does not.
  if (options.waitReady !== false) await within(app.ready(), 90_000, 'the ingress under test to be ready (Kafka and the registry reachable)');
  return {
    app,
    topicPrefix,
    url: `http://127.0.0.1:${app.port()}`,
    get metricsUrl() {
      return `http://127.0.0.1:${app.metricsPort()}/metrics`;
    },
    key,
    kafka: createKafka({ brokers: testConfig.kafkaBrokers, clientId: 'ingress-test-reader', logger }),
    plainRegistry: new SchemaRegistry({ host: testConfig.schemaRegistryUrl }),
    stop: () => app.stop(),
  };
}

/** Posts a webhook body, signed with `key` in Dyte's scheme unless `signature` overrides it. */
export async function postWebhook(
  ingress: Pick<IngressUnderTest, 'url' | 'key'>,
  body: unknown,
  options: { headers?: Record<string, string>; signature?: string | null; family?: 'dyte' | 'rtk'; raw?: Buffer } = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const raw = options.raw ?? Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const family = options.family ?? 'dyte';
  const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
  if (options.signature !== null) headers[`${family}-signature`] = options.signature ?? ingress.key.sign(raw);
  const response = await fetch(`${ingress.url}/webhooks/dyte`, { method: 'POST', headers, body: raw });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = { text };
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
