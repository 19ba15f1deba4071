import { strict as assert } from 'node:assert';
import {
  createRedis,
  emptySessionState,
  foldSession,
  LedgerNotLoadedError,
  sessionLedger,
  type SessionContribution,
  type SessionLedger,
} from '../../../shared/src/index.js';
import { testConfig } from '../../helpers/test-config.js';
import { uniqueName } from '../../helpers/unique-name.js';

const at = (minute: number) => Date.UTC(2026, 0, 1, 10, minute) * 1000;
const announced = (key: string, i: number): SessionContribution => ({
  ...emptySessionState(key, key, 'meeting-1'),
  artifacts: [{ jobId: `recording.r${i}`, kind: 'recording', recordingId: `r${i}`, state: 'pending', announcedAt: at(i), expiresAt: at(i + 60), archived: null, failure: null }],
  updatedAt: at(i),
});

describe('session ledger store (Redis)', () => {
  let redis: ReturnType<typeof createRedis>;
  let ledger: SessionLedger;

  beforeEach(async () => {
    redis = createRedis(testConfig.redisUrl);
    ledger = sessionLedger(redis, `${uniqueName('ledger-store')}.`);
  });
  afterEach(async () => {
    await ledger.clear();
    await redis.quit();
  });

  it('when the ledger is not marked loaded in this Redis, then adding is refused, so no state forgets what a lost Redis held', async () => {
    assert.equal(await ledger.isLoaded(), false);
    await assert.rejects(ledger.add([announced('s-1', 1)]), LedgerNotLoadedError);
    assert.equal(await redis.exists(ledger.keys.session('s-1')), 0, 'nothing written');
    await ledger.markLoaded();
    assert.equal(await ledger.isLoaded(), true);
    // A mark left by another Redis server (a restart restores keys, but the run id is new) does not count.
    await redis.set(ledger.keys.loaded, 'another-run-id');
    assert.equal(await ledger.isLoaded(), false);
  });

  it('when the same contribution is added many times, then it is one field; past 32 distinct ones the session is folded into one field, same state', async () => {
    await ledger.markLoaded();
    for (let i = 0; i < 5; i++) await ledger.add([announced('s-2', 1)]);
    assert.equal(await redis.hlen(ledger.keys.session('s-2')), 1);
    const many = Array.from({ length: 40 }, (_, i) => announced('s-2', i));
    await ledger.add(many);
    const expected = foldSession(many);
    const entry = await ledger.entry('s-2');
    assert.deepEqual(entry?.state, expected);
    assert.equal(entry?.published, false);
    assert.equal(await redis.hlen(ledger.keys.session('s-2')), 1, 'compacted');
    assert.deepEqual(await ledger.read('s-2'), expected);
    assert.ok((await redis.ttl(ledger.keys.session('s-2'))) > 29 * 24 * 3600, 'kept 30 days');
  });

  it('when a state is published, then the ledger knows it, and files the session as incomplete since its earliest artifact not archived', async () => {
    await ledger.markLoaded();
    await ledger.add([announced('s-3', 1), announced('s-3', 2)]);
    const entry = await ledger.entry('s-3');
    assert.ok(entry);
    await ledger.publishedAll([entry.state]);
    assert.equal((await ledger.entry('s-3'))?.published, true);
    const nowMs = at(10) / 1000;
    assert.deepEqual((await ledger.incomplete({ olderThanSeconds: 60, nowMs })).map((s) => s.ledgerKey), ['s-3']);
    assert.deepEqual(await ledger.incomplete({ olderThanSeconds: 3600, nowMs }), []);
    assert.equal(await ledger.countIncomplete({ olderThanSeconds: 60, nowMs }), 1);
    assert.deepEqual((await ledger.sessionsOfMeeting('meeting-1')).map((s) => s.ledgerKey), ['s-3']);
  });

  it('when many sessions are read and marked at once, then each entry is what entry() gives, in order (unknown keys undefined), and only the states marked are published', async () => {
    await ledger.markLoaded();
    await ledger.add([announced('s-4', 1), announced('s-5', 2), announced('s-6', 3), announced('s-5', 4)]);
    const keys = ['s-5', 'unknown', 's-4', 's-6'];
    const entries = await ledger.entries(keys);
    assert.deepEqual(entries, await Promise.all(keys.map((key) => ledger.entry(key))));
    assert.deepEqual(entries.map((entry) => entry?.state.ledgerKey), ['s-5', undefined, 's-4', 's-6']);
    assert.equal(entries[0]?.state.artifacts.length, 2, 'both contributions of s-5 folded');
    await ledger.publishedAll([entries[0], entries[2]].map((entry) => (entry as NonNullable<typeof entry>).state));
    assert.deepEqual((await ledger.entries(keys)).map((entry) => entry?.published), [true, undefined, true, false]);
    // A change after the mark makes the session unpublished again.
    await ledger.add([announced('s-4', 5)]);
    assert.equal((await ledger.entry('s-4'))?.published, false);
    await redis.del(ledger.keys.loaded);
    await assert.rejects(ledger.entries(keys), LedgerNotLoadedError);
  });
});
