import { strict as assert } from 'node:assert';

const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/;

/** Microseconds of a Dyte timestamp, computed independently of the ingress's parser. */
export function micros(text: string): number {
  const match = TIMESTAMP.exec(text);
  assert.ok(match, `test fixture timestamp ${text}`);
  const seconds = Date.parse(`${match[1]}T${match[2]}Z`);
  return seconds * 1000 + Number((match[3] ?? '').padEnd(6, '0').slice(0, 6));
}

/**
 * Asserts that a decoded Avro record carries every field of the webhook body, field by field: strings, numbers
 * and booleans equal, timestamps as their microseconds, nested objects recursively, absent fields null.
 */
export function assertCarriesBody(decoded: Record<string, unknown>, body: Record<string, unknown>, path = ''): void {
  for (const [key, expected] of Object.entries(body)) {
    const where = path ? `${path}.${key}` : key;
    const actual = decoded[key];
    if (expected === null) {
      assert.equal(actual, null, where);
    } else if (typeof expected === 'object' && !Array.isArray(expected)) {
      assert.ok(actual && typeof actual === 'object', `${where} is an object`);
      assertCarriesBody(actual as Record<string, unknown>, expected as Record<string, unknown>, where);
    } else if (typeof expected === 'string' && TIMESTAMP.test(expected) && typeof actual === 'number') {
      assert.equal(actual, micros(expected), where);
    } else {
      assert.deepEqual(actual, expected, where);
    }
  }
}
