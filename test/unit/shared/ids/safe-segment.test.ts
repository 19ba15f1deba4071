import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { hashedSegment, safeSegment, SAFE_SEGMENT_MAX_LENGTH } from '../../../../shared/src/index.js';

const tricky = fc.string({ unit: fc.constantFrom('a', 'Z', '7', '_', '-', '.', ' ', '?', '~', '/', ':', 'é', '\u{1f431}'), maxLength: 160 });
const anyValue = fc.oneof(tricky, fc.string({ unit: 'binary', maxLength: 200 }), fc.uuid());

describe('safeSegment (shared ids)', () => {
  it('when a value is already safe, then it is kept exactly as it is', () => {
    for (const value of ['79365b9b-e5ef-452f-934e-e171d75d254b', 'acme_corp', 'a.b', '-x', 'A'.repeat(128)]) assert.equal(safeSegment(value), value);
  });

  it('when a value had to be changed or shortened, then it is readable and ends in ~ and 12 hex digits of its SHA-256', () => {
    const sha = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 12);
    assert.equal(safeSegment('acme corp'), `acme_corp~${sha('acme corp')}`);
    assert.equal(safeSegment('.hidden'), `_hidden~${sha('.hidden')}`);
    assert.equal(safeSegment('_unknown-organization'), `_unknown-organization~${sha('_unknown-organization')}`, 'a leading _ is left to names of missing ids');
    assert.equal(safeSegment(''), `_~${sha('')}`);
    const long = 'x'.repeat(200);
    assert.equal(safeSegment(long), `${'x'.repeat(115)}~${sha(long)}`);
    assert.equal(hashedSegment('r1-audio'), `r1-audio~${sha('r1-audio')}`);
  });

  it('when values are distinct, then their segments are distinct, safe, visible and at most 128 characters (property)', () => {
    fc.assert(
      fc.property(fc.uniqueArray(anyValue, { minLength: 2, maxLength: 10 }), (values) => {
        const segments = values.map(safeSegment);
        assert.equal(new Set(segments).size, values.length, segments.join(' | '));
        for (const segment of segments) {
          assert.ok(segment.length <= SAFE_SEGMENT_MAX_LENGTH, segment);
          assert.match(segment, /^[A-Za-z0-9_-][A-Za-z0-9._~-]*$/);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('when a value is hashed, then it holds ~, which no kept value does; a value is kept exactly when it is safe (property)', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const hashed = hashedSegment(value);
        assert.ok(!/^[A-Za-z0-9._-]*$/.test(hashed), `${hashed} holds ~, which no kept value does`);
        assert.equal(safeSegment(value) === value, /^[A-Za-z0-9-][A-Za-z0-9._-]{0,127}$/.test(value));
      }),
      { numRuns: 1000 },
    );
  });
});
