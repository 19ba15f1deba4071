import type { Redis } from 'ioredis';

/** The sweep that ended last, fleet-wide. */
export interface LastSweep {
  /** When it ended, ms since the epoch. */
  finishedAt: number;
  /** ok or partial: it went through its whole window. */
  outcome: string;
}

// As long as the jobs are kept: a fleet whose sweep stopped still shows when it last ran.
const KEEP_SECONDS = 31 * 24 * 3600;

function lastSweepKey(archiveQueue: string): string {
  return `dyte-bridge:${archiveQueue}:reconcile:last-sweep`;
}

/** Notes a sweep that went through its window, for every replica's metrics to report. */
export async function recordLastSweep(redis: Redis, archiveQueue: string, sweep: LastSweep): Promise<void> {
  const key = lastSweepKey(archiveQueue);
  await redis.multi().hset(key, { finishedAt: String(sweep.finishedAt), outcome: sweep.outcome }).expire(key, KEEP_SECONDS).exec();
}

/** The sweep that ended last, or undefined when none has yet. */
export async function readLastSweep(redis: Redis, archiveQueue: string): Promise<LastSweep | undefined> {
  const fields = await redis.hgetall(lastSweepKey(archiveQueue));
  const finishedAt = Number(fields.finishedAt);
  return Number.isFinite(finishedAt) && finishedAt > 0 ? { finishedAt, outcome: fields.outcome ?? 'ok' } : undefined;
}
