import { strict as assert } from 'node:assert';
import type { Redis } from 'ioredis';
import {
  createRedis,
  loadConfig,
  providerClientFromConfig,
  ProviderError,
  providerSettings,
  type ProviderClient,
  type ProviderRequestEvent,
} from '../../../shared/src/index.js';
import { StandInProvider, type SeenApiRequest, type StandInLimits } from '../../../scripts/stand-ins/stand-in-provider.js';
import { testConfig } from '../../helpers/test-config.js';
import { uniqueName } from '../../helpers/unique-name.js';

/** A 1000 ms window as the stand-in can measure it (see the first test). */
const JITTERED_SECOND = 750;

/** The most requests the stand-in answered within any `windowMs`. */
function mostInAnyWindow(requests: SeenApiRequest[], windowMs: number): number {
  let most = 0;
  for (const first of requests) most = Math.max(most, requests.filter((r) => r.at >= first.at && r.at < first.at + windowMs).length);
  return most;
}

describe('provider API client: the request budget shared through Redis', function () {
  this.timeout(60_000);
  let redis: Redis;
  let standIn: StandInProvider;
  let budget: string;

  /** Two clients (two replicas) that share one Redis and one budget key, like two downloaders. */
  const replicas = (env: Record<string, string>, onRequest?: (event: ProviderRequestEvent) => void): ProviderClient[] =>
    [1, 2].map(() => {
      const config = loadConfig(providerSettings(), { ...standIn.env('realtimekit'), ...env });
      const client = providerClientFromConfig(config, { redis, budgetKeyPrefix: budget, ...(onRequest ? { onRequest } : {}) });
      assert.ok(client);
      return client;
    });
  const start = async (limits: Partial<StandInLimits>) => {
    standIn = await new StandInProvider({ limits }).start();
    budget = uniqueName('provider-budget');
  };

  before(() => {
    redis = createRedis(testConfig.redisUrl);
  });
  afterEach(async () => {
    await standIn.close();
  });
  after(async () => {
    await redis.quit();
  });

  it('when two clients share one Redis, then together they never send more than the limit in any window', async () => {
    await start({ requests: 1000 });
    const session = standIn.addSession({ chat: { size: 10 } });
    const clients = replicas({ PROVIDER_RATE_LIMIT: '5', PROVIDER_RATE_WINDOW_MS: '1000' });
    // One call each first, so that opening connections does not delay the first requests more than the later ones.
    await Promise.all(clients.map((client) => client.getChat(session.id)));
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => clients[i % 2]?.getChat(session.id)));
    const took = Date.now() - started;
    assert.ok(answers.every((a) => a?.held), 'every call got its link');
    const seen = standIn.requests.filter((r) => r.status === 200);
    assert.equal(seen.length, 22);
    // The budget counts a request when Redis admits it; the stand-in logs it when its handler runs, later by a delay
    // that varies from one request to the next (the network, and one event loop for the clients and the stand-in
    // here). A window 250 ms short of the limit's absorbs that; without the budget all 20 would come within ~50 ms.
    assert.ok(mostInAnyWindow(seen, JITTERED_SECOND) <= 5, `at most 5 requests in any second, saw ${mostInAnyWindow(seen, JITTERED_SECOND)}`);
    assert.ok(took >= 3000, `20 requests at 5 per second take at least 3 s (took ${took} ms)`);
    assert.equal(standIn.requests.filter((r) => r.status === 429).length, 0, 'the provider never had to refuse one');
  });

  it('when recordings have a limit of their own, then recording requests keep to it while others go on', async () => {
    await start({ requests: 1000, recordingsRequests: 1000 });
    const session = standIn.addSession({ chat: { size: 10 }, recordings: [{ size: 10 }] });
    const recordingId = session.recordings[0]?.id ?? '';
    const clients = replicas({ PROVIDER_RECORDINGS_RATE_LIMIT: '2', PROVIDER_RECORDINGS_RATE_WINDOW_MS: '1000' });
    await Promise.all(clients.map((client) => client.getChat(session.id)));
    const started = Date.now();
    const chats = Promise.all(Array.from({ length: 6 }, (_, i) => clients[i % 2]?.getChat(session.id)));
    const recordings = Promise.all(Array.from({ length: 6 }, (_, i) => clients[i % 2]?.getRecording(recordingId)));
    await chats;
    const chatsTook = Date.now() - started;
    await recordings;
    const seen = standIn.requests.filter((r) => r.path.startsWith('/recordings/'));
    assert.equal(seen.length, 6);
    assert.ok(mostInAnyWindow(seen, JITTERED_SECOND) <= 2, `at most 2 recording requests a second, saw ${mostInAnyWindow(seen, JITTERED_SECOND)}`);
    assert.ok(Date.now() - started >= 2000, '6 recording requests at 2 per second take at least 2 s');
    assert.ok(chatsTook < 1000, `chat requests were not held back by the recordings limit (${chatsTook} ms)`);
  });

  it('when the provider answers 429, then every client sharing the budget waits out its Retry-After before sending again', async () => {
    await start({ requests: 3, windowMs: 2000 });
    const session = standIn.addSession({ chat: { size: 10 } });
    const events: ProviderRequestEvent[] = [];
    const clients = replicas({}, (event) => events.push(event));
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => clients[i % 2]?.getChat(session.id)));
    assert.ok(answers.every((a) => a?.held), 'every call got its link in the end');
    const refused = standIn.requests.filter((r) => r.status === 429);
    assert.ok(refused.length > 0, 'the stand-in refused some');
    assert.ok(events.some((e) => e.code === 'PROVIDER_THROTTLED' && e.status === 429), 'the 429 was reported');
    // After each burst of 429s (those already on their way when the first came back), nothing is sent until its
    // Retry-After has passed: the pause is in Redis, so it holds the other client too.
    for (const first of refused) {
      const quietUntil = first.at + (first.retryAfterSeconds ?? 0) * 1000 - 50;
      const during = standIn.requests.filter((r) => r.at > first.at + 200 && r.at < quietUntil);
      assert.deepEqual(during, [], `no request within the Retry-After of the 429 at ${first.at}`);
    }
    assert.ok(standIn.requests.length <= 8 + 5 + 2, `the 429s did not cause a storm (${standIn.requests.length} requests)`);
  });

  it('when a Retry-After is longer than a request may wait, then it fails as PROVIDER_THROTTLED and the pause holds every client', async () => {
    await start({ requests: 1, windowMs: 5000 });
    const session = standIn.addSession({ chat: { size: 10 } });
    const [first, second] = replicas({ PROVIDER_MAX_WAIT_MS: '1000' });
    assert.ok(first && second);
    assert.ok((await first.getChat(session.id)).held);
    const throttled = await first.getChat(session.id).then(
      () => assert.fail('expected PROVIDER_THROTTLED'),
      (error: unknown) => error,
    );
    assert.ok(throttled instanceof ProviderError);
    assert.deepEqual([throttled.code, throttled.retriable, throttled.httpStatus], ['PROVIDER_THROTTLED', true, 429]);
    assert.ok((throttled.retryAfterMs ?? 0) > 1000, `it says how long to wait (${throttled.retryAfterMs} ms)`);
    const sent = standIn.requests.length;
    const other = await second.getChat(session.id).then(
      () => assert.fail('expected PROVIDER_THROTTLED'),
      (error: unknown) => error,
    );
    assert.ok(other instanceof ProviderError);
    assert.equal(other.code, 'PROVIDER_THROTTLED');
    assert.equal(other.httpStatus, undefined, 'refused by the shared pause, not by the provider');
    assert.equal(standIn.requests.length, sent, 'the other client sent nothing during the pause');
  });
});
