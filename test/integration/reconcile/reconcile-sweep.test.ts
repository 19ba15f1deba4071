import { strict as assert } from 'node:assert';
import type { Redis } from 'ioredis';
import { createRedis, openArchiveQueues } from '../../../shared/src/index.js';
import { createSweepLock } from '../../../services/dispatcher/src/reconcile/sweep-lock.js';
import { archiveFleetEnv, dropArchiveQueues } from '../../helpers/archive-fleet.js';
import { metricsUrlOf, scrape, type Scrape } from '../../helpers/scrape-metrics.js';
import { spawnService, type RunningService } from '../../helpers/spawn-service.js';
import { StandInProvider, type SeenApiRequest } from '../../../scripts/stand-ins/stand-in-provider.js';
import { testConfig } from '../../helpers/test-config.js';
import { uniqueName } from '../../helpers/unique-name.js';
import { waitFor } from '../../helpers/wait-for.js';

const listings = (requests: SeenApiRequest[]) => requests.filter((r) => r.path.startsWith('/sessions?'));
const sumOver = (scrapes: Scrape[], name: string, labels?: Record<string, string>) => scrapes.reduce((total, s) => total + (s.sum(name, labels) ?? 0), 0);

describe('reconcile sweep lock (Redis)', function () {
  this.timeout(30_000);
  let redis: Redis;
  before(() => {
    redis = createRedis(testConfig.redisUrl);
  });
  after(async () => {
    await redis.quit();
  });

  it('when two replicas claim one interval, then one gets it; once its sweep is done the interval stays claimed until it ends', async () => {
    const key = uniqueName('sweep-lock');
    const [one, two] = [1, 2].map(() => createSweepLock(redis, { key, intervalMs: 1500, holdMs: 500 }));
    const claims = await Promise.all([one!.claim(), two!.claim()]);
    assert.equal(claims.filter(Boolean).length, 1, 'one claim');
    const claim = claims.find(Boolean)!;
    assert.equal(await claim.extend(), true);
    await claim.finish();
    assert.equal(await two!.claim(), undefined, 'finished, but the interval is not over');
    await waitFor(async () => (await two!.claim()) !== undefined, { timeoutMs: 5000, description: 'the next interval to be claimable' });
    assert.equal(await claim.extend(), false, 'a claim of a past interval is lost');
  });

  it('when a sweep outlasts its interval, then extending keeps others out; once it finishes late, the next interval is free at once', async () => {
    const key = uniqueName('sweep-lock');
    const lock = createSweepLock(redis, { key, intervalMs: 300, holdMs: 1000 });
    const claim = (await lock.claim())!;
    await new Promise((resolve) => setTimeout(resolve, 600));
    assert.equal(await claim.extend(), true);
    assert.equal(await lock.claim(), undefined, 'still held past its interval');
    await claim.finish();
    assert.ok(await lock.claim(), 'free as soon as a late sweep ends');
  });

  it('when a replica gives its claim up unswept, then another may claim the interval at once; a stale holder cannot end a newer claim', async () => {
    const key = uniqueName('sweep-lock');
    const [one, two] = [1, 2].map(() => createSweepLock(redis, { key, intervalMs: 60_000, holdMs: 1000 }));
    const first = (await one!.claim())!;
    await first.release();
    const second = await two!.claim();
    assert.ok(second, 'claimed at once');
    await first.finish();
    await first.release();
    assert.equal(await one!.claim(), undefined, 'the newer claim still holds');
    assert.equal(await second.extend(), true);
  });
});

