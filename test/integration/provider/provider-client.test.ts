import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  createLogger,
  createRedis,
  loadConfig,
  providerClientFromConfig,
  ProviderError,
  providerSettings,
  type ArtifactAnswer,
  type ProviderArtifact,
  type ProviderClient,
  type ProviderRecording,
} from '../../../shared/src/index.js';
import { StandInProvider, type Casing, type StandInApi } from '../../../scripts/stand-ins/stand-in-provider.js';
import { testConfig } from '../../helpers/test-config.js';
import { uniqueName } from '../../helpers/unique-name.js';
import { waitFor } from '../../helpers/wait-for.js';

const APIS: StandInApi[] = ['realtimekit', 'dyte'];

describe('provider API client against the stand-in provider', function () {
  this.timeout(30_000);
  let redis: Redis;
  let standIn: StandInProvider;

  /** A client of the stand-in as `api`, built from the environment like a service builds it. */
  const client = (api: StandInApi, env: Record<string, string> = {}, deps: { fetch?: typeof fetch } = {}): ProviderClient => {
    const config = loadConfig(providerSettings(), { ...standIn.env(api), ...env });
    const built = providerClientFromConfig(config, { redis, budgetKeyPrefix: uniqueName('provider-budget'), ...deps });
    assert.ok(built);
    return built;
  };
  const download = async (url: string) => {
    const response = await fetch(url);
    return { status: response.status, sha256: createHash('sha256').update(Buffer.from(await response.arrayBuffer())).digest('hex') };
  };
  const held = (answer: ArtifactAnswer | ProviderRecording | { held: false }): ProviderArtifact => {
    assert.ok('held' in answer && answer.held, `expected a held artifact, got ${JSON.stringify(answer)}`);
    return answer as ProviderArtifact;
  };
  const caught = async (promise: Promise<unknown>): Promise<ProviderError> => {
    try {
      await promise;
    } catch (error) {
      assert.ok(error instanceof ProviderError, `expected a ProviderError, got ${String(error)}`);
      return error;
    }
    assert.fail('expected the call to fail');
  };
  const collect = async <T>(pages: AsyncIterable<T>): Promise<T[]> => {
    const out: T[] = [];
    for await (const page of pages) out.push(page);
    return out;
  };

  before(async () => {
    redis = createRedis(testConfig.redisUrl);
    standIn = await new StandInProvider().start();
  });
  after(async () => {
    await standIn.close();
    await redis.quit();
  });
  afterEach(() => {
    standIn.casing = 'documented';
    standIn.linkTtlMs = 3600_000;
    standIn.latencyMs = 0;
    standIn.outageStatus = undefined;
  });

  for (const api of APIS) {
    for (const casing of ['documented', 'snake', 'camel'] as Casing[]) {
      it(`when ${api} answers in ${casing} casing, then every artifact has one shape and a link to its bytes`, async () => {
        standIn.casing = casing;
        const session = standIn.addSession({
          chat: { size: 3000 },
          transcript: { size: 2000 },
          summary: { size: 500 },
          recordings: [{ size: 300_000, audioSize: 70_000 }],
        });
        const recording = session.recordings[0];
        assert.ok(recording?.video && recording.audio);
        const provider = client(api);
        const before = Date.now();
        const answers = {
          chat: held(await provider.getChat(session.id)),
          transcript: held(await provider.getTranscript(session.id)),
          summary: held(await provider.getSummary(session.id)),
        };
        for (const [kind, answer] of Object.entries(answers)) {
          assert.equal(answer.kind, kind);
          assert.equal(answer.sessionId, session.id);
          assert.ok(answer.expiresAt, `${kind} has an expiry`);
          const lifetime = answer.expiresAt.getTime() - before;
          assert.ok(lifetime > 3590_000 && lifetime < 3610_000, `${kind} link lives about an hour (${lifetime} ms)`);
          const file = session.files[kind as 'chat'];
          assert.ok(file);
          assert.deepEqual(await download(answer.url), { status: 200, sha256: standIn.sha256(file) });
        }

        const one = await provider.getRecording(recording.id);
        assert.ok(one.held);
        const video = held(one.video);
        assert.deepEqual(
          { kind: video.kind, sessionId: video.sessionId, recordingId: video.recordingId, bytes: video.bytes },
          { kind: 'recording', sessionId: session.id, recordingId: recording.id, bytes: 300_000 },
        );
        assert.equal(one.status, 'UPLOADED');
        assert.deepEqual(await download(video.url), { status: 200, sha256: standIn.sha256(recording.video) });
        assert.ok(one.audio);
        assert.equal(one.audio.kind, 'recording_audio');
        assert.deepEqual(await download(one.audio.url), { status: 200, sha256: standIn.sha256(recording.audio) });

        const listed = (await collect(provider.listRecordings({ meetingId: session.meetingId, sessionId: session.id }))).flat();
        assert.deepEqual(listed.map((r) => [r.recordingId, r.meetingId, r.video.held]), [[recording.id, session.meetingId, true]]);
      });
    }

    it(`when ${api} lists the sessions of a window, then every one comes once, page by page, and none outside it`, async () => {
      // A window of its own per API: the stand-in holds every test's sessions.
      const windowStart = Date.now() - (5 + APIS.indexOf(api)) * 24 * 3600_000;
      const inside = Array.from({ length: 45 }, (_, i) => standIn.addSession({ startedAt: new Date(windowStart + i * 60_000) }));
      standIn.addSession({ startedAt: new Date(windowStart - 60_000) });
      standIn.addSession({ startedAt: new Date(windowStart + 45 * 60_000) });
      const pages = await collect(
        client(api).listSessions({ since: new Date(windowStart), until: new Date(windowStart + 44 * 60_000), perPage: 20 }),
      );
      assert.deepEqual(
        pages.map((p) => [p.pageNo, p.sessions.length, p.totalCount]),
        [[1, 20, 45], [2, 20, 45], [3, 5, 45]],
      );
      const sessions = pages.flatMap((p) => p.sessions);
      assert.deepEqual(sessions.map((s) => s.sessionId), inside.map((s) => s.id));
      const first = sessions[0];
      assert.ok(first && inside[0]);
      assert.equal(first.meetingId, inside[0].meetingId);
      assert.equal(first.status, 'ENDED');
      assert.equal(first.startedAt?.getTime(), inside[0].startedAt.getTime());
      assert.equal(first.endedAt?.getTime(), inside[0].endedAt?.getTime());
      const pageRequests = standIn.requests.filter((r) => r.api === api && r.path.startsWith('/sessions?')).slice(-3);
      assert.deepEqual(pageRequests.map((r) => new URL(r.path, 'http://x').searchParams.get('page_no')), ['1', '2', '3']);
    });

    it(`when a ${api} link has expired, then asking again gives a fresh link that works`, async () => {
      standIn.linkTtlMs = 1000;
      const session = standIn.addSession({ chat: { size: 1000 } });
      const provider = client(api);
      const first = held(await provider.getChat(session.id));
      assert.equal((await download(first.url)).status, 200);
      await waitFor(async () => (await download(first.url)).status === 403, { description: 'the first link to expire', timeoutMs: 5000 });
      assert.ok(first.expiresAt && first.expiresAt.getTime() <= Date.now());
      const fresh = held(await provider.getChat(session.id));
      assert.notEqual(fresh.url, first.url);
      assert.ok(fresh.expiresAt && fresh.expiresAt.getTime() > Date.now());
      assert.deepEqual(await download(fresh.url), { status: 200, sha256: standIn.sha256(session.files.chat ?? '') });
    });

    it(`when ${api} no longer holds an artifact (past retention, unknown, never made), then the answer is "not held", not an error`, async () => {
      const old = standIn.addSession({
        startedAt: new Date(Date.now() - 9 * 24 * 3600_000),
        endedAt: new Date(Date.now() - 8 * 24 * 3600_000),
        chat: { size: 100 },
        recordings: [{ size: 1000 }],
      });
      const provider = client(api);
      const answers = [await provider.getChat(old.id), await provider.getSummary('no-such-session'), await provider.getRecording(old.recordings[0]?.id ?? '')];
      for (const answer of answers) assert.deepEqual([answer.held, !answer.held && answer.reason], [false, 'NOT_FOUND']);
      const chatOnly = standIn.addSession({ chat: { size: 100 } });
      const transcript = await provider.getTranscript(chatOnly.id);
      assert.deepEqual([transcript.held, !transcript.held && transcript.reason], [false, 'NOT_FOUND']);
      const live = standIn.addSession({ endedAt: null, recordings: [{ size: 10, status: 'RECORDING' }] });
      const recording = await provider.getRecording(live.recordings[0]?.id ?? '');
      assert.ok(recording.held);
      assert.deepEqual([recording.status, recording.video.held, !recording.video.held && recording.video.reason], ['RECORDING', false, 'NO_LINK']);
    });

    it(`when ${api} refuses the credentials, then the call fails for good with PROVIDER_UNAUTHORIZED and no secret in sight`, async () => {
      const wrong: Record<string, string> = api === 'realtimekit' ? { RTK_API_TOKEN: 'wrong-token-0123456789' } : { DYTE_API_KEY: 'wrong-key-0123456789' };
      const error = await caught(client(api, wrong).getChat(standIn.addSession({ chat: { size: 1 } }).id));
      assert.equal(error.code, 'PROVIDER_UNAUTHORIZED');
      assert.equal(error.retriable, false);
      assert.equal(error.httpStatus, api === 'realtimekit' ? 403 : 401);
      const lines: string[] = [];
      createLogger({ level: 'info', name: 'test', sink: (line) => lines.push(line) }).error('provider call failed', { error });
      for (const secret of ['wrong-token-0123456789', 'wrong-key-0123456789', standIn.apiToken, standIn.apiKey]) {
        assert.ok(!error.message.includes(secret) && !lines.join('\n').includes(secret), 'no credential in the error or its log line');
      }
    });

    it(`when ${api} is slow or down, then the call fails as PROVIDER_UNAVAILABLE, retriable, within the timeout`, async () => {
      const session = standIn.addSession({ chat: { size: 1 } });
      standIn.latencyMs = 2000;
      const started = Date.now();
      const slow = await caught(client(api, { PROVIDER_TIMEOUT_MS: '200' }).getChat(session.id));
      assert.equal(slow.code, 'PROVIDER_UNAVAILABLE');
      assert.equal(slow.retriable, true);
      assert.match(slow.message, /did not answer within 200 ms/);
      assert.ok(Date.now() - started < 1500, 'cut at the timeout');
      standIn.latencyMs = 0;
      standIn.outageStatus = 503;
      const down = await caught(client(api).getChat(session.id));
      assert.deepEqual([down.code, down.retriable, down.httpStatus], ['PROVIDER_UNAVAILABLE', true, 503]);
    });
  }

  it('when the provider answers something that is not its API, then the call fails as PROVIDER_INVALID_ANSWER and the secret is scrubbed', async () => {
    const answers = [
      new Response('<html>maintenance</html>', { status: 200 }),
      new Response(JSON.stringify({ success: false, errors: [{ message: `bad ${standIn.apiToken}` }] }), { status: 200 }),
      new Response(JSON.stringify({ success: true, data: { chat_download_url: 'javascript:alert(1)' } }), { status: 200 }),
      new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/' } }),
    ];
    const fake = (async () => answers.shift() as Response) as typeof fetch;
    const provider = client('realtimekit', {}, { fetch: fake });
    const messages: string[] = [];
    for (let i = 0; i < 4; i++) {
      const error = await caught(provider.getChat('s1'));
      assert.equal(error.code, 'PROVIDER_INVALID_ANSWER');
      assert.equal(error.retriable, false);
      messages.push(error.message);
    }
    assert.match(messages[0] ?? '', /not JSON/);
    assert.match(messages[1] ?? '', /without "success": true: bad \[redacted\]/);
    assert.match(messages[2] ?? '', /chat_download_url must be an http\(s\) URL/);
    assert.match(messages[3] ?? '', /redirect \(302\)/);
    const refused = client('realtimekit', {}, {
      fetch: (async () => new Response(JSON.stringify({ success: false, errors: [{ message: `token ${standIn.apiToken} is odd` }] }), { status: 400 })) as typeof fetch,
    });
    const error = await caught(refused.getChat('s1'));
    assert.equal(error.code, 'PROVIDER_REFUSED');
    assert.ok(!error.message.includes(standIn.apiToken), error.message);
  });

  it('when an id or a page size breaks its rule, then the call fails as INVALID_ARGUMENT before any request', async () => {
    const provider = client('realtimekit');
    const before = standIn.requests.length;
    await assert.rejects(provider.getChat(''), { code: 'INVALID_ARGUMENT', retriable: false, message: 'sessionId must be a non-empty string' });
    await assert.rejects(provider.getRecording(''), { code: 'INVALID_ARGUMENT', message: 'recordingId must be a non-empty string' });
    await assert.rejects(collect(provider.listSessions({ perPage: 0 })), { code: 'INVALID_ARGUMENT', message: 'perPage must be an integer from 1 to 1000' });
    assert.equal(standIn.requests.length, before);
  });

  it('when Redis does not answer, then the call fails as PROVIDER_BUDGET_UNAVAILABLE instead of bypassing the shared budget', async () => {
    const offline = createRedis('redis://127.0.0.1:1', { lazyConnect: true });
    offline.on('error', () => undefined);
    try {
      const config = loadConfig(providerSettings(), { ...standIn.env('realtimekit'), PROVIDER_TIMEOUT_MS: '300' });
      const provider = providerClientFromConfig(config, { redis: offline });
      assert.ok(provider);
      const before = standIn.requests.length;
      const error = await caught(provider.getChat('s1'));
      assert.deepEqual([error.code, error.retriable], ['PROVIDER_BUDGET_UNAVAILABLE', true]);
      assert.equal(standIn.requests.length, before, 'nothing was sent to the provider');
    } finally {
      offline.disconnect();
    }
  });
});
