import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { produceChunks } from '../../../services/dispatcher/src/ledger/produce-chunks.js';

const sized = (...sizes: number[]) => sizes.map((size, i) => ({ key: String(i), value: Buffer.alloc(size) }));
const shape = (chunks: { key: string }[][]) => chunks.map((chunk) => chunk.map((m) => m.key).join(','));

describe('produce chunks of the session ledger', () => {
  it('when records are small, then chunks hold maxRecords each, in order', () => {
    assert.deepEqual(shape(produceChunks(sized(1, 1, 1, 1, 1), { maxRecords: 2, maxBytes: 100 })), ['0,1', '2,3', '4']);
  });

  it('when the bytes fill up first, then a chunk ends before the record that would pass maxBytes; a record larger than maxBytes goes alone', () => {
    assert.deepEqual(shape(produceChunks(sized(40, 60, 1, 150, 30, 70), { maxRecords: 10, maxBytes: 100 })), ['0,1', '2', '3', '4,5']);
  });

  it('when there is nothing, then there is no chunk', () => {
    assert.deepEqual(produceChunks([], { maxRecords: 2, maxBytes: 100 }), []);
  });

  it('when sizes and limits are anything, then every record is in one chunk in order, and a chunk over a limit is a single record', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(300), { maxLength: 60 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 400 }), (sizes, maxRecords, maxBytes) => {
        const messages = sized(...sizes);
        const chunks = produceChunks(messages, { maxRecords, maxBytes });
        assert.deepEqual(chunks.flat(), messages);
        for (const chunk of chunks) {
          assert.ok(chunk.length >= 1 && chunk.length <= maxRecords);
          const bytes = chunk.reduce((sum, m) => sum + m.value.length, 0);
          assert.ok(bytes <= maxBytes || chunk.length === 1, `${bytes} bytes in ${chunk.length} records`);
        }
        // No two neighbours could have been one chunk.
        for (let i = 1; i < chunks.length; i++) {
          const before = chunks[i - 1] ?? [];
          const next = chunks[i]?.[0]?.value.length ?? 0;
          assert.ok(before.length >= maxRecords || before.reduce((sum, m) => sum + m.value.length, 0) + next > maxBytes);
        }
      }),
    );
  });
});
