import type { Redis } from 'ioredis';
import { openArchiveQueues } from '../../shared/src/index.js';

/** Deletes a download queue and its parked queue from Redis, with every job in them. */
export async function obliterateQueues(connection: Redis, archiveQueue: string): Promise<void> {
  const queues = openArchiveQueues(connection, archiveQueue);
  try {
    await queues.archive.obliterate({ force: true });
    await queues.parked.obliterate({ force: true });
  } finally {
    await queues.close();
  }
}

/** Jobs waiting in a queue (prioritized or not), read straight from Redis: cheap enough to poll. */
export async function waitingJobs(connection: Redis, queue: string): Promise<number> {
  const [prioritized, wait] = await Promise.all([connection.zcard(`bull:${queue}:prioritized`), connection.llen(`bull:${queue}:wait`)]);
  return prioritized + wait;
}
