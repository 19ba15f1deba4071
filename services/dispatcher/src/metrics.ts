import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import {
  cached,
  registerProviderRequestMetrics,
  registerQueueMetrics,
  withDeadline,
  type Logger,
  type ObservedQueue,
  type ProviderRequestEvent,
} from '../../../shared/src/index.js';
import type { PartitionLag } from './kafka/consumer-lag.js';
import { registerReconcileMetrics, type ReconcileMetrics, type ReconcileMetricsSources } from './reconcile/reconcile-metrics.js';

/** The dispatcher's Prometheus metrics, on their own registry. */
export interface DispatcherMetrics {
  registry: Registry;
  /** Kafka records read, by topic and outcome (jobs, parked, ignored). */
  records: Counter<'topic' | 'outcome'>;
  /** Download jobs handed to the queue, by artifact kind. */
  jobs: Counter<'kind'>;
  /** What the reconcile sweeps of this replica found and did. */
  reconcile: ReconcileMetrics;
  /** The provider client's `onRequest` hook: counts each provider API request. */
  providerRequest(event: ProviderRequestEvent): void;
}

/** The session ledger's metrics (on the dispatcher's registry). */
export interface LedgerMetrics {
  /** Records the ledger read, by topic and outcome (folded, no_session, ignored, undecodable). */
  ledgerRecords: Counter<'topic' | 'outcome'>;
  /** Times the ledger was rebuilt from the sessions topic. */
  ledgerRebuilds: Counter;
  /** Session states published on the sessions topic. */
  sessionsPublished: Counter;
}

/** What the dispatcher's metrics read at scrape time. */
export interface DispatcherMetricsSources {
  consumerLag(): Promise<PartitionLag[]>;
  queues: { archive: ObservedQueue; parked: ObservedQueue };
  logger: Logger;
  /** The fleet's last sweep, when the reconcile sweep is on. */
  reconcile?: Omit<ReconcileMetricsSources, 'logger'>;
  /** Sessions incomplete past the threshold, from the ledger; without it the gauge stays empty. */
  incompleteSessions?: { olderThanSeconds: number; count(): Promise<number> };
}

/**
 * Creates the metrics with the process's default metrics. The consumer lag and the queue gauges are read at
 * scrape time (each at most every 5 s, and left out of a scrape when Kafka or Redis do not answer in 3 s).
 */
export function createDispatcherMetrics(sources: DispatcherMetricsSources): DispatcherMetrics & LedgerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const lag = cached(async () => {
    try {
      return await withDeadline(sources.consumerLag(), 3000, () => new Error('Kafka did not answer in time'));
    } catch (error) {
      sources.logger.warn('consumer lag unavailable', { error });
      return undefined;
    }
  }, 5000);
  new Gauge({
    name: 'dyte_dispatcher_consumer_lag',
    help: "Records of the dispatchers' consumer group not yet dispatched (high watermark minus committed offset), per partition",
    labelNames: ['topic', 'partition'],
    registers: [registry],
    async collect() {
      const rows = await lag();
      this.reset();
      for (const row of rows ?? []) this.set({ topic: row.topic, partition: String(row.partition) }, row.lag);
    },
  });
  registerQueueMetrics(registry, { ...sources.queues, logger: sources.logger });
  const reconcile = registerReconcileMetrics(registry, sources.reconcile ? { ...sources.reconcile, logger: sources.logger } : undefined);
  const providerRequest = registerProviderRequestMetrics(registry);
  const incomplete = sources.incompleteSessions;
  const incompleteCount = cached(async () => {
    if (!incomplete) return undefined;
    try {
      return await withDeadline(incomplete.count(), 3000, () => new Error('Redis did not answer in time'));
    } catch (error) {
      sources.logger.warn('incomplete sessions unavailable', { error });
      return undefined;
    }
  }, 5000);
  new Gauge({
    name: 'dyte_bridge_sessions_incomplete',
    help: 'Sessions whose ledger shows an artifact announced but not archived (pending or failed) for longer than LEDGER_INCOMPLETE_AFTER_SECONDS',
    labelNames: ['older_than_seconds'],
    registers: [registry],
    async collect() {
      const count = await incompleteCount();
      this.reset();
      if (incomplete && count !== undefined) this.set({ older_than_seconds: String(incomplete.olderThanSeconds) }, count);
    },
  });
  return {
    registry,
    reconcile,
    providerRequest,
    records: new Counter({
      name: 'dyte_dispatcher_records_total',
      help: 'Kafka records dispatched, by topic and outcome (jobs: gave download jobs, parked, ignored: not about an artifact); redeliveries count again',
      labelNames: ['topic', 'outcome'],
      registers: [registry],
    }),
    jobs: new Counter({
      name: 'dyte_dispatcher_jobs_total',
      help: 'Download jobs added to the queue, by artifact kind (a duplicate job id adds nothing to the queue but is counted)',
      labelNames: ['kind'],
      registers: [registry],
    }),
    ledgerRecords: new Counter({
      name: 'dyte_bridge_ledger_records_total',
      help: 'Records the session ledger read, by topic and outcome (folded; no_session: filed under the meeting placeholder; ignored: nothing about a session; undecodable); redeliveries count again',
      labelNames: ['topic', 'outcome'],
      registers: [registry],
    }),
    ledgerRebuilds: new Counter({
      name: 'dyte_bridge_ledger_rebuilds_total',
      help: 'Times the session ledger was rebuilt from the sessions topic (first start, or a Redis that lost it)',
      registers: [registry],
    }),
    sessionsPublished: new Counter({
      name: 'dyte_bridge_sessions_published_total',
      help: 'Session states published on the compacted sessions topic',
      registers: [registry],
    }),
  };
}