describe('reconcile sweep in the dispatcher', function () {
  this.timeout(180_000);
  let provider: StandInProvider;
  const running: RunningService[] = [];
  const queuesToDrop: string[] = [];

  afterEach(async () => {
    await Promise.all(running.splice(0).map((service) => service.stop()));
    await provider?.close();
    for (const queue of queuesToDrop.splice(0)) await dropArchiveQueues(queue);
  });

  const fleetEnv = (extra: Record<string, string>) => {
    const env = archiveFleetEnv(`${uniqueName('sweep')}.`, '/nonexistent-archive', {
      ...provider.env('realtimekit'),
      RECONCILE_WINDOW_HOURS: '24',
      RECONCILE_GRACE_MINUTES: '0',
      ...extra,
    });
    queuesToDrop.push(env.ARCHIVE_QUEUE as string);
    return env;
  };
  const start = (env: Record<string, string>) => {
    const dispatcher = spawnService('dispatcher', env);
    running.push(dispatcher);
    return dispatcher;
  };

  it('when two dispatchers run the sweep, then the fleet sweeps once per interval and recovers each missing artifact once', async () => {
    provider = await new StandInProvider().start();
    const sessions = [provider.addSession({ chat: { size: 100 }, transcript: { size: 200 } }), provider.addSession({ chat: { size: 300 }, summary: { size: 50 } })];
    const env = fleetEnv({ RECONCILE_INTERVAL_SECONDS: '3' });
    const dispatchers = [start(env), start(env)];
    await Promise.all(dispatchers.map((d) => d.waitForLog('reconcile sweep on')));
    await waitFor(() => listings(provider.requests).length >= 4, { timeoutMs: 60_000, description: 'four sweeps' });
    const starts = listings(provider.requests).map((r) => r.at);
    for (let i = 1; i < starts.length; i++) {
      // A sweep per 3 s interval, whichever replica runs it (200 ms for the clocks of Redis and the stand-in).
      assert.ok(starts[i]! - starts[i - 1]! >= 2800, `sweeps ${i - 1} and ${i} started ${starts[i]! - starts[i - 1]!} ms apart: ${starts.join(', ')}`);
    }
    await waitFor(() => dispatchers.flatMap((d) => d.lines).filter((l) => l.includes('"reconcile sweep done"')).length >= 4, {
      timeoutMs: 30_000,
      description: 'four sweeps done',
    });
    const done = dispatchers.map((d) => d.lines.filter((l) => l.includes('"reconcile sweep done"')).length);
    assert.ok(Math.abs(done[0]! + done[1]! - listings(provider.requests).length) <= 1, `sweeps done ${done.join('+')} vs listings ${listings(provider.requests).length}`);

    const redis = createRedis(testConfig.redisUrl);
    const queues = openArchiveQueues(redis, env.ARCHIVE_QUEUE as string);
    try {
      const ids = [`chat.${sessions[0]!.id}`, `transcript.${sessions[0]!.id}`, `chat.${sessions[1]!.id}`, `summary.${sessions[1]!.id}`];
      for (const id of ids) assert.notEqual(await queues.archive.getJobState(id), 'unknown', `${id} added`);
      assert.equal(await queues.archive.count(), 4);
    } finally {
      await queues.close();
      await redis.quit();
    }

    const scrapes = await Promise.all(dispatchers.map(async (d) => scrape(await metricsUrlOf(d))));
    assert.equal(sumOver(scrapes, 'dyte_bridge_reconcile_artifacts_total', { outcome: 'recovered' }), 4, 'each artifact recovered once, by whichever replica swept first');
    assert.equal(sumOver(scrapes, 'dyte_bridge_reconcile_sweeps_total', { outcome: 'ok' }), done[0]! + done[1]!);
    const answered = provider.requests.length;
    assert.ok(Math.abs(sumOver(scrapes, 'dyte_bridge_provider_requests_total') - answered) <= 5, `requests counted ${sumOver(scrapes, 'dyte_bridge_provider_requests_total')} vs answered ${answered}`);
    assert.ok(sumOver(scrapes, 'dyte_bridge_provider_requests_total', { api: 'realtimekit', endpoint: 'getSummary', outcome: 'not_found' }) >= 1, 'a summary not held is counted as not_found');
    for (const s of scrapes) {
      // Every replica reports the fleet's last sweep, read from Redis, whether it ran it or not.
      const last = s.sum('dyte_bridge_reconcile_last_sweep_timestamp_seconds', { queue: env.ARCHIVE_QUEUE as string }) ?? 0;
      assert.ok(Date.now() / 1000 - last < 30, `last sweep ${last}`);
      assert.equal(s.sum('dyte_bridge_reconcile_interval_seconds', { queue: env.ARCHIVE_QUEUE as string }), 3);
    }
  });

  it('when the provider answers 429, then the sweep waits out its Retry-After, still recovers everything, and counts the throttling', async () => {
    // 3 requests per 2 s at the stand-in, far below the fleet's own budget: only the provider's 429s hold it back.
    provider = await new StandInProvider({ limits: { requests: 3, windowMs: 2000 } }).start();
    for (let i = 0; i < 3; i++) provider.addSession({ chat: { size: 100 } });
    const dispatcher = start(fleetEnv({ RECONCILE_INTERVAL_SECONDS: '3600' }));
    const done = await dispatcher.waitForLog('reconcile sweep done', 90_000);
    assert.equal(done.outcome, 'ok', JSON.stringify(done));
    assert.equal(done.recovered, 3);
    const throttled = provider.requests.filter((r) => r.status === 429);
    assert.ok(throttled.length > 0, 'the stand-in throttled');
    for (const refusal of throttled) {
      // Requests already on the wire when the 429 came may land just after it; none may be sent during the pause.
      const during = provider.requests.filter((r) => r.at > refusal.at + 100 && r.at < refusal.at + (refusal.retryAfterSeconds ?? 0) * 1000 - 100);
      assert.deepEqual(during.map((r) => `${r.at - refusal.at} ms ${r.path}`), [], `nothing sent within the Retry-After of the 429 at ${refusal.at}`);
    }
    const metrics = await scrape(await metricsUrlOf(dispatcher));
    assert.equal(metrics.sum('dyte_bridge_provider_requests_total', { outcome: 'throttled' }), throttled.length);
    assert.equal(metrics.sum('dyte_bridge_reconcile_artifacts_total', { kind: 'chat', outcome: 'recovered' }), 3);
  });

  it('when PROVIDER is none, then the sweep still runs, asks no provider and reports from the session ledger; at interval 0 it is off', async () => {
    provider = await new StandInProvider().start();
    const env = fleetEnv({ RECONCILE_INTERVAL_SECONDS: '60' });
    for (const name of ['PROVIDER', 'RTK_API_BASE', 'RTK_ACCOUNT_ID', 'RTK_APP_ID', 'RTK_API_TOKEN']) delete env[name];
    const dispatcher = start({ ...env, PROVIDER: 'none' });
    const on = await dispatcher.waitForLog('reconcile sweep on');
    assert.deepEqual([on.provider, on.ledger], [null, true]);
    const done = await dispatcher.waitForLog('reconcile sweep done');
    assert.deepEqual([done.outcome, done.sessions, done.incompleteSessions], ['ok', 0, 0]);
    assert.equal(provider.requests.length, 0);
    const off = await start({ ...fleetEnv({ RECONCILE_INTERVAL_SECONDS: '0' }) }).waitForLog('reconcile sweep off');
    assert.match(String(off.reason), /RECONCILE_INTERVAL_SECONDS is 0/);
  });
});
