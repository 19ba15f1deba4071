import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { parseTimestampMicros } from '../../../../shared/src/index.js';

describe('parseTimestampMicros', () => {
  it('when given ISO 8601 with milliseconds, then it returns the exact microseconds', () => {
    assert.equal(parseTimestampMicros('2022-12-13T06:57:09.736Z'), Date.parse('2022-12-13T06:57:09.736Z') * 1000);
  });

  it('when given the space form with microseconds, then no microsecond is lost', () => {
    assert.equal(parseTimestampMicros('2022-12-13 07:08:39.051621Z'), Date.parse('2022-12-13T07:08:39.051Z') * 1000 + 621);
  });

  it('when both forms name the same instant, then they give the same value', () => {
    assert.equal(parseTimestampMicros('2025-03-11T10:30:07.654321Z'), parseTimestampMicros('2025-03-11 10:30:07.654321Z'));
  });

  it('when an offset or no fraction is given, then it is honoured', () => {
    assert.equal(parseTimestampMicros('2022-12-13T08:57:09+02:00'), Date.parse('2022-12-13T06:57:09Z') * 1000);
    assert.equal(parseTimestampMicros('2022-12-13T06:57:09.1234567Z'), Date.parse('2022-12-13T06:57:09.123Z') * 1000 + 456);
  });

  it('when the text is not a timestamp or an impossible date, then it throws naming the rule', () => {
    for (const bad of ['yesterday', '2022-12-13', '2022-02-30T00:00:00Z', '2022-12-13T25:00:00Z', '2022-12-13T06:57:09.736']) {
      assert.throws(() => parseTimestampMicros(bad), /must be a/, bad);
    }
  });

  it('when given any text, timestamp-like or not, then it answers as the regular-expression parser it replaced (property)', () => {
    const outcome = (parse: (text: string) => number, text: string) => {
      try {
        return parse(text);
      } catch (error) {
        return (error as Error).message;
      }
    };
    const digits = (count: number) => fc.array(fc.constantFrom(...'0123456789'), { minLength: count, maxLength: count }).map((d) => d.join(''));
    const twoDigits = fc.oneof(digits(2), fc.integer({ min: 0, max: 31 }).map((n) => String(n).padStart(2, '0')));
    const timestampLike = fc
      .tuple(
        fc.oneof(digits(4), fc.constantFrom('2024', '2023', '1900', '2000', '2100', '0099', '0100', '9999'), digits(3)),
        fc.constantFrom('-', '/'),
        twoDigits,
        twoDigits,
        fc.constantFrom('T', ' ', 't', '_'),
        twoDigits,
        twoDigits,
        twoDigits,
        fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 11 }).chain((n) => digits(n).map((d) => `.${d}`))),
        fc.oneof(fc.constantFrom('Z', 'z', '', '+', 'Zx'), fc.tuple(fc.constantFrom('+', '-'), digits(2), fc.constantFrom(':', '', '::'), fc.oneof(digits(2), digits(1))).map((z) => z.join(''))),
        fc.constantFrom('', '', '', '0', ' ', 'x'),
      )
      .map(([y, dash, mo, d, sep, h, mi, s, fraction, zone, tail]) => `${y}-${mo}${dash}${d}${sep}${h}:${mi}:${s}${fraction}${zone}${tail}`);
    fc.assert(
      fc.property(fc.oneof(timestampLike, fc.string({ maxLength: 40 })), (text) => {
        assert.deepEqual(outcome(parseTimestampMicros, text), outcome(regexParser, text), text);
      }),
      { numRuns: 20_000 },
    );
  });
});

// The parser before it read characters one by one (kept here as the reference its behaviour must equal).
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;
function regexParser(text: string): number {
  const match = TIMESTAMP.exec(text);
  if (!match) throw new Error('must be a timestamp like 2022-12-13T06:57:09.736Z or 2022-12-13 07:08:39.051621Z');
  const [, y, mo, d, h, mi, s, fraction = '', zone = 'Z'] = match;
  const year = Number(y), month = Number(mo), day = Number(d), hour = Number(h), minute = Number(mi), second = Number(s);
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(millis);
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw new Error('must be a valid calendar date and time');
  }
  const micros = Number(fraction.padEnd(6, '0').slice(0, 6));
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  return (millis - offsetMinutes * 60_000) * 1000 + micros;
}
