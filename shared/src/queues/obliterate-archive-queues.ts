import type { Redis } from 'ioredis';
import { priorityBasesKey } from './expiry-priorities.js';
import { openArchiveQueues } from './open-archive-queues.js';

/**
 * Deletes a download queue and its parked queue from Redis, with every job in them and the bases of their priorities
 * (tests and benchmarks, never a service).
 */
export async function obliterateArchiveQueues(connection: Redis, archiveQueue: string): Promise<void> {
  const queues = openArchiveQueues(connection, archiveQueue);
  try {
    await queues.archive.obliterate({ force: true });
    await queues.parked.obliterate({ force: true });
    await connection.del(priorityBasesKey(archiveQueue));
  } finally {
    await queues.close();
  }
}
