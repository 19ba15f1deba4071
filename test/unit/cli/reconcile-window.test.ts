import { strict as assert } from 'node:assert';
import { parseWhen } from '../../../cli/src/commands/reconcile.js';

describe('dyte-bridge reconcile: --since and --until', () => {
  const now = Date.parse('2026-11-20T12:00:00Z');

  it('when given a duration (s, m, h, d), then it is that long before now', () => {
    assert.equal(parseWhen('since', '72h', now).toISOString(), '2026-11-17T12:00:00.000Z');
    assert.equal(parseWhen('since', '30m', now).toISOString(), '2026-11-20T11:30:00.000Z');
    assert.equal(parseWhen('since', '7d', now).toISOString(), '2026-11-13T12:00:00.000Z');
    assert.equal(parseWhen('since', '90s', now).toISOString(), '2026-11-20T11:58:30.000Z');
  });

  it("when given an ISO 8601 time or Dyte's form, then it is that time", () => {
    assert.equal(parseWhen('until', '2026-11-19T00:00:00Z', now).toISOString(), '2026-11-19T00:00:00.000Z');
    assert.equal(parseWhen('until', '2026-11-19 00:00:00.000001Z', now).toISOString(), '2026-11-19T00:00:00.000Z');
  });

  it('when given anything else, then it is a usage error naming the flag', () => {
    for (const value of ['72', 'h', '3w', '-2h', 'yesterday', '']) {
      assert.throws(() => parseWhen('until', value, now), (error: Error) => (error as { code?: string }).code === 'USAGE' && /--until must be/.test(error.message), value);
    }
  });
});
