import type { Redis } from 'ioredis';
import { openArchiveQueues } from './open-archive-queues.js';

/** Deletes a download queue and its parked queue from Redis, with every job in them (tests and benchmarks, never a service). */
export async function obliterateArchiveQueues(connection: Redis, archiveQueue: string): Promise<void> {
  const queues = openArchiveQueues(connection, archiveQueue);
  try {
    await queues.archive.obliterate({ force: true });
    await queues.parked.obliterate({ force: true });
  } finally {
    await queues.close();
  }
}
