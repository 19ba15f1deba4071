import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { KafkaMessage } from 'kafkajs';
import type avro from 'avsc';
import {
  ARCHIVE_JOB_RECORD,
  archiveJobOptions,
  createExpiryPriorities,
  decodeWireRecord,
  isWireFormat,
  KAFKA_HEADERS,
  meetingIndexKey,
  MEETING_INDEX_TTL_SECONDS,
  isUndecodable,
  type ArchiveJobData,
  type ExpiryPriorities,
  type ParkedRecord,
  type WireRecord,
} from '../../../shared/src/index.js';
import { artifactJobs, type Dispatch } from './domain/artifact-jobs.js';

/**
 * Decodes one Kafka record (Confluent wire format) and tells what it means for the archive: jobs (each checked
 * against the ArchiveJob schema), nothing, or a reason to park it. Throws only when trying again may help (the
 * registry unreachable). The dispatcher and `dyte-bridge replay archive` share it.
 */
export function createRecordDispatcher(deps: { registry: SchemaRegistry; jobType: avro.Type }) {
  return async (message: KafkaMessage, topic: string, partition: number): Promise<Dispatch> => {
    const where = `${topic}[${partition}]@${message.offset}`;
    const value = message.value;
    if (!value || !isWireFormat(value)) return { parked: `${where}: not in the Confluent Avro wire format` };
    let record: WireRecord;
    try {
      record = await decodeWireRecord(deps.registry, value);
    } catch (error) {
      // A schema the registry does not have, or bytes that do not decode, will never get better: park them.
      // Anything else (the registry unreachable) is thrown, so the batch is read again later.
      if (isUndecodable(error)) {
        return { parked: `${where}: cannot decode (${(error as Error).message})` };
      }
      throw error;
    }
    const deliveryId = message.headers?.[KAFKA_HEADERS.deliveryId.name]?.toString() ?? `${topic}-${partition}-${message.offset}`;
    const dispatch = artifactJobs(record.recordName, record.value, deliveryId);
    if ('jobs' in dispatch) {
      for (const job of dispatch.jobs) {
        if (!deps.jobType.isValid(job)) return { parked: `${where}: the job it gives does not fit ${ARCHIVE_JOB_RECORD}` };
      }
    }
    return dispatch;
  };
}

/**
 * Adds download jobs and parked records. Job ids make a job added twice a no-op. Each job id is also noted under its
 * meeting (for `dyte-bridge archive status`) before the job is added, so no job exists that its meeting does not list.
 * Jobs are prioritized by link expiry (`priorities`: by default the queue's own, on the real clock).
 */
export async function enqueueDispatches(
  target: { queue: Queue<ArchiveJobData>; parked: Queue; redis: Redis; archiveQueue: string; jobAttempts: number; priorities?: ExpiryPriorities },
  jobs: ArchiveJobData[],
  parkedRecords: ParkedRecord[],
): Promise<void> {
  if (jobs.length > 0) {
    const index = target.redis.multi();
    for (const job of jobs) {
      const key = meetingIndexKey(target.archiveQueue, job.artifact.meetingId);
      index.sadd(key, job.artifact.jobId).expire(key, MEETING_INDEX_TTL_SECONDS);
    }
    await index.exec();
    const priorities = target.priorities ?? createExpiryPriorities(target.redis, target.queue);
    const bases = await priorities.current();
    // Jobs of one priority (one millisecond of expiry) are taken in the order they were added: add a batch's
    // jobs earliest expiry first, so that ties, too, go to the link that expires first.
    const byExpiry = [...jobs].sort((a, b) => (a.expiresAt ?? Number.MAX_SAFE_INTEGER) - (b.expiresAt ?? Number.MAX_SAFE_INTEGER));
    await target.queue.addBulk(byExpiry.map((data) => ({ name: data.artifact.kind, data, opts: archiveJobOptions(data, target.jobAttempts, bases) })));
    // Another replica may have moved the bases between reading them and adding: then these jobs are re-priced.
    await priorities.settle(
      byExpiry.map((data) => data.artifact.jobId),
      bases,
    );
  }
  if (parkedRecords.length > 0) {
    await target.parked.addBulk(
      parkedRecords.map((data) => ({ name: 'parked', data, opts: { jobId: `${data.topic}.${data.partition}.${data.offset}` } })),
    );
  }
}
