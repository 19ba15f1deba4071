import type { Redis } from 'ioredis';

/** Deletes a download queue and its parked queue from Redis, with every job in them. */
export { obliterateArchiveQueues as obliterateQueues } from '../../shared/src/index.js';

/** Jobs waiting in a queue (prioritized or not), read straight from Redis: cheap enough to poll. */
export async function waitingJobs(connection: Redis, queue: string): Promise<number> {
  const [prioritized, wait] = await Promise.all([connection.zcard(`bull:${queue}:prioritized`), connection.llen(`bull:${queue}:wait`)]);
  return prioritized + wait;
}

/** How a queue filled up, timed from its first job (so the producer's start-up is left out). */
export interface JobsMade {
  /** Jobs waiting at the end (at least the count waited for). */
  made: number;
  /** Jobs already waiting when the first was seen: not counted in the rate. */
  firstCount: number;
  seconds: number;
  /** CPU seconds of whatever `cpuSeconds` reads, from the first job to the last. */
  cpuSeconds: number;
}

/**
 * Polls a queue every 10 ms until `count` jobs wait in it. `failure` is asked at every poll (with the jobs so far
 * and whether `timeoutMs` has passed) and ends the wait with the error it returns.
 */
export async function timeJobsMade(
  connection: Redis,
  queue: string,
  count: number,
  options: { cpuSeconds: () => number; failure: (made: number, timedOut: boolean) => Error | undefined; timeoutMs?: number },
): Promise<JobsMade> {
  let first = 0;
  let firstCount = 0;
  let cpuAtFirst = 0;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    const made = await waitingJobs(connection, queue);
    if (made > 0 && !first) {
      first = performance.now();
      firstCount = made;
      cpuAtFirst = options.cpuSeconds();
    }
    if (made >= count) return { made, firstCount, seconds: (performance.now() - first) / 1000, cpuSeconds: options.cpuSeconds() - cpuAtFirst };
    const error = options.failure(made, Date.now() > deadline);
    if (error) throw error;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
