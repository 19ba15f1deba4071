import { randomBytes } from 'node:crypto';
import type { Kafka, KafkaMessage } from 'kafkajs';
import type { PartitionRange } from './topic-positions.js';

/** Called for each record in range, in offset order per partition; returning `false` stops the whole read. */
export type OnRecord = (message: KafkaMessage, topic: string, partition: number) => Promise<boolean | void>;

/**
 * Reads the given partition ranges in a throwaway consumer group that commits nothing, so it never moves the
 * fleet's own offsets. Resolves when every bounded range is read, when `onRecord` returns false, or when `signal`
 * aborts; a range without an end is followed until then.
 */
export async function readRanges(kafka: Kafka, ranges: PartitionRange[], onRecord: OnRecord, signal?: AbortSignal): Promise<void> {
  const open = new Map<string, PartitionRange>();
  for (const range of ranges) {
    if (range.end === undefined || range.start < range.end) open.set(`${range.topic}:${range.partition}`, range);
  }
  if (open.size === 0 || signal?.aborted) return;
  const topics = [...new Set(ranges.map((r) => r.topic))];
  const consumer = kafka.consumer({ groupId: `dyte-bridge-cli-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 250 });
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const onAbort = () => finish();
  signal?.addEventListener('abort', onAbort);
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) fail(payload.error);
  });
  let stopped = false;
  try {
    await consumer.connect();
    for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat, pause }) => {
        const range = open.get(`${batch.topic}:${batch.partition}`);
        if (stopped) return;
        if (!range) {
          // A partition outside every range, or one read to its end: nothing more to fetch from it.
          pause();
          return;
        }
        const close = () => {
          open.delete(`${batch.topic}:${batch.partition}`);
          if (open.size === 0) finish();
        };
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (offset < range.start) continue;
          // Past the end (the records before it may be gone, deleted by retention): this range is read.
          if (range.end !== undefined && offset >= range.end) {
            close();
            break;
          }
          if ((await onRecord(message, batch.topic, batch.partition)) === false) {
            stopped = true;
            finish();
            return;
          }
          if (range.end !== undefined && offset + 1n >= range.end) {
            close();
            break;
          }
        }
        await heartbeat();
      },
    });
    // Each partition starts where its range does.
    for (const range of open.values()) consumer.seek({ topic: range.topic, partition: range.partition, offset: range.start.toString() });
    await done;
  } finally {
    stopped = true;
    signal?.removeEventListener('abort', onAbort);
    await consumer.disconnect();
  }
}
