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
import { createDispatcherApp } from './app.js';
import { configSchema } from './config.js';

// The only place that reads the environment or connects.
async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  const logger = createLogger({ level: config.logLevel, name: 'dispatcher' });
  const redis = createRedis(config.redisUrl);
  const app = createDispatcherApp({
    kafka: createKafka({ brokers: config.kafkaBrokers, clientId: 'dyte-dispatcher', logger }),
    registry: createRegistry(config.schemaRegistryUrl),
    redis,
    catalog: loadSchemaCatalog(),
    logger,
    settings: config,
  });
  await runService(app, { logger, closeAfterStop: [() => redis.quit()] });
}

main().catch(exitOnBootError);
