import { randomBytes } from 'node:crypto';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';
import { ARTIFACT_ARCHIVED_RECORD, ARTIFACT_FAILED_RECORD, decodeWireRecord } from '../../shared/src/index.js';

/** A result record of the archive topic, decoded. */
export interface ArchiveOutcome {
  type: 'archived' | 'failed';
  jobId: string;
  value: Record<string, unknown>;
}

/** What the archive topic has said so far, by job id. */
export interface ArchiveOutcomes {
  all: ArchiveOutcome[];
  about(jobId: string): ArchiveOutcome[];
  stop(): Promise<void>;
}

/** Follows the archive topic from its beginning in a throwaway consumer group, decoding with the registry. */
export async function followArchiveOutcomes(kafka: Kafka, registry: SchemaRegistry, topic: string): Promise<ArchiveOutcomes> {
  const all: ArchiveOutcome[] = [];
  const byJob = new Map<string, ArchiveOutcome[]>();
  const consumer = kafka.consumer({ groupId: `custody-outcomes-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      if (!message.value) return;
      const record = await decodeWireRecord(registry, message.value);
      const type = record.recordName === ARTIFACT_ARCHIVED_RECORD ? 'archived' : record.recordName === ARTIFACT_FAILED_RECORD ? 'failed' : undefined;
      if (!type) return;
      const jobId = String((record.value.artifact as Record<string, unknown> | undefined)?.jobId);
      const outcome: ArchiveOutcome = { type, jobId, value: record.value };
      all.push(outcome);
      byJob.set(jobId, [...(byJob.get(jobId) ?? []), outcome]);
    },
  });
  return { all, about: (jobId) => byJob.get(jobId) ?? [], stop: () => consumer.disconnect() };
}
