import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The ingress's Prometheus metrics, on their own registry so that tests can build several apps. */
export interface IngressMetrics {
  registry: Registry;
  webhooks: Counter<'event' | 'outcome'>;
  produceSeconds: Histogram<'ok'>;
  batchRecords: Histogram;
  pendingRecords: Gauge;
}

/**
 * Creates the metrics with the process's default metrics (memory, CPU, event loop lag); `pending` is read at
 * each scrape.
 */
export function createIngressMetrics(pending: () => number): IngressMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    webhooks: new Counter({
      name: 'dyte_ingress_webhooks_total',
      help: 'Webhooks answered, by event type (known types, else "other") and outcome (accepted_typed, accepted_raw, or the error code)',
      labelNames: ['event', 'outcome'],
      registers: [registry],
    }),
    produceSeconds: new Histogram({
      name: 'dyte_ingress_produce_seconds',
      help: 'Time of one produce request (a group-commit batch) until acks=all',
      labelNames: ['ok'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    batchRecords: new Histogram({
      name: 'dyte_ingress_batch_records',
      help: 'Records per produce request',
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512],
      registers: [registry],
    }),
    pendingRecords: new Gauge({
      name: 'dyte_ingress_pending_records',
      help: 'Records waiting for a produce request',
      registers: [registry],
      collect() {
        this.set(pending());
      },
    }),
  };
}
