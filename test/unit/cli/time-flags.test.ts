import { strict as assert } from 'node:assert';
import { parseTime, parseTimeMicros } from '../../../cli/src/command.js';
import { parseWhen } from '../../../cli/src/commands/reconcile.js';
import { parsePosition } from '../../../cli/src/kafka/topic-positions.js';

describe('dyte-bridge time flags (--from, --to, --since, --until, --expires-at)', () => {
  it('when given ISO 8601 with Z or an offset, or Dyte\'s form, then it is that instant, microseconds kept', () => {
    assert.equal(parseTime('2026-01-02T03:04:05Z')?.toISOString(), '2026-01-02T03:04:05.000Z');
    assert.equal(parseTime('2026-01-02T03:04:05+01:00')?.toISOString(), '2026-01-02T02:04:05.000Z');
    assert.equal(parseTimeMicros('2026-01-02 03:04:05.123456Z'), Date.parse('2026-01-02T03:04:05.123Z') * 1000 + 456);
  });

  it('when given an impossible date (2026-02-30, 2026-13-01, 24:00), then it is refused, never moved to another day', () => {
    for (const value of ['2026-02-30T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '2025-02-29 00:00:00Z']) {
      assert.equal(parseTime(value), undefined, value);
      assert.throws(() => parsePosition('from', value), (error: Error) => /--from must be/.test(error.message), value);
    }
  });

  it('when given a time without its zone or a date alone, then it is refused, never read as local time', () => {
    for (const value of ['2026-01-02T03:04:05', '2026-01-02 03:04:05', '2026-01-02', 'Jan 2 2026']) {
      assert.equal(parseTimeMicros(value), undefined, value);
      assert.throws(() => parseWhen('until', value, Date.now()), (error: Error) => /--until must be .*with its zone/.test(error.message), value);
    }
  });

  it('when --from is a valid time, then the position is that time; offsets and named ends still parse', () => {
    assert.deepEqual(parsePosition('from', '2026-02-28T23:59:59Z'), { time: new Date('2026-02-28T23:59:59Z') });
    assert.deepEqual(parsePosition('from', '42'), { offset: 42n });
    assert.deepEqual(parsePosition('to', 'end'), { at: 'end' });
  });
});
