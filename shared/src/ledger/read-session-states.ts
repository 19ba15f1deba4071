import { randomBytes } from 'node:crypto';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import type { Kafka } from 'kafkajs';
import { SESSION_STATE_RECORD, type SessionState } from '../contract/index.js';
import { UnavailableError } from '../errors/index.js';
import { withDeadline } from '../lifecycle/with-deadline.js';
import { decodeWireRecord } from '../registry/decode-wire-record.js';

/**
 * Every SessionState on the sessions topic up to its end as of the call, in a throwaway consumer group that commits
 * nothing. A key read twice (not compacted yet) gives both states: they join, the later one holds the earlier.
 * Values that are not SessionStates are skipped and counted.
 */
export async function readSessionStates(
  kafka: Kafka,
  registry: SchemaRegistry,
  topic: string,
  options: { timeoutMs?: number } = {},
): Promise<{ states: SessionState[]; skipped: number }> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    ends = new Map(offsets.filter((o) => BigInt(o.high) > BigInt(o.low)).map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
  const states: SessionState[] = [];
  let skipped = 0;
  if (ends.size === 0) return { states, skipped };

  const consumer = kafka.consumer({ groupId: `dyte-bridge-ledger-rebuild-${randomBytes(6).toString('hex')}`, maxWaitTimeInMs: 250 });
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) fail(payload.error);
  });
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, heartbeat }) => {
        const end = ends.get(batch.partition);
        if (end === undefined) return;
        for (const message of batch.messages) {
          if (BigInt(message.offset) >= end) break;
          if (!message.value) continue;
          const record = await decodeWireRecord(registry, message.value).catch(() => undefined);
          if (record?.recordName === SESSION_STATE_RECORD) states.push(record.value as unknown as SessionState);
          else skipped++;
        }
        // Compaction leaves gaps in the offsets: the batch's last offset, not a count, says how far it reached.
        if (BigInt(batch.lastOffset()) + 1n >= end) {
          ends.delete(batch.partition);
          if (ends.size === 0) finish();
        }
        await heartbeat();
      },
    });
    await withDeadline(done, options.timeoutMs ?? 120_000, () => new UnavailableError('LEDGER_REBUILD_TIMEOUT', `reading ${topic} to its end took longer than ${options.timeoutMs ?? 120_000} ms`));
    return { states, skipped };
  } finally {
    await consumer.disconnect();
  }
}
