import type { Redis } from 'ioredis';
import { createExpiryPriorities, type ArchiveJobData, type ArchiveQueues, type ExpiryPriorities } from '../../../../shared/src/index.js';
import { enqueueDispatches } from '../dispatch-record.js';
import type { ExistingJob } from './reconcile-decision.js';

/** The download queue, as the reconciler reads and changes it. */
export interface ReconcileJobStore {
  /** The jobs among `jobIds` that exist, by id. */
  find(jobIds: string[]): Promise<Map<string, ExistingJob>>;
  /** Adds jobs exactly as the dispatcher does (same options, noted under their meeting); an id that exists adds nothing. */
  add(jobs: ArchiveJobData[]): Promise<void>;
  /**
   * Gives a job that failed for good the fresh link of `fresh` and retries it with its attempts reset. False when the
   * job is no longer failed (another reconcile or an operator retried it first).
   */
  retry(fresh: ArchiveJobData): Promise<boolean>;
}

/** A ReconcileJobStore on the fleet's BullMQ download queue. */
export function queueJobStore(target: { queues: ArchiveQueues; redis: Redis; archiveQueue: string; jobAttempts: number; priorities?: ExpiryPriorities }): ReconcileJobStore {
  const queue = target.queues.archive;
  const priorities = target.priorities ?? createExpiryPriorities(target.redis, queue);
  return {
    async find(jobIds) {
      const found = new Map<string, ExistingJob>();
      await Promise.all(
        jobIds.map(async (id) => {
          const state = await queue.getJobState(id);
          if (state === 'unknown') return;
          const failedReason = state === 'failed' ? (await queue.getJob(id))?.failedReason : undefined;
          found.set(id, { state, ...(failedReason !== undefined ? { failedReason } : {}) });
        }),
      );
      return found;
    },
    async add(jobs) {
      await enqueueDispatches({ queue, parked: target.queues.parked, redis: target.redis, archiveQueue: target.archiveQueue, jobAttempts: target.jobAttempts, priorities }, jobs, []);
    },
    // Retried in place rather than removed and added again: the job keeps its id and history, the move out of
    // `failed` is one atomic step that only one caller wins, and there is no moment without a job in which a late
    // webhook could add a second one. It is what `dyte-bridge requeue --url` does.
    async retry(fresh) {
      const job = await queue.getJob(fresh.artifact.jobId);
      if (!job || (await job.getState()) !== 'failed') return false;
      // The job's own artifact ids stay (where it is archived does not move); only the link and its facts change.
      await job.updateData({ ...job.data, url: fresh.url, expiresAt: fresh.expiresAt, expectedBytes: fresh.expectedBytes ?? job.data.expectedBytes });
      try {
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
      } catch {
        return false;
      }
      // The retry put the job back with the priority it had; its link and the scale's bases may have moved since.
      await priorities.reprioritize([fresh.artifact.jobId]);
      return true;
    },
  };
}
