import {
  createKafka,
  createLogger,
  createTracing,
  createMetricsServer,
  createRedis,
  createRegistry,
  describeProviderClient,
  exitOnBootError,
  fleetTopicSpecs,
  loadConfig,
  loadSchemaCatalog,
  providerClientFromConfig,
  runService,
  tracingOptions,
  serviceGroup,
  type Service,
} from '../../../shared/src/index.js';
import { createAdminServer } from './admin/admin-server.js';
import { adminBoardSettings } from './admin/admin-settings.js';
import { createDispatcherApp } from './app.js';
import { configSchema } from './config.js';

// The only place that reads the environment or connects.
async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  // Topic settings that contradict each other fail the boot (78), not every later attempt to create the topics.
  fleetTopicSpecs(config);
  const board = adminBoardSettings(config);
  const logger = createLogger({ level: config.logLevel, name: 'dispatcher' });
  // Trace ids are always made and logged; spans are exported only when OTEL_TRACES_EXPORTER / OTEL_EXPORTER_OTLP_ENDPOINT say so.
  const tracing = createTracing(tracingOptions(config, 'dispatcher'));
  const redis = createRedis(config.redisUrl);
  // The session ledger's own, without the scripts BullMQ defines on the queues' connection (see DispatcherDeps).
  const ledgerRedis = createRedis(config.redisUrl);
  // Built and checked at boot (a half-configured provider stops the start); the reconcile sweep uses it. Its requests
  // are counted on the app's metrics, which exist by the time the sweep sends the first.
  const provider = providerClientFromConfig(config, { redis, onRequest: (event) => app.metrics.providerRequest(event) });
  logger.info(describeProviderClient(provider));
  const app = createDispatcherApp({
    kafka: createKafka({ brokers: config.kafkaBrokers, clientId: 'dyte-dispatcher', logger }),
    registry: createRegistry(config.schemaRegistryUrl),
    redis,
    ledgerRedis,
    catalog: loadSchemaCatalog(),
    logger,
    settings: config,
    tracing,
    ...(provider ? { provider } : {}),
  });
  const { metricsHost: host, metricsPort: port } = config;
  const metricsServer = createMetricsServer({ registry: app.metrics.registry, host, port, logger, readiness: app.readiness });
  const parts: Service[] = [metricsServer, app];
  // Off unless ADMIN_PORT is set; started last, so it never shows queues of a dispatcher that failed to start.
  if (board) parts.push(createAdminServer({ ...board, queues: app.queues, logger }));
  await runService(serviceGroup(parts), { logger, closeAfterStop: [() => redis.quit(), () => ledgerRedis.quit(), () => tracing.shutdown()] });
}

main().catch(exitOnBootError);
