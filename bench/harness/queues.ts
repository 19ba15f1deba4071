import type { Redis } from 'ioredis';

/** Deletes a download queue and its parked queue from Redis, with every job in them. */
export { obliterateArchiveQueues as obliterateQueues } from '../../shared/src/index.js';

/** Jobs waiting in a queue (prioritized or not), read straight from Redis: cheap enough to poll. */
export async function waitingJobs(connection: Redis, queue: string): Promise<number> {
  const [prioritized, wait] = await Promise.all([connection.zcard(`bull:${queue}:prioritized`), connection.llen(`bull:${queue}:wait`)]);
  return prioritized + wait;
}
