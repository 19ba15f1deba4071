import type { Kafka } from 'kafkajs';
import { NotFoundError, usageError } from '../cli-error.js';
import { parseTime, TIME_RULE } from '../command.js';

/** Where reading starts or stops: a partition's start or end, an offset, or the first record at or after a time. */
export type Position = { at: 'beginning' } | { at: 'end' } | { offset: bigint } | { time: Date };

/** The part of one partition to read: from `start` (inclusive) to `end` (exclusive; undefined = follow forever). */
export interface PartitionRange {
  topic: string;
  partition: number;
  start: bigint;
  end: bigint | undefined;
}

/** Parses a --from/--to value: `beginning`, `end`, an offset, or a time with its zone (see TIME_RULE). */
export function parsePosition(flag: string, value: string): Position {
  if (value === 'beginning' || value === 'end') return { at: value };
  if (/^\d+$/.test(value)) return { offset: BigInt(value) };
  const time = parseTime(value);
  if (time) return { time };
  throw usageError(`--${flag} must be beginning, end, an offset or ${TIME_RULE} (got ${JSON.stringify(value)})`);
}

/**
 * The ranges to read of a topic's partitions (all of them, or `partition`), resolved against the broker's offsets
 * now; `to` undefined means follow. A topic that does not exist is a NotFoundError naming it.
 */
export async function resolveRanges(
  kafka: Kafka,
  topic: string,
  options: { from: Position; to: Position | undefined; partition?: number },
): Promise<PartitionRange[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(topic)) throw new NotFoundError('TOPIC_NOT_FOUND', `topic ${topic} does not exist`);
    const offsets = await admin.fetchTopicOffsets(topic);
    if (options.partition !== undefined && !offsets.some((o) => o.partition === options.partition)) {
      throw usageError(`topic ${topic} has no partition ${options.partition} (it has 0..${offsets.length - 1})`);
    }
    const at = async (position: Position): Promise<Map<number, bigint>> => {
      if ('time' in position) {
        const found = await admin.fetchTopicOffsetsByTimestamp(topic, position.time.getTime());
        return new Map(found.map((o) => [o.partition, BigInt(o.offset)]));
      }
      return new Map(
        offsets.map((o) => [
          o.partition,
          'offset' in position ? position.offset : position.at === 'beginning' ? BigInt(o.low) : BigInt(o.high),
        ]),
      );
    };
    const starts = await at(options.from);
    const ends = options.to ? await at(options.to) : undefined;
    return offsets
      .filter((o) => options.partition === undefined || o.partition === options.partition)
      .map((o) => {
        const low = BigInt(o.low);
        const high = BigInt(o.high);
        const clamp = (value: bigint) => (value < low ? low : value > high ? high : value);
        const start = clamp(starts.get(o.partition) ?? high);
        const end = ends ? clamp(ends.get(o.partition) ?? high) : undefined;
        return { topic, partition: o.partition, start, end };
      })
      .sort((a, b) => a.partition - b.partition);
  } finally {
    await admin.disconnect();
  }
}
