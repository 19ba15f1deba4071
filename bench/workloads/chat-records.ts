import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka, Message } from 'kafkajs';
import {
  createEventProducer,
  KAFKA_HEADERS,
  KNOWN_EVENTS,
  loadSchemaCatalog,
  registerEventSchemas,
  type ArchiveJobData,
} from '../../shared/src/index.js';
import { artifactJobs } from '../../services/dispatcher/src/index.js';
import { buildEventRecord } from '../../services/ingress/src/index.js';

/** The n-th meeting.chatSynced webhook of the dispatch workload: its own session, a link expiring within 2 days. */
export function chatSyncedBody(n: number, now: number): Record<string, unknown> {
  const session = `bench-session-${n.toString().padStart(8, '0')}`;
  return {
    event: 'meeting.chatSynced',
    sessionId: session,
    meetingId: `bench-meeting-${Math.floor(n / 10)}`,
    chatDownloadUrl: `https://bench.s3.amazonaws.com/chats/${session}.csv?X-Amz-Signature=abc`,
    chatDownloadUrlExpiry: new Date(now + 3_600_000 + ((n * 7919) % 48) * 3_600_000).toISOString(),
    organizedBy: { id: 'bench-organization', name: 'Bench' },
  };
}

/** Records ready to send: Kafka messages, framed with their schema id, and the jobs they should become. */
export interface EncodedRecords {
  messages: Message[];
  jobs: ArchiveJobData[];
}

/**
 * Encodes `count` meeting.chatSynced records exactly as the ingress would for `topic` (their schema registered under
 * its subject), numbered from `first` (each its own session), and the download jobs the dispatcher should make of
 * them (for the addBulk baseline).
 */
export async function encodeChatRecords(registry: SchemaRegistry, topic: string, count: number, first = 0): Promise<EncodedRecords> {
  const catalog = loadSchemaCatalog();
  const recordName = KNOWN_EVENTS['meeting.chatSynced']?.record ?? '';
  const encoder = await registerEventSchemas(registry, catalog, [{ topic, recordName }]);
  const jobs: ArchiveJobData[] = [];
  const messages: Message[] = [];
  const now = Date.now();
  for (let n = first; n < first + count; n++) {
    const body = chatSyncedBody(n, now);
    const delivery = { deliveryId: `bench-${n}`, bodySha256: '0'.repeat(64), webhookId: null, source: 'dyte' as const, receivedAt: now * 1000 };
    const record = buildEventRecord(catalog, 'meeting.chatSynced', body, delivery);
    const dispatch = artifactJobs(record.recordName, record.value, delivery.deliveryId);
    if ('jobs' in dispatch) jobs.push(...dispatch.jobs);
    messages.push({ key: record.key, value: encoder.encode(topic, record.recordName, record.value), headers: { [KAFKA_HEADERS.deliveryId.name]: delivery.deliveryId } });
  }
  return { messages, jobs };
}

// Records per produce request: about 1.5 MB, some 250 KB per partition (under the broker's 1 MB per batch), so that
// sending goes well ahead of a dispatcher reading them.
const RECORDS_PER_REQUEST = 5000;

/** Sends `messages` to `topic` (acks=all), a few large requests one after the other. */
export async function sendRecords(kafka: Kafka, topic: string, messages: Message[]): Promise<void> {
  const producer = createEventProducer(kafka);
  await producer.connect();
  try {
    for (let start = 0; start < messages.length; start += RECORDS_PER_REQUEST) {
      await producer.send({ topic, messages: messages.slice(start, start + RECORDS_PER_REQUEST), acks: -1 });
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * Writes `count` meeting.chatSynced records to `topic` exactly as the ingress would encode them, and returns the
 * download jobs the dispatcher should make of them (for the addBulk baseline).
 */
export async function produceChatRecords(kafka: Kafka, registry: SchemaRegistry, topic: string, count: number): Promise<ArchiveJobData[]> {
  const { messages, jobs } = await encodeChatRecords(registry, topic, count);
  await sendRecords(kafka, topic, messages);
  return jobs;
}
