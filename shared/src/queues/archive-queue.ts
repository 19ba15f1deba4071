import type { JobsOptions } from 'bullmq';
import type { ArchiveJobData } from '../events/index.js';

/**
 * The queue where records that are authentic but cannot become a job are kept with their reason, for an
 * operator; never processed.
 */
export function parkedQueueName(archiveQueue: string): string {
  return `${archiveQueue}-parked`;
}

/** A record that is authentic but cannot become a job, kept in the parked queue with its reason. */
export interface ParkedRecord {
  topic: string;
  partition: number;
  offset: string;
  reason: string;
}

/** How long a meeting's list of job ids is kept after its last job was added: as long as the jobs themselves, and a day. */
export const MEETING_INDEX_TTL_SECONDS = 31 * 24 * 3600;

/** The Redis set of the ids of every download job of a meeting (outside BullMQ's own keys). */
export function meetingIndexKey(archiveQueue: string, meetingId: string): string {
  return `dyte-bridge:${archiveQueue}:meeting:${meetingId}`;
}

// BullMQ priorities run from 1 (first) to 2^21 - 1. A priority is minutes of expiry since 2025-01-01, so the
// link that expires first is fetched first, whenever its job was added; that scale lasts until about 2028-12,
// after which every priority is clamped to the last one and order becomes FIFO again.
const PRIORITY_EPOCH_MS = Date.UTC(2025, 0, 1);
const MAX_PRIORITY = 2 ** 21 - 1;

/** The BullMQ priority of a job: earlier expiry, smaller number, sooner processed. No expiry comes last. */
export function priorityOf(expiresAtMicros: number | null): number {
  if (expiresAtMicros === null) return MAX_PRIORITY;
  const minutes = Math.floor((expiresAtMicros / 1000 - PRIORITY_EPOCH_MS) / 60_000);
  return Math.min(MAX_PRIORITY, Math.max(1, minutes + 1));
}

/** Options of a download job: its id makes duplicates no-ops; completed and failed jobs are kept to keep it so. */
export function archiveJobOptions(data: ArchiveJobData, attempts: number): JobsOptions {
  return {
    jobId: data.artifact.jobId,
    priority: priorityOf(data.expiresAt),
    attempts,
    backoff: { type: 'deadline' },
    // Kept for 30 days (longer than any link lives), so a late duplicate webhook finds the job and adds nothing.
    removeOnComplete: { age: 30 * 24 * 3600 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}
