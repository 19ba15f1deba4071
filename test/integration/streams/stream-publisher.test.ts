import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'bullmq';
import type { Kafka, Producer } from 'kafkajs';
import {
  createEventProducer,
  createKafka,
  createLogger,
  createRegistry,
  ensureTopics,
  KAFKA_HEADERS,
  loadSchemaCatalog,
  registerEventSchemas,
  streamSchemaPairs,
  topicNames,
  type ArchivedFile,
  type ArchiveJobData,
  type EventEncoder,
} from '../../../shared/src/index.js';
import { DownloadError } from '../../../services/downloader/src/download/download-error.js';
import { localArchiveStore } from '../../../services/downloader/src/store/local-archive-store.js';
import { streamPublisher, type StreamPublisher } from '../../../services/downloader/src/streams/stream-publisher.js';
import { consumeMessages } from '../../helpers/consume-messages.js';
import { testConfig } from '../../helpers/test-config.js';
import { uniqueName } from '../../helpers/unique-name.js';

const logged: Record<string, unknown>[] = [];
const logger = createLogger({ level: 'info', name: 'test', sink: (line) => void logged.push(JSON.parse(line) as Record<string, unknown>) });
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const HEADER = 'id,participantId,sessionId,meetingId,displayName,pinned,isEdited,payloadType,payload,createdAt';

/** A job as BullMQ hands it to the processor: its data, and updateData, which fails when `failSave` says so. */
function fakeJob(data: ArchiveJobData, failSave: (save: number) => boolean) {
  let saves = 0;
  const job = {
    data,
    saves: () => saves,
    async updateData(next: ArchiveJobData) {
      saves++;
      if (failSave(saves)) throw new Error('Redis connection lost');
      job.data = next;
    },
  };
  return job;
}

describe('stream publisher against the real broker and registry: a retry sends at most a batch again, each copy the same record', function () {
  this.timeout(120_000);
  let kafka: Kafka;
  let producer: Producer;
  let encoder: EventEncoder;
  let root: string;
  let topics: ReturnType<typeof topicNames>;
  let publisher: StreamPublisher;
  let stored: ArchivedFile;
  const data = (sessionId: string): ArchiveJobData => ({
    artifact: { jobId: `chat.${sessionId}`, kind: 'chat', organizationId: 'o', meetingId: 'm', sessionId, recordingId: null },
    url: 'https://x.s3.amazonaws.com/chat.csv',
    expiresAt: null,
    sourceEvent: 'meeting.chatSynced',
    deliveryId: 'd',
    expectedBytes: null,
  });

  before(async () => {
    kafka = createKafka({ brokers: testConfig.kafkaBrokers, clientId: 'stream-publisher-test', logger });
    topics = topicNames(`${uniqueName('streams')}.`);
    await ensureTopics(kafka, [{ topic: topics.chat, numPartitions: 3, replicationFactor: 1 }]);
    encoder = await registerEventSchemas(createRegistry(testConfig.schemaRegistryUrl), loadSchemaCatalog(), streamSchemaPairs(topics));
    producer = createEventProducer(kafka);
    await producer.connect();
    root = await mkdtemp(join(tmpdir(), 'stream-publisher-'));
    const store = localArchiveStore(root);
    await mkdir(store.partialDir, { recursive: true });
    const csv = [HEADER, ...Array.from({ length: 1000 }, (_, i) => `m${i + 1},p,s,m,A,false,false,TEXT_MESSAGE,message ${i + 1},2025-03-04T10:00:00.000Z`)].join('\n');
    const partial = join(store.partialDir, 'chat.part');
    await writeFile(partial, csv);
    const sha256 = createHash('sha256').update(csv).digest('hex');
    const location = await store.put('o/m/s/chat.csv', partial, { bytes: csv.length, sha256, contentType: 'text/csv' });
    stored = { location, bytes: csv.length, sha256, contentType: 'text/csv' };
    publisher = streamPublisher({
      producer,
      encoder,
      topics,
      store,
      settings: { kinds: { chat: true, transcript: true, summary: true }, summaryMaxBytes: 1024, batchRecords: 100, maxRecordBytes: 900 * 1024 },
    });
  });

  after(async () => {
    await producer?.disconnect();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it('when the progress cannot be saved after a batch was acknowledged, then the retry sends that batch again, each line with the same key and bytes, and goes on from the last save', async () => {
    const sessionId = uniqueName('session');
    // The third save fails: batch 3 (lines 202..301) is on Kafka, the job says line 201.
    const job = fakeJob(data(sessionId), (save) => save === 3);
    await assert.rejects(publisher.publish(job as unknown as Job<ArchiveJobData>, stored, { logger, lastAttempt: false, traceparent: TRACEPARENT }), (error: unknown) => {
      assert.ok(error instanceof DownloadError && error.code === 'STREAM' && error.retriable, String(error));
      return true;
    });
    assert.deepEqual(job.data.streamProgress, { line: 201, records: 200, rejected: 0 });
    assert.ok(logged.some((line) => line.msg === 'stream resumed') === false);
    const outcome = await publisher.publish(job as unknown as Job<ArchiveJobData>, stored, { logger, lastAttempt: false, traceparent: TRACEPARENT });
    assert.deepEqual(outcome, { stream: 'COMPLETE', streamedRecords: 1000, rejectedRows: 0, streamProblem: null });
    assert.deepEqual(logged.find((line) => line.msg === 'stream resumed')?.afterLine, 201);

    const messages = (await consumeMessages(kafka, topics.chat, 1100)).filter((m) => m.key?.toString() === sessionId);
    assert.equal(messages.length, 1100, 'one batch of 100 twice');
    const byId = new Map<string, Buffer[]>();
    for (const message of messages) {
      const id = message.headers?.[KAFKA_HEADERS.recordId.name]?.toString() as string;
      byId.set(id, [...(byId.get(id) ?? []), message.value as Buffer]);
    }
    assert.equal(byId.size, 1000);
    assert.ok(messages.every((m) => m.headers?.[KAFKA_HEADERS.traceparent.name]?.toString() === TRACEPARENT), 'every record carries the attempt\'s traceparent');
    const copied = [...byId.entries()].filter(([, values]) => values.length > 1);
    assert.deepEqual(copied.map(([id]) => id), Array.from({ length: 100 }, (_, i) => `chat.${sessionId}:${i + 202}`));
    for (const [id, values] of copied) assert.ok((values[1] as Buffer).equals(values[0] as Buffer), `${id}: the copy has the same bytes`);
  });

  it('when publishing fails on the last attempt, then the outcome is INCOMPLETE with what was published, not an error', async () => {
    const job = fakeJob(data(uniqueName('session')), (save) => save >= 2);
    const outcome = await publisher.publish(job as unknown as Job<ArchiveJobData>, stored, { logger, lastAttempt: true, traceparent: TRACEPARENT });
    assert.equal(outcome.stream, 'INCOMPLETE');
    // The second batch was acknowledged by the broker before its progress save failed: it counts as published.
    assert.equal(outcome.streamedRecords, 200);
    assert.match(String(outcome.streamProblem), /after line 201: Redis connection lost/);
    assert.ok(logged.some((line) => line.level === 'error' && line.msg === 'stream incomplete: no attempt left'), 'logged as an error');
  });
});
