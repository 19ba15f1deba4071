import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Redis } from 'ioredis';
import type { Kafka } from 'kafkajs';
import {
  createKafka,
  createLogger,
  createRedis,
  createRegistry,
  loadConfig,
  loadSchemaCatalog,
  providerClientFromConfig,
  topicNames,
  UnavailableError,
  type ConfigOf,
  type Logger,
  type ProviderClient,
  type SchemaCatalog,
  type Topics,
} from '../../shared/src/index.js';
import { configSchema } from './config.js';

/** Where a command writes: results on `out` (stdout), progress and notes on `err` (stderr). */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/**
 * What a command may use. Connections are opened on first use only (`send` needs none of them), and `close`
 * ends whichever were opened.
 */
export interface CliContext extends Output {
  config: ConfigOf<typeof configSchema>;
  topics: Topics;
  logger: Logger;
  kafka(): Kafka;
  registry(): SchemaRegistry;
  catalog(): SchemaCatalog;
  /** Redis, checked to answer within a few seconds (a CLI must not hang on a Redis that is down). */
  redis(): Promise<Redis>;
  /** The provider API client (its request budget shared with the fleet through Redis), or undefined when PROVIDER=none. */
  provider(): Promise<ProviderClient | undefined>;
  close(): Promise<void>;
}

/** Builds the context from the environment (a bad variable throws a ConfigError: exit 78). */
export function createContext(output: Output, env: NodeJS.ProcessEnv = process.env): CliContext {
  const config = loadConfig(configSchema, env);
  // kafkajs's warnings go to stderr as JSON lines only when asked for (LOG_LEVEL=debug or info).
  const logger = createLogger({ level: env.LOG_LEVEL ? config.logLevel : 'error', name: 'dyte-bridge', sink: (line) => process.stderr.write(`${line}\n`) });
  let kafka: Kafka | undefined;
  let registry: SchemaRegistry | undefined;
  let catalog: SchemaCatalog | undefined;
  let redis: Redis | undefined;
  let provider: ProviderClient | undefined;
  return {
    ...output,
    config,
    topics: topicNames(config.topicPrefix),
    logger,
    kafka: () => (kafka ??= createKafka({ brokers: config.kafkaBrokers, clientId: 'dyte-bridge-cli', logger, retries: 3 })),
    registry: () => (registry ??= createRegistry(config.schemaRegistryUrl)),
    catalog: () => (catalog ??= loadSchemaCatalog()),
    async redis() {
      if (!redis) {
        redis = createRedis(config.redisUrl, { lazyConnect: true });
        redis.on('error', () => undefined);
        const connecting = redis.connect();
        const timeout = new Promise<never>((_, reject) =>
          setTimeout(() => reject(new UnavailableError('REDIS_UNAVAILABLE', `Redis at ${config.redisUrl} did not answer within 5 s`)), 5000).unref(),
        );
        await Promise.race([connecting, timeout]);
      }
      return redis;
    },
    async provider() {
      // Same budget keys as the fleet's: the CLI's requests count against the account's limits like the services'.
      provider ??= providerClientFromConfig(config, { redis: await this.redis() });
      return provider;
    },
    async close() {
      redis?.disconnect();
    },
  };
}
