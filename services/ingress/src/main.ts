import { createKafka, createLogger, exitOnBootError, loadConfig, runService } from '../../../shared/src/index.js';
import { createIngressApp } from './app.js';
import { configSchema } from './config.js';

// The only place that reads the environment, opens ports or connects.
async function main(): Promise<void> {
  const config = loadConfig(configSchema);
  const logger = createLogger({ level: config.logLevel, name: 'ingress' });
  const kafka = createKafka({ brokers: config.kafkaBrokers, clientId: 'dyte-ingress', logger });
  const app = createIngressApp({ producer: kafka.producer({ idempotent: true }), logger, port: config.port });
  await runService(app, { logger });
}

main().catch(exitOnBootError);
