import type { Queue } from 'bullmq';

/** The part of a BullMQ queue the headroom reader uses. */
export type JobLister = Pick<Queue, 'getJobs'>;

// How many jobs of each state are read: the first prioritized jobs expire first (their priority orders them by
// expiry, docs/adr/0017), so a few cover the earliest; delayed jobs (retries) are ordered by when they run, so more
// are read.
const PRIORITIZED_SAMPLE = 20;
const WAITING_SAMPLE = 20;
const DELAYED_SAMPLE = 200;

/**
 * Seconds left before the earliest link of a pending (waiting, prioritized or delayed) job expires, negative when
 * it already has; `undefined` when no pending job has an expiry. Reads a bounded number of jobs, never the queue.
 */
export async function minPendingHeadroomSeconds(queue: JobLister, nowMs: number): Promise<number | undefined> {
  const batches = await Promise.all([
    queue.getJobs(['prioritized'], 0, PRIORITIZED_SAMPLE - 1, true),
    queue.getJobs(['wait', 'paused'], 0, WAITING_SAMPLE - 1, true),
    queue.getJobs(['delayed'], 0, DELAYED_SAMPLE - 1, true),
  ]);
  let earliestMicros: number | undefined;
  for (const job of batches.flat()) {
    const expiresAt = (job?.data as { expiresAt?: unknown } | undefined)?.expiresAt;
    if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) continue;
    if (earliestMicros === undefined || expiresAt < earliestMicros) earliestMicros = expiresAt;
  }
  return earliestMicros === undefined ? undefined : (earliestMicros / 1000 - nowMs) / 1000;
}
