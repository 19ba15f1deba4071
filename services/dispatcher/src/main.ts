import {
  createKafka,
  createLogger,
  createMetricsServer,
  createRedis,
  createRegistry,
  exitOnBootError,
  loadConfig,
  loadSchemaCatalog,
  runService,
  serviceGroup,
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
  const metricsServer = createMetricsServer({ registry: app.metrics.registry, host: config.metricsHost, port: config.metricsPort, logger });
  await runService(serviceGroup([metricsServer, app]), { logger, closeAfterStop: [() => redis.quit()] });
}

main().catch(exitOnBootError);
