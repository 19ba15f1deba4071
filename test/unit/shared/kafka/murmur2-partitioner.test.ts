import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Partitioners, type PartitionerArgs } from 'kafkajs';
import { murmur2, Murmur2Partitioner } from '../../../../shared/src/index.js';

// kafkajs's own hash (64-bit Long arithmetic), which this one must equal.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer | string) => number;

const key = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.uuid(),
  fc.uint8Array({ maxLength: 80 }).map((bytes) => Buffer.from(bytes)),
);

const partitions = (count: number, leaderless: number[] = []): PartitionerArgs['partitionMetadata'] =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: leaderless.includes(partitionId) ? -1 : 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));

describe('murmur2 partitioner (shared kafka)', () => {
  it("when hashing Kafka's own test vectors, then it gives Java's Utils.murmur2 values", () => {
    // org.apache.kafka.common.utils.UtilsTest#testMurmur2
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [text, expected] of cases) {
      assert.equal(murmur2(text), expected, text);
      assert.equal(murmur2(Buffer.from(text)), expected, `${text} as bytes`);
    }
  });

  it("when hashing any key, string (UTF-8, any length) or bytes, then it equals kafkajs's murmur2 (property)", () => {
    fc.assert(fc.property(key, (k) => assert.equal(murmur2(k), kafkajsMurmur2(k))), { numRuns: 5000 });
    const long = 'é'.repeat(700);
    assert.equal(murmur2(long), kafkajsMurmur2(long), 'a key longer than the scratch buffer');
  });

  it("when partitioning any message, then it picks kafkajs DefaultPartitioner's partition (property)", () => {
    const ours = Murmur2Partitioner();
    const theirs = Partitioners.DefaultPartitioner();
    fc.assert(
      fc.property(key, fc.integer({ min: 1, max: 200 }), (k, count) => {
        const args = { topic: 't', partitionMetadata: partitions(count), message: { key: k, value: 'v' } };
        assert.equal(ours(args), theirs(args));
      }),
      { numRuns: 3000 },
    );
  });

  it('when a message names its partition, then it is kept; without a key, then partitions with a leader take turns', () => {
    const partitioner = Murmur2Partitioner();
    assert.equal(partitioner({ topic: 't', partitionMetadata: partitions(6), message: { key: 'k', value: 'v', partition: 4 } }), 4);
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) seen.add(partitioner({ topic: 't', partitionMetadata: partitions(3, [1]), message: { key: null, value: 'v' } }));
    assert.deepEqual([...seen].sort(), [0, 2]);
  });
});
