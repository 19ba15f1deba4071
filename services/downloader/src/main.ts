import {
  createKafka,
  createLogger,
  createRedis,
  createRegistry,
  exitOnBootError,
  loadConfig,
  loadSchemaCatalog,
  runService,
} from '../../../shared/src/index.js';
import { createDownloaderApp } from './app.js';
import { configSchema } from './config.js';
import { archiveStoreFromConfig } from './store/archive-store-from-config.js';

// The only place that reads the environment or connects.
async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  const logger = createLogger({ level: config.logLevel, name: 'downloader' });
  const redis = createRedis(config.redisUrl);
  const app = createDownloaderApp({
    kafka: createKafka({ brokers: config.kafkaBrokers, clientId: 'dyte-downloader', logger }),
    registry: createRegistry(config.schemaRegistryUrl),
    redis,
    catalog: loadSchemaCatalog(),
    store: archiveStoreFromConfig(config),
    logger,
    settings: config,
  });
  // Long downloads are handed back (their job resumes elsewhere) if they outlast the grace period.
  await runService(app, { logger, stopTimeoutMs: 25_000, closeAfterStop: [() => redis.quit()] });
}

main().catch(exitOnBootError);
