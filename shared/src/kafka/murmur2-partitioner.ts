import { Partitioners, type ICustomPartitioner } from 'kafkajs';

const M = 0x5bd1e995;
const SEED = 0x9747b28c;
// Keys are encoded here rather than into a new Buffer each time; a longer key gets its own.
const scratch = Buffer.allocUnsafe(1024);

/**
 * Java's `Utils.murmur2` (what Kafka's own producer partitions by) over the UTF-8 bytes of a key, in 32-bit
 * integer arithmetic as Java's `int`: the same hash kafkajs's DefaultPartitioner computes, without a 64-bit Long
 * object per step.
 */
export function murmur2(key: Buffer | string): number {
  let data: Buffer;
  let length: number;
  if (typeof key === 'string') {
    length = Buffer.byteLength(key);
    data = length <= scratch.length ? scratch : Buffer.allocUnsafe(length);
    data.write(key, 0, length, 'utf8');
  } else {
    data = key;
    length = key.length;
  }
  let h = SEED ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = (data[i] as number) | ((data[i + 1] as number) << 8) | ((data[i + 2] as number) << 16) | ((data[i + 3] as number) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  // The last one to three bytes, as Java's switch that falls through.
  const rest = length & 3;
  if (rest === 3) h ^= (data[whole + 2] as number) << 16;
  if (rest >= 2) h ^= (data[whole + 1] as number) << 8;
  if (rest >= 1) h = Math.imul(h ^ (data[whole] as number), M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}

/**
 * kafkajs's DefaultPartitioner (Java's: a keyed record goes to `murmur2(key) & 0x7fffffff` modulo the partition
 * count, an explicit partition is kept, a record without a key goes round-robin over available partitions) with the
 * hash above: same partitions, a fraction of the CPU and garbage per record.
 */
export const Murmur2Partitioner: ICustomPartitioner = () => {
  const withoutKey = Partitioners.DefaultPartitioner();
  return (args) => {
    const { message, partitionMetadata } = args;
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    if (message.key !== null && message.key !== undefined) return (murmur2(message.key) & 0x7fffffff) % partitionMetadata.length;
    return withoutKey(args);
  };
};
