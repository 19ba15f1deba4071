import { strict as assert } from 'node:assert';
import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { encode as confluentEncode } from '@kafkajs/confluent-schema-registry/dist/wireEncoder';
import avro from 'avsc';
import fc from 'fast-check';
import { decodeFrame, decodeWireRecord, encodeFramedValue, isWireFormat, WireFormatError, type PayloadWriter } from '../../../shared/src/index.js';

// Writes a payload as it is (the frame's payload is whatever bytes the writer makes).
const asIs: PayloadWriter = { encode: (value, buffer, position) => position + (value as Buffer).copy(buffer, position) };

const refused = (code: string, message: RegExp) => (error: unknown) => {
  assert.ok(error instanceof WireFormatError, `a WireFormatError, not ${String(error)}`);
  assert.equal(error.code, code);
  assert.equal(error.retriable, false);
  assert.match(error.message, message);
  return true;
};

describe('Confluent framing (shared/src/contract/framing.ts)', () => {
  it('when a payload is framed, then the bytes are magic byte 0, the big-endian schema id and the payload, as the Confluent client writes them', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.uint8Array({ maxLength: 64 }), (schemaId, bytes) => {
        const payload = Buffer.from(bytes);
        const framed = encodeFramedValue(schemaId, asIs, payload);
        assert.deepEqual(framed, confluentEncode(schemaId, payload));
        assert.deepEqual(decodeFrame(framed), { schemaId, payload });
        assert.ok(isWireFormat(framed));
      }),
    );
    assert.deepEqual([...encodeFramedValue(258, asIs, Buffer.from([7]))], [0, 0, 0, 1, 2, 7]);
  });

  it('when a schema id cannot be framed, then encoding names the field and the rule', () => {
    for (const schemaId of [-1, 1.5, 2 ** 31, Number.NaN]) {
      assert.throws(() => encodeFramedValue(schemaId, asIs, Buffer.alloc(1)), refused('WIRE_FORMAT_SCHEMA_ID', /schemaId must be an integer from 0 to 2147483647/));
    }
  });

  it('when an Avro record is framed, then the bytes are what the Confluent client writes of its toBuffer, at any size, and a value the schema refuses throws', () => {
    const type = avro.Type.forSchema({
      type: 'record',
      name: 'T',
      fields: [
        { name: 'id', type: 'string' },
        { name: 'n', type: 'long' },
        { name: 'blob', type: 'bytes' },
      ],
    });
    // Sizes up to 300 KiB: past the 64 KiB scratch buffer and past its first growth.
    const value = fc.record({ id: fc.string({ maxLength: 40 }), n: fc.integer(), blob: fc.integer({ min: 0, max: 300 * 1024 }).map((size) => Buffer.alloc(size, 7)) });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), value, (schemaId, record) => {
        assert.deepEqual(encodeFramedValue(schemaId, type, record), confluentEncode(schemaId, type.toBuffer(record)));
      }),
      { numRuns: 200 },
    );
    assert.throws(() => encodeFramedValue(1, type, { id: 'x', n: 'not a long', blob: Buffer.alloc(0) }), /invalid/);
    assert.throws(() => encodeFramedValue(-1, type, { id: 'x', n: 1, blob: Buffer.alloc(0) }), refused('WIRE_FORMAT_SCHEMA_ID', /schemaId must be/));
  });

  it('when a value is shorter than the frame, then decoding says how long it is', () => {
    assert.throws(() => decodeFrame(Buffer.from([0, 0, 1])), refused('WIRE_FORMAT_TOO_SHORT', /at least 5 bytes .* got 3/));
    assert.equal(isWireFormat(Buffer.from([0, 0, 1])), false);
  });

  it('when a value does not start with magic byte 0 (plain JSON, say), then decoding names the byte it found', () => {
    const json = Buffer.from('{"event":"meeting.started"}');
    assert.throws(() => decodeFrame(json), refused('WIRE_FORMAT_MAGIC_BYTE', /must start with magic byte 0, got 123/));
    assert.equal(isWireFormat(json), false);
  });

  it('when a frame holds a negative schema id, then decoding refuses it rather than asking the registry', () => {
    assert.throws(() => decodeFrame(Buffer.from([0, 0xff, 0xff, 0xff, 0xff, 1])), refused('WIRE_FORMAT_SCHEMA_ID', /must not be negative, got -1/));
  });

  it('when a framed record is decoded, then the schema its id names reads the payload', async () => {
    const type = avro.Type.forSchema({ type: 'record', name: 'Probe', namespace: 'io.dytebridge.dyte', fields: [{ name: 'n', type: 'long' }] });
    const asked: number[] = [];
    const registry = { getSchema: async (id: number) => (asked.push(id), type) } as unknown as SchemaRegistry;
    const record = await decodeWireRecord(registry, encodeFramedValue(42, type, { n: 7 }));
    assert.deepEqual(asked, [42]);
    assert.equal(record.recordName, 'io.dytebridge.dyte.Probe');
    assert.deepEqual({ ...record.value }, { n: 7 });
    await assert.rejects(decodeWireRecord(registry, Buffer.from('{}')), refused('WIRE_FORMAT_TOO_SHORT', /got 2/));
    assert.deepEqual(asked, [42], 'a value that is not framed never reaches the registry');
  });
});
