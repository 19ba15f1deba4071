import {
  createKafka,
  createLogger,
  createTracing,
  createRegistry,
  exitOnBootError,
  fleetTopicSpecs,
  loadConfig,
  loadSchemaCatalog,
  runService,
  tracingOptions,
} from '../../../shared/src/index.js';
import { createIngressApp } from './app.js';
import { configSchema } from './config.js';
import { keySourceFromConfig } from './signature/key-source-from-config.js';

// The only place that reads the environment, opens ports or connects.
async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  // Topic settings that contradict each other fail the boot (78), not every later attempt to create the topics.
  fleetTopicSpecs(config);
  const logger = createLogger({ level: config.logLevel, name: 'ingress' });
  // Trace ids are always made and logged; spans are exported only when OTEL_TRACES_EXPORTER / OTEL_EXPORTER_OTLP_ENDPOINT say so.
  const tracing = createTracing(tracingOptions(config, 'ingress'));
  const keySource = keySourceFromConfig(config, logger);
  if (!keySource) {
    logger.warn('SIGNATURE VERIFICATION IS OFF (DYTE_WEBHOOK_VERIFY=false): anyone who can reach this port can publish events');
  }
  const app = createIngressApp({
    kafka: createKafka({ brokers: config.kafkaBrokers, clientId: 'dyte-ingress', logger }),
    registry: createRegistry(config.schemaRegistryUrl),
    catalog: loadSchemaCatalog(),
    keySource,
    logger,
    settings: config,
    tracing,
  });
  // The grace period starts after the drain.
  await runService(app, { logger, stopTimeoutMs: config.drainMs + 25_000, closeAfterStop: [() => tracing.shutdown()] });
}

main().catch(exitOnBootError);
