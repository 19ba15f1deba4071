import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { parkedQueueName } from '../../shared/src/index.js';

/** Deletes a download queue and its parked queue from Redis, with every job in them. */
export async function obliterateQueues(connection: Redis, archiveQueue: string): Promise<void> {
  for (const name of [archiveQueue, parkedQueueName(archiveQueue)]) {
    const queue = new Queue(name, { connection });
    await queue.obliterate({ force: true });
    await queue.close();
  }
}

/** Jobs waiting in a queue (prioritized or not), read straight from Redis: cheap enough to poll. */
export async function waitingJobs(connection: Redis, queue: string): Promise<number> {
  const [prioritized, wait] = await Promise.all([connection.zcard(`bull:${queue}:prioritized`), connection.llen(`bull:${queue}:wait`)]);
  return prioritized + wait;
}
