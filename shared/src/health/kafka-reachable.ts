import type { Kafka } from 'kafkajs';
import type { ReadinessCheck } from './readiness.js';

/** A readiness check that asks a broker for the cluster's metadata, and the close that ends its connection. */
export interface KafkaReachable {
  check: ReadinessCheck;
  close(): Promise<void>;
}

/**
 * Ready when a broker answers a metadata request. Its own admin client with no retries: each probe is one attempt,
 * and a broker that went away and came back is reached again by the next probe.
 */
export function kafkaReachable(kafka: Kafka): KafkaReachable {
  const admin = kafka.admin({ retry: { retries: 0 } });
  let connecting: Promise<void> | undefined;
  let closed = false;
  return {
    async check() {
      if (closed) return 'stopped';
      connecting ??= admin.connect().catch((error: unknown) => {
        connecting = undefined;
        throw error;
      });
      await connecting;
      const { brokers } = await admin.describeCluster();
      return brokers.length > 0 ? undefined : 'Kafka named no broker';
    },
    async close() {
      closed = true;
      await admin.disconnect();
    },
  };
}
