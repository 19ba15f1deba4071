import { Kafka, logLevel as KafkaLogLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../logging/index.js';
import { kafkajsLogLevel } from './kafkajs-log-level.js';

/** Options of the project's Kafka client. */
export interface KafkaClientOptions {
  /** Bootstrap brokers, host:port. */
  brokers: string[];
  /** Client id, shown in broker logs and metrics. */
  clientId: string;
  /** The service's logger; kafkajs's own lines are routed to it. */
  logger: Logger;
  /** Retries of a failed request or connection before kafkajs gives up (default 8, about 30 s). */
  retries?: number;
}

/**
 * A kafkajs client whose log lines go through the project's JSON logger, at the level each deserves: the broker's
 * expected answers that kafkajs logs as errors (coordinator loading, topic already exists...) are info or warn.
 */
export function createKafka(options: KafkaClientOptions): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 100, retries: options.retries ?? 8 },
    logLevel: KafkaLogLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, timestamp: _timestamp, logger: _logger, ...fields } = entry;
        log[kafkajsLogLevel(level, message, fields)](message, fields);
      },
  });
}
