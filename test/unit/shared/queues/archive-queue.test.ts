import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  archiveJobOptions,
  nextBases,
  NO_EXPIRY_PRIORITY,
  priorityOf,
  type PriorityBases,
} from '../../../../shared/src/index.js';

const DAY_MS = 24 * 3600_000;
// Any moment from 2025 to 2100: the scale has no epoch of its own.
const anyNow = fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2100, 0, 1) });
/** Bases as the fleet holds them: moved forward from `first` through a run of clock readings. */
const basesAfter = (first: number, steps: number[]): PriorityBases => steps.reduce((bases, step) => nextBases(bases, bases.fineMs + step), nextBases(undefined, first));

describe('archive queue (shared): priorities by link expiry', () => {
  for (const year of [2029, 2040]) {
    it(`when the clock reads ${year} and links expire milliseconds, seconds or days apart, then the earlier expiry gets the smaller priority`, () => {
      const now = Date.UTC(year, 6, 1, 12, 0, 0);
      const bases = nextBases(undefined, now);
      const micros = (ms: number) => (now + ms) * 1000;
      const order = [1, 2, 50, 1000, 1001, 60_000, 10 * 60_000, 3600_000, DAY_MS, DAY_MS + 1000, 7 * DAY_MS, 11 * DAY_MS].map((ms) => priorityOf(micros(ms), bases));
      for (let i = 1; i < order.length; i++) assert.ok(order[i - 1]! < order[i]!, `${order[i - 1]} < ${order[i]} (step ${i})`);
      assert.ok(order.at(-1)! < priorityOf(null, bases), 'no expiry comes after every link');
      assert.equal(priorityOf(null, bases), NO_EXPIRY_PRIORITY);
      assert.equal(priorityOf(micros(-2 * 60_000), bases), 1, 'a link that expired before the base comes first');
      assert.ok(order.every((p) => Number.isInteger(p) && p >= 1 && p < 2 ** 21), 'within BullMQ priorities');
    });
  }

  it('when two links expire at any two times, under any bases the fleet can hold, then their priorities are in expiry order', () => {
    fc.assert(
      fc.property(anyNow, fc.array(fc.integer({ min: 0, max: 3 * DAY_MS }), { maxLength: 6 }), fc.integer({ min: -DAY_MS, max: 40 * DAY_MS }), fc.integer({ min: -DAY_MS, max: 40 * DAY_MS }), (first, steps, a, b) => {
        const bases = basesAfter(first, steps);
        const now = bases.fineMs;
        const [early, late] = a <= b ? [a, b] : [b, a];
        const pEarly = priorityOf((now + early) * 1000, bases);
        const pLate = priorityOf((now + late) * 1000, bases);
        assert.ok(pEarly <= pLate, `${early} -> ${pEarly}, ${late} -> ${pLate}`);
        // Within the fine tier (the next ~17 minutes after the base) every millisecond has a priority of its own.
        if (early >= 0 && late < 2 ** 20 && early < late) assert.ok(pEarly < pLate);
        // Beyond it, every second up to the end of the coarse tier.
        if (early >= 2 ** 20 && Math.floor((now + late - bases.coarseMs) / 1000) < 2 ** 20 - 3 && Math.floor((now + early) / 1000) < Math.floor((now + late) / 1000)) assert.ok(pEarly < pLate);
      }),
      { numRuns: 2000 },
    );
  });

  it('when bases are moved, then they only move forward, the fine one whole seconds, at most 5 minutes and a minute behind the clock', () => {
    fc.assert(
      fc.property(anyNow, fc.array(fc.integer({ min: -3600_000, max: 3 * DAY_MS }), { maxLength: 8 }), (first, readings) => {
        let bases = nextBases(undefined, first);
        let clock = first;
        for (const step of readings) {
          clock += step;
          const next = nextBases(bases, clock);
          assert.ok(next.fineMs >= bases.fineMs && next.coarseMs >= bases.coarseMs, 'forward only');
          assert.ok(next.coarseMs <= next.fineMs, 'coarse never ahead of fine');
          assert.equal(next.fineMs % 1000, 0);
          if (clock > bases.fineMs + 5 * 60_000) assert.ok(clock - next.fineMs <= 6 * 60_000, 'fine base near the clock');
          bases = next;
        }
      }),
    );
  });

  it('when a job is made, then its options carry its id, attempts and the priority of its expiry', () => {
    const now = Date.UTC(2040, 0, 1);
    const bases = nextBases(undefined, now);
    const expiresAt = (now + 5000) * 1000;
    const options = archiveJobOptions(
      { artifact: { jobId: 'chat.s', kind: 'chat', organizationId: null, meetingId: 'm', sessionId: 's', recordingId: null }, url: 'u', expiresAt, sourceEvent: 'e', deliveryId: 'd', expectedBytes: null },
      5,
      bases,
    );
    assert.equal(options.jobId, 'chat.s');
    assert.equal(options.attempts, 5);
    assert.equal(options.priority, priorityOf(expiresAt, bases));
  });
});
