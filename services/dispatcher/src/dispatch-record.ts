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
  untracedTracing,
  type ArchiveJobData,
  type ExpiryPriorities,
  type ParkedRecord,
  type Tracing,
  type WireRecord,
} from '../../../shared/src/index.js';
import { artifactJobs, type Dispatch } from './domain/artifact-jobs.js';

/** A record's dispatch, with the ids of the span that read it (its trace is the webhook's, from the record's header). */
export type TracedDispatch = Dispatch & { trace: { traceId: string; spanId: string } };

/**
 * Decodes one Kafka record (Confluent wire format) and tells what it means for the archive: jobs (each checked
 * against the ArchiveJob schema), nothing, or a reason to park it. Throws only when trying again may help (the
 * registry unreachable). The dispatcher and `dyte-bridge replay archive` share it.
 *
 * Each record is read in a span that continues the trace of its `traceparent` header (a new trace without one), and
 * its jobs carry that span's traceparent, so the downloader continues the same trace.
 */
export function createRecordDispatcher(deps: { registry: SchemaRegistry; jobType: avro.Type; tracing?: Tracing }) {
  const tracing = deps.tracing ?? untracedTracing();
  return async (message: KafkaMessage, topic: string, partition: number): Promise<TracedDispatch> => {
    const span = tracing.startSpan(`${topic} process`, {
      parent: message.headers?.[KAFKA_HEADERS.traceparent.name]?.toString(),
      kind: 'consumer',
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.kafka.offset': Number(message.offset) },
    });
    try {
      const dispatch = await dispatchRecord(message, topic, partition, span.traceparent);
      span.end();
      return { ...dispatch, trace: span.logFields };
    } catch (error) {
      span.end(error);
      throw error;
    }
  };

  async function dispatchRecord(message: KafkaMessage, topic: string, partition: number, traceparent: string): Promise<Dispatch> {
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
    if ('parked' in dispatch) return dispatch;
    const jobs = dispatch.jobs.map((job) => ({ ...job, traceparent }));
    for (const job of jobs) {
      if (!deps.jobType.isValid(job)) return { parked: `${where}: the job it gives does not fit ${ARCHIVE_JOB_RECORD}` };
    }
    return { jobs };
  }
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
