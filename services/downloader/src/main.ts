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
} from '../../../shared/src/index.js';
import { createDownloaderApp } from './app.js';
import { configSchema } from './config.js';
import { archiveStoreFromConfig } from './store/archive-store-from-config.js';

// The only place that reads the environment or connects.
async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  // Topic settings that contradict each other fail the boot (78), not every later attempt to create the topics.
  fleetTopicSpecs(config);
  const logger = createLogger({ level: config.logLevel, name: 'downloader' });
  // Trace ids are always made and logged; spans are exported only when OTEL_TRACES_EXPORTER / OTEL_EXPORTER_OTLP_ENDPOINT say so.
  const tracing = createTracing(tracingOptions(config, 'downloader'));
  const redis = createRedis(config.redisUrl);
  // Built and checked at boot (a half-configured provider stops the start); undefined when off: no link refresh. Its
  // requests are counted on the app's metrics, which exist by the time the first is sent.
  const provider = providerClientFromConfig(config, { redis, onRequest: (event) => app.metrics.providerRequest(event) });
  logger.info(describeProviderClient(provider));
  const app = createDownloaderApp({
    kafka: createKafka({ brokers: config.kafkaBrokers, clientId: 'dyte-downloader', logger }),
    registry: createRegistry(config.schemaRegistryUrl),
    redis,
    catalog: loadSchemaCatalog(),
    store: archiveStoreFromConfig(config),
    logger,
    settings: config,
    tracing,
    provider,
  });
  const { metricsHost: host, metricsPort: port } = config;
  const metricsServer = createMetricsServer({ registry: app.metrics.registry, host, port, logger, readiness: app.readiness });
  // A download that outlasts runService's grace period is handed back: its job resumes on another downloader.
  await runService(serviceGroup([metricsServer, app]), { logger, closeAfterStop: [() => redis.quit(), () => tracing.shutdown()] });
}

main().catch(exitOnBootError);
