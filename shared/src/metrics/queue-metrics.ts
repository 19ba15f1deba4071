import type { Queue } from 'bullmq';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Logger } from '../logging/index.js';
import { withDeadline } from '../lifecycle/index.js';
import { cached } from './cached.js';
import { minPendingHeadroomSeconds } from './pending-headroom.js';

/** The part of a BullMQ queue the queue metrics read. */
export type ObservedQueue = Pick<Queue, 'name' | 'getJobCounts' | 'getJobs'>;

/** Options of `registerQueueMetrics`. */
export interface QueueMetricsOptions {
  /** The download queue. */
  archive: ObservedQueue;
  /** The parked queue (`parkedQueueName(archive)`). */
  parked: ObservedQueue;
  logger: Logger;
  /** How long one read of Redis serves scrapes (default 5 s). */
  cacheMs?: number;
  /** Longest a read may take before the scrape goes on without queue series (default 2 s). */
  timeoutMs?: number;
  now?: () => number;
}

/** The states `dyte_archive_jobs` reports; `waiting` includes BullMQ's prioritized and paused jobs. */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

interface QueueSnapshot {
  counts: Record<(typeof JOB_STATES)[number], number>;
  parked: number;
  minHeadroomSeconds: number | undefined;
}

/**
 * Registers the gauges of the download and parked queues, read from Redis at scrape time (BullMQ getJobCounts
 * and a bounded sample of pending jobs), at most once per `cacheMs`. Every replica of a service reports the
 * same queue-wide values: aggregate them with `max`, not `sum`. When Redis does not answer in time the queue
 * series are left out of that scrape and `dyte_archive_queue_read_errors_total` counts it.
 */
export function registerQueueMetrics(registry: Registry, options: QueueMetricsOptions): void {
  const now = options.now ?? Date.now;
  const queueName = options.archive.name;
  const readErrors = new Counter({
    name: 'dyte_archive_queue_read_errors_total',
    help: 'Scrapes that could not read the queues from Redis in time',
    labelNames: ['queue'],
    registers: [registry],
  });
  const read = async (): Promise<QueueSnapshot> => {
    const [counts, parkedCounts, minHeadroomSeconds] = await Promise.all([
      options.archive.getJobCounts(),
      options.parked.getJobCounts(),
      minPendingHeadroomSeconds(options.archive, now()),
    ]);
    const n = (key: string) => counts[key] ?? 0;
    return {
      counts: {
        waiting: n('waiting') + n('wait') + n('prioritized') + n('paused'),
        active: n('active'),
        delayed: n('delayed'),
        failed: n('failed'),
        completed: n('completed'),
      },
      parked: Object.values(parkedCounts).reduce((sum, count) => sum + count, 0),
      minHeadroomSeconds,
    };
  };
  // A failed read is cached like a good one: one warning and one count per period, not one per gauge.
  const snapshot = cached(async (): Promise<QueueSnapshot | undefined> => {
    try {
      return await withDeadline(read(), options.timeoutMs ?? 2000, () => new Error('the queues did not answer in time'));
    } catch (error) {
      readErrors.inc({ queue: queueName });
      options.logger.warn('queue metrics unavailable: Redis did not answer', { queue: queueName, error });
      return undefined;
    }
  }, options.cacheMs ?? 5000, now);

  new Gauge({
    name: 'dyte_archive_jobs',
    help: 'Download jobs by state (waiting includes prioritized), read from Redis at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const s = await snapshot();
      this.reset();
      if (s) for (const state of JOB_STATES) this.set({ queue: queueName, state }, s.counts[state]);
    },
  });
  new Gauge({
    name: 'dyte_archive_parked_records',
    help: 'Records parked with their reason (authentic artifact events that cannot become a job)',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const s = await snapshot();
      this.reset();
      if (s) this.set({ queue: queueName }, s.parked);
    },
  });
  new Gauge({
    name: 'dyte_archive_headroom_min_seconds',
    help: 'Seconds before the earliest link of a pending download job expires (negative: already expired); absent when none is pending',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      const s = await snapshot();
      this.reset();
      if (s && s.minHeadroomSeconds !== undefined) this.set({ queue: queueName }, s.minHeadroomSeconds);
    },
  });
}
