import { strict as assert } from 'node:assert';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { enqueueDispatches } from '../../../services/dispatcher/src/dispatch-record.js';
import {
  archiveJobOptions,
  createExpiryPriorities,
  createRedis,
  meetingIndexKey,
  obliterateArchiveQueues,
  openArchiveQueues,
  priorityBasesKey,
  priorityOf,
  type ArchiveJobData,
  type ArchiveQueues,
  type ExpiryPriorities,
  type PriorityBases,
} from '../../../shared/src/index.js';
import { testConfig } from '../../helpers/test-config.js';
import { uniqueName } from '../../helpers/unique-name.js';
import { waitFor } from '../../helpers/wait-for.js';

const MINUTE = 60_000;
const DAY = 24 * 3600_000;

const jobData = (id: string, expiresAtMs: number | null): ArchiveJobData => ({
  artifact: { jobId: id, kind: 'chat', organizationId: 'org', meetingId: 'm', sessionId: id, recordingId: null },
  url: `https://bucket.s3.amazonaws.com/${id}`,
  expiresAt: expiresAtMs === null ? null : expiresAtMs * 1000,
  sourceEvent: 'meeting.chatSynced',
  deliveryId: `d-${id}`,
  expectedBytes: null,
});

/** A download queue of its own, a clock the test moves, and the fleet's priorities on it. */
async function openQueue(redis: Redis, startMs: number) {
  const name = uniqueName('expiry-priorities');
  const queues = openArchiveQueues(redis, name);
  const clock = { now: startMs };
  const priorities = createExpiryPriorities(redis, queues.archive, { now: () => clock.now });
  const add = (jobs: ArchiveJobData[], using: ExpiryPriorities = priorities) =>
    enqueueDispatches({ queue: queues.archive, parked: queues.parked, redis, archiveQueue: name, jobAttempts: 3, priorities: using }, jobs, []);
  const storedBases = async (): Promise<PriorityBases> => {
    const [fine, coarse] = await redis.hmget(priorityBasesKey(name), 'fine', 'coarse');
    return { fineMs: Number(fine), coarseMs: Number(coarse) };
  };
  /** The waiting jobs in the order BullMQ will hand them out. */
  const waitingOrder = async () => redis.zrange(queues.archive.keys.prioritized ?? '', 0, -1);
  /** Every job waiting, active or delayed has exactly the priority of its own expiry under the stored bases. */
  const assertPricedExactly = async () => {
    const bases = await storedBases();
    const jobs = (await queues.archive.getJobs(['prioritized', 'active', 'delayed'])).filter((job): job is Job<ArchiveJobData> => Boolean(job));
    for (const job of jobs) {
      const expected = priorityOf(job.data.expiresAt, bases);
      assert.equal(Number(await redis.hget(queues.archive.toKey(job.id ?? ''), 'priority')), expected, `hash priority of ${job.id}`);
      const score = await redis.zscore(queues.archive.keys.prioritized ?? '', job.id ?? '');
      if (score !== null) assert.equal(Math.floor(Number(score) / 2 ** 32), expected, `score of ${job.id}`);
    }
    return jobs.length;
  };
  return { name, queues, clock, priorities, add, storedBases, waitingOrder, assertPricedExactly };
}

/** Job ids by expiry, earliest first; links without expiry last; ties (expired links) in the order given. */
const byExpiry = (jobs: ArchiveJobData[]) => [...jobs].sort((a, b) => (a.expiresAt ?? Infinity) - (b.expiresAt ?? Infinity)).map((j) => j.artifact.jobId);

