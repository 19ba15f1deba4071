import { strict as assert } from 'node:assert';
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
});
