import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { readDelivery } from '../../../services/ingress/src/domain/delivery.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const parse = (text: string) => JSON.parse(text) as Record<string, unknown>;

/** The same JSON value written with its object keys in reverse order and extra whitespace. */
function reserialise(value: unknown): string {
  if (Array.isArray(value)) return `[ ${value.map(reserialise).join(' ,\n ')} ]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).reverse();
    return `{\n  ${entries.map(([k, v]) => `${JSON.stringify(k)} :  ${reserialise(v)}`).join(',\n  ')}\n}`;
  }
  return JSON.stringify(value);
}

describe('readDelivery', () => {
  it('when the body is hashed, then bodySha256 is the SHA-256 of its RFC 8785 canonical JSON', () => {
    const delivery = readDelivery({}, parse('{ "event": "meeting.started", "b": [1, 2.50, "é"], "a": {"y": 1e2, "x": null} }'), 1000);
    assert.equal(delivery.bodySha256, sha256('{"a":{"x":null,"y":100},"b":[1,2.5,"é"],"event":"meeting.started"}'));
  });

  it('when no dyte-uuid or rtk-uuid header came, then the delivery id is the canonical body hash', () => {
    const delivery = readDelivery({ 'dyte-signature': 's' }, parse('{"event":"x"}'), 1000);
    assert.equal(delivery.deliveryId, delivery.bodySha256);
    assert.equal(readDelivery({ 'rtk-uuid': ' u-1 ' }, parse('{"event":"x"}'), 1000).deliveryId, 'u-1');
  });

  it('when the same content is re-serialised (whitespace, key order), then the delivery is the same (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 }), (fields) => {
        const body = { event: 'meeting.started', ...fields };
        const original = readDelivery({ 'dyte-webhook-id': 'w' }, parse(JSON.stringify(body)), 5);
        const other = readDelivery({ 'dyte-webhook-id': 'w' }, parse(reserialise(body)), 5);
        assert.deepEqual(other, original);
      }),
      { numRuns: 500 },
    );
  });

  it('when a key is duplicated, then the last value is what is hashed (as JSON.parse keeps it)', () => {
    const duplicated = readDelivery({}, parse('{"event":"meeting.ended","event":"meeting.started"}'), 1);
    assert.equal(duplicated.bodySha256, readDelivery({}, parse('{"event":"meeting.started"}'), 1).bodySha256);
  });

  it('when a number overflows to Infinity, then the body still hashes (as JSON.stringify writes it: null)', () => {
    const delivery = readDelivery({}, parse('{"event":"x","n":1e400}'), 1);
    assert.equal(delivery.bodySha256, sha256('{"event":"x","n":null}'));
  });
});
