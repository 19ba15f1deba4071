import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';
import { uniqueName } from './unique-name.js';
import { waitFor } from './wait-for.js';

/** A decoded record of the archive topic, with its record type. */
export interface ArchiveResult {
  type: 'ArtifactArchived' | 'ArtifactFailed';
  value: Record<string, unknown> & { artifact: Record<string, unknown> };
  /** The record's headers, as strings. */
  headers: Record<string, string>;
}

/** Follows the archive topic for the length of a test, decoding with the registry. */
export async function watchArchive(kafka: Kafka, topic: string, registry: SchemaRegistry) {
  const results: ArchiveResult[] = [];
  const consumer = kafka.consumer({ groupId: uniqueName('archive-watch'), maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const type = message.headers?.['event-type']?.toString() as ArchiveResult['type'];
      const headers = Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]));
      results.push({ type, value: { ...(await registry.decode(message.value as Buffer)) } as ArchiveResult['value'], headers });
    },
  });
  return {
    results,
    /** The results about one job id. */
    about: (jobId: string) => results.filter((r) => r.value.artifact.jobId === jobId),
    /** Waits for the first result about `jobId`. */
    waitFor: (jobId: string, timeoutMs = 60_000) =>
      waitFor(() => results.find((r) => r.value.artifact.jobId === jobId), { timeoutMs, description: `an archive result for ${jobId}` }),
    stop: () => consumer.disconnect(),
  };
}

/** Dyte's space-separated timestamp form with microseconds, as in every *Expiry field. */
export function dyteTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '000Z');
}

/** What watchArchive gives: the results seen so far, a wait for one, and stop. */
export type ArchiveWatcher = Awaited<ReturnType<typeof watchArchive>>;
