import { strict as assert } from 'node:assert';
import { cached, minPendingHeadroomSeconds, type JobLister } from '../../../../shared/src/index.js';

describe('cached', () => {
  it('when called again within the period, then the first result is reused; after it, read again', async () => {
    let clock = 0;
    let reads = 0;
    const read = cached(async () => ++reads, 1000, () => clock);
    assert.equal(await read(), 1);
    clock = 999;
    assert.equal(await read(), 1);
    clock = 1000;
    assert.equal(await read(), 2);
  });

  it('when called while a read is in flight, then both share it; a failed read is not kept', async () => {
    let reads = 0;
    let fail = true;
    const read = cached(async () => {
      reads++;
      await new Promise((resolve) => setImmediate(resolve));
      if (fail) throw new Error('down');
      return reads;
    }, 1000);
    const both = await Promise.allSettled([read(), read()]);
    assert.equal(reads, 1);
    assert.ok(both.every((r) => r.status === 'rejected'));
    fail = false;
    assert.equal(await read(), 2);
  });
});

describe('minPendingHeadroomSeconds', () => {
  const lister = (jobs: Record<string, { data: unknown }[]>): JobLister =>
    ({ getJobs: async (types: string[]) => types.flatMap((t) => jobs[t] ?? []) }) as unknown as JobLister;

  it('when pending jobs have expiries, then the earliest one across prioritized, waiting and delayed jobs counts', async () => {
    const now = Date.UTC(2026, 0, 1);
    const at = (seconds: number) => ({ data: { expiresAt: (now + seconds * 1000) * 1000 } });
    const queue = lister({ prioritized: [at(600), { data: { expiresAt: null } }], wait: [at(900)], delayed: [at(120), at(3600)] });
    assert.equal(await minPendingHeadroomSeconds(queue, now), 120);
    assert.equal(await minPendingHeadroomSeconds(lister({ delayed: [at(-30)] }), now), -30, 'an expired pending link is negative');
  });

  it('when no pending job has an expiry, then there is no value', async () => {
    assert.equal(await minPendingHeadroomSeconds(lister({ prioritized: [{ data: { expiresAt: null } }] }), 0), undefined);
  });
});