const shuffled = <T>(items: T[], seed: number): T[] => {
  const out = [...items];
  let a = seed;
  for (let i = out.length - 1; i > 0; i--) {
    a = (a * 1103515245 + 12345) % 2 ** 31;
    const j = a % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
};

describe('download job priorities by link expiry (real Redis, real BullMQ)', function () {
  this.timeout(120_000);
  let redis: Redis;
  const opened: ArchiveQueues[] = [];

  before(() => {
    redis = createRedis(testConfig.redisUrl);
  });
  after(async () => {
    for (const queues of opened) {
      await queues.close();
      await obliterateArchiveQueues(redis, queues.archive.name);
      await redis.del(meetingIndexKey(queues.archive.name, 'm'));
    }
    await redis.quit();
  });
  const open = async (startMs: number) => {
    const q = await openQueue(redis, startMs);
    opened.push(q.queues);
    return q;
  };

  for (const year of [2029, 2040]) {
    it(`when the clock reads ${year}, links milliseconds, seconds and days apart are added in any order and the bases move on a day, then a worker takes them earliest expiry first, to the millisecond`, async () => {
      const start = Date.UTC(year, 2, 10, 8, 0, 0);
      const q = await open(start);
      // A day from now: links a few milliseconds apart (an overload); over the days: links seconds and days apart
      // (Dyte's); one link beyond the coarse tier's reach, one link without expiry.
      const msApart = Array.from({ length: 8 }, (_, i) => jobData(`ms-${i}`, start + DAY + 30 * MINUTE + i * 3));
      const secondsApart = Array.from({ length: 6 }, (_, i) => jobData(`s-${i}`, start + DAY + 32 * MINUTE + i * 1700));
      const daysApart = Array.from({ length: 6 }, (_, i) => jobData(`d-${i}`, start + (2 + i) * DAY + i * 977));
      // Forty minutes after those: links milliseconds apart that the fine tier reaches only after the coarse base moved.
      const msLater = Array.from({ length: 6 }, (_, i) => jobData(`ms-later-${i}`, start + DAY + 40 * MINUTE + i * 2));
      const jobs = [...msApart, ...secondsApart, ...msLater, ...daysApart, jobData('far', start + 20 * DAY), jobData('never', null)];
      const arrival = shuffled(jobs, year);
      for (let i = 0; i < arrival.length; i += 5) await q.add(arrival.slice(i, i + 5));
      const before = await q.storedBases();
      await q.assertPricedExactly();
      // On the day: first ms-apart links are still in the coarse tier, in one second: here they tie.
      assert.equal(new Set(msApart.map((j) => priorityOf(j.expiresAt, before))).size, 1, 'a day out, links ms apart share one second');

      // The clock moves a day and a minute, in steps: the fine base moves, then the coarse one; the links of that
      // day come into the fine tier and are re-priced from their own expiry.
      for (const step of [6 * MINUTE, 3 * 3600_000, 12 * 3600_000, 9 * 3600_000]) {
        q.clock.now += step;
        await q.priorities.current();
        assert.ok((await q.assertPricedExactly()) === jobs.length);
      }
      const after = await q.storedBases();
      assert.ok(after.coarseMs > before.coarseMs && after.fineMs > before.fineMs, 'both bases moved');
      assert.equal(new Set(msLater.map((j) => priorityOf(j.expiresAt, after))).size, 1, 'links forty minutes out still share one second');
      // Then only the fine base moves, three times: the links forty minutes out come into the fine tier.
      for (const step of [6 * MINUTE, 6 * MINUTE, 6 * MINUTE]) {
        q.clock.now += step;
        await q.priorities.current();
        await q.assertPricedExactly();
      }
      assert.equal((await q.storedBases()).coarseMs, after.coarseMs, 'the coarse base stayed');
      assert.deepEqual(await q.waitingOrder(), byExpiry(jobs));

      const taken: string[] = [];
      const worker = new Worker<ArchiveJobData>(q.name, async (job) => void taken.push(job.id ?? ''), { connection: createRedis(testConfig.redisUrl), concurrency: 1 });
      try {
        await waitFor(() => taken.length === jobs.length, { description: 'every job processed' });
      } finally {
        await worker.close();
        await worker.disconnect();
      }
      assert.deepEqual(taken, byExpiry(jobs));
    });
  }

  it('when any mix of expiries is added while the clock moves by any steps, then every job keeps exactly the priority of its expiry (property)', async () => {
    const q = await open(Date.UTC(2040, 0, 1));
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ inMs: fc.option(fc.integer({ min: -DAY, max: 30 * DAY }), { nil: null }), step: fc.integer({ min: 0, max: 2 * DAY }) }), { minLength: 1, maxLength: 12 }),
        async (batch) => {
          round++;
          for (const [i, { inMs, step }] of batch.entries()) {
            await q.add([jobData(`p${round}-${i}`, inMs === null ? null : q.clock.now + inMs)]);
            q.clock.now += step;
            if (i % 3 === 0) await q.priorities.current();
          }
          await q.assertPricedExactly();
        },
      ),
      { numRuns: 25 },
    );
  });

  it('when another replica moves the bases between reading them and adding, then settle re-prices the jobs added under the old ones', async () => {
    const start = Date.UTC(2029, 11, 31, 23, 50);
    const q = await open(start);
    const behind = await q.priorities.current();
    // Another dispatcher, six minutes later, moves the fine base.
    const other = createExpiryPriorities(redis, q.queues.archive, { now: () => start + 6 * MINUTE });
    const moved = await other.current();
    assert.ok(moved.fineMs > behind.fineMs);
    const stale = jobData('added-stale', start + 10 * MINUTE);
    const fresh = jobData('added-by-other', start + 10 * MINUTE + 5);
    await q.queues.archive.add('chat', stale, archiveJobOptions(stale, 3, behind));
    await q.add([fresh], other);
    assert.deepEqual(await q.waitingOrder(), ['added-by-other', 'added-stale'], 'priced under old bases, the earlier link looks later');
    await q.priorities.settle(['added-by-other'], moved);
    assert.deepEqual(await q.waitingOrder(), ['added-by-other', 'added-stale'], 'settle under the bases in Redis changes nothing');
    await q.priorities.settle(['added-stale'], behind);
    assert.deepEqual(await q.waitingOrder(), ['added-stale', 'added-by-other']);
    await q.assertPricedExactly();
  });

  it('when several replicas move the bases at once, then the jobs are shifted once', async () => {
    const start = Date.UTC(2040, 5, 1);
    const q = await open(start);
    const jobs = [jobData('a', start + 9 * MINUTE), jobData('b', start + 2 * DAY), jobData('c', start + 15 * MINUTE)];
    await q.add(jobs);
    // Six minutes on, the fine base is due: each replica would shift the fine tier by the same five minutes.
    const later = Array.from({ length: 5 }, () => createExpiryPriorities(redis, q.queues.archive, { now: () => start + 6 * MINUTE + 1 }));
    const seen = await Promise.all(later.map((p) => p.current()));
    assert.equal(new Set(seen.map((b) => JSON.stringify(b))).size, 1, 'all replicas agree on the bases');
    assert.deepEqual(seen[0], await q.storedBases());
    await q.assertPricedExactly();
  });

  it('when jobs are active, retried later or failed while the bases move, then they come back to wait with the priority of their expiry', async () => {
    const start = Date.UTC(2029, 6, 1);
    const q = await open(start);
    const jobs = [jobData('held', start + 2 * DAY), jobData('backoff', start + 3 * DAY), jobData('fails', start + 4 * DAY)];
    await q.add(jobs);
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    const attempts = new Map<string, number>();
    const worker = new Worker<ArchiveJobData>(
      q.name,
      async (job) => {
        attempts.set(job.id ?? '', (attempts.get(job.id ?? '') ?? 0) + 1);
        if (job.id === 'fails') throw new UnrecoverableError('EXPIRED');
        if (job.id === 'backoff' && job.attemptsMade === 0) throw new Error('transient');
        if (job.id === 'held') await released;
      },
      { connection: createRedis(testConfig.redisUrl), concurrency: 3, settings: { backoffStrategy: () => 3_600_000 } },
    );
    try {
      await waitFor(async () => (await q.queues.archive.getJobState('held')) === 'active' && (await q.queues.archive.getJobState('backoff')) === 'delayed' && (await q.queues.archive.getJobState('fails')) === 'failed', { description: 'one job active, one delayed, one failed' });
      q.clock.now += DAY + 7 * MINUTE;
      await q.priorities.current();
      await q.assertPricedExactly();
      // The failed job is retried as `dyte-bridge requeue` and the reconciler do: retry, then reprioritize.
      await worker.pause(true);
      const failed = await q.queues.archive.getJob('fails');
      await failed?.retry('failed');
      await q.priorities.reprioritize(['fails']);
      await q.assertPricedExactly();
      assert.equal(Number(await redis.hget(q.queues.archive.toKey('fails'), 'priority')), priorityOf(jobs[2]!.expiresAt, await q.storedBases()));
    } finally {
      release();
      await worker.close(true);
      await worker.disconnect();
    }
  });

  it('when a queue holds jobs prioritized on the old scale (minutes since 2025), then the first bases re-price them all from their expiry', async () => {
    const start = Date.UTC(2026, 11, 2);
    const q = await open(start);
    const soon = jobData('soon', start + 30 * 1000);
    const later = jobData('later', start + 30 * 1000 + 400);
    // The old scale: both in one minute, so the one added first (the later link) came first.
    const oldMinutes = Math.floor((start + 30 * 1000 - Date.UTC(2025, 0, 1)) / MINUTE) + 1;
    await q.queues.archive.addBulk([later, soon].map((data) => ({ name: 'chat', data, opts: { ...archiveJobOptions(data, 3, { fineMs: 0, coarseMs: 0 }), priority: oldMinutes } })));
    assert.deepEqual(await q.waitingOrder(), ['later', 'soon']);
    await q.priorities.current();
    assert.deepEqual(await q.waitingOrder(), ['soon', 'later']);
    await q.assertPricedExactly();
  });
});
