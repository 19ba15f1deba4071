import type { JobsOptions } from 'bullmq';
import type { ArchiveJobData } from '../contract/index.js';
import { priorityOf, type PriorityBases } from './expiry-priority.js';

/**
 * The queue where records that are authentic but cannot become a job are kept with their reason, for an
 * operator; never processed.
 */
export function parkedQueueName(archiveQueue: string): string {
  return `${archiveQueue}-parked`;
}

/** How long a meeting's list of job ids is kept after its last job was added: as long as the jobs themselves, and a day. */
export const MEETING_INDEX_TTL_SECONDS = 31 * 24 * 3600;

/** The Redis set of the ids of every download job of a meeting (outside BullMQ's own keys). */
export function meetingIndexKey(archiveQueue: string, meetingId: string): string {
  return `dyte-bridge:${archiveQueue}:meeting:${meetingId}`;
}

/**
 * Options of a download job: its id makes duplicates no-ops; completed and failed jobs are kept to keep it so. Its
 * priority orders it by link expiry under `bases` (ExpiryPriorities.current(), then settle() after the add).
 */
export function archiveJobOptions(data: ArchiveJobData, attempts: number, bases: PriorityBases): JobsOptions {
  return {
    jobId: data.artifact.jobId,
    priority: priorityOf(data.expiresAt, bases),
    attempts,
    backoff: { type: 'deadline' },
    // Kept for 30 days (longer than any link lives), so a late duplicate webhook finds the job and adds nothing.
    removeOnComplete: { age: 30 * 24 * 3600 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}
