import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ArchiveJobData, ParkedRecord } from '../contract/index.js';
import { parkedQueueName } from './archive-queue.js';

/** The download queue and its parked queue, as every service, the CLI and the tests open them. */
export interface ArchiveQueues {
  archive: Queue<ArchiveJobData>;
  parked: Queue<ParkedRecord>;
  /** Closes both queues; the connection stays open, it belongs to the caller. */
  close(): Promise<void>;
}

/**
 * Opens the download queue `archiveQueue` and its parked queue on `connection` (BullMQ needs
 * maxRetriesPerRequest: null on it). Only queues: workers are opened by the downloader itself.
 */
export function openArchiveQueues(connection: Redis, archiveQueue: string): ArchiveQueues {
  const archive = new Queue<ArchiveJobData>(archiveQueue, { connection });
  const parked = new Queue<ParkedRecord>(parkedQueueName(archiveQueue), { connection });
  return {
    archive,
    parked,
    async close() {
      await Promise.all([archive.close(), parked.close()]);
    },
  };
}
