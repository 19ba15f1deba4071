import { Counter, Gauge, type Registry } from 'prom-client';
import { cached, withDeadline, type Logger } from '../../../../shared/src/index.js';
import type { LastSweep } from './last-sweep.js';

/** The reconciler's metrics. */
export interface ReconcileMetrics {
  /** Artifacts of provider sessions by kind and outcome (recovered, retried, already_archived, ...). */
  artifacts: Counter<'kind' | 'outcome'>;
  /** Sweeps run by this replica, by outcome (ok, partial, failed, aborted). */
  sweeps: Counter<'outcome'>;
}

/** What the sweep gauges read at scrape time; absent while the sweep is off. */
export interface ReconcileMetricsSources {
  queue: string;
  intervalSeconds: number;
  lastSweep(): Promise<LastSweep | undefined>;
  logger: Logger;
}

/** Outcomes a sweep ends with. */
export type SweepOutcome = 'ok' | 'partial' | 'failed' | 'aborted';

/**
 * Registers the reconciler's metrics. The counters count what this replica's sweeps did; the gauges report the
 * fleet's last sweep, read from Redis (every replica the same value: aggregate with max), so a stale sweep shows
 * whichever replica is scraped. Without `sources` (the sweep is off) the gauges have no series.
 */
export function registerReconcileMetrics(registry: Registry, sources?: ReconcileMetricsSources): ReconcileMetrics {
  const last = sources
    ? cached(async () => {
        try {
          return await withDeadline(sources.lastSweep(), 2000, () => new Error('Redis did not answer in time'));
        } catch (error) {
          sources.logger.warn('last reconcile sweep unavailable', { error });
          return undefined;
        }
      }, 5000)
    : undefined;
  new Gauge({
    name: 'dyte_bridge_reconcile_last_sweep_timestamp_seconds',
    help: "When the fleet's last reconcile sweep that went through its window ended (unix seconds; 0 before the first), read from Redis",
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      if (!sources || !last) return;
      const sweep = await last();
      this.set({ queue: sources.queue }, sweep ? sweep.finishedAt / 1000 : 0);
    },
  });
  new Gauge({
    name: 'dyte_bridge_reconcile_interval_seconds',
    help: 'RECONCILE_INTERVAL_SECONDS of a dispatcher whose sweep is on (no series while it is off)',
    labelNames: ['queue'],
    registers: [registry],
    collect() {
      this.reset();
      if (sources) this.set({ queue: sources.queue }, sources.intervalSeconds);
    },
  });
  return {
    artifacts: new Counter({
      name: 'dyte_bridge_reconcile_artifacts_total',
      help: 'Artifacts of provider sessions a reconcile sweep looked at, by kind and outcome (recovered: held with no job, one added; retried; already_archived; pending; failed; not_held; unusable)',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    sweeps: new Counter({
      name: 'dyte_bridge_reconcile_sweeps_total',
      help: 'Reconcile sweeps run by this dispatcher, by outcome (ok; partial: some provider calls failed; failed; aborted: stopped or lost its lock)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}
