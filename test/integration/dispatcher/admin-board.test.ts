import { strict as assert } from 'node:assert';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { createLogger, createRedis, openArchiveQueues, type ArchiveQueues } from '../../../shared/src/index.js';
import { createAdminServer, type AdminServer } from '../../../services/dispatcher/src/admin/admin-server.js';
import { archiveFleetEnv, dropArchiveQueues } from '../../helpers/archive-fleet.js';
import { postWebhook, startIngress, type IngressUnderTest } from '../../helpers/ingress-under-test.js';
import { spawnService, type RunningService } from '../../helpers/spawn-service.js';
import { testConfig } from '../../helpers/test-config.js';
import { uniqueName } from '../../helpers/unique-name.js';
import { waitFor } from '../../helpers/wait-for.js';

interface BoardQueue {
  name: string;
  readOnlyMode: boolean;
  counts: Record<string, number>;
}

async function exitCodeOf(service: RunningService): Promise<number | null> {
  return waitFor(() => (service.child.exitCode === null ? undefined : { code: service.child.exitCode }), {
    timeoutMs: 30_000,
    description: 'the dispatcher to exit',
  }).then(({ code }) => code);
}

describe('queue dashboard (Bull Board) on the dispatcher', function () {
  this.timeout(120_000);
  let archiveDir: string;

  before(async () => {
    archiveDir = await mkdtemp(join(tmpdir(), 'admin-'));
  });

  after(async () => {
    await rm(archiveDir, { recursive: true, force: true });
  });

  it('when ADMIN_PORT is set without ADMIN_TOKEN, or with a short one, then the dispatcher refuses to start (exit 78) naming ADMIN_TOKEN, and never prints it', async () => {
    const env = archiveFleetEnv(`${randomUUID()}.`, archiveDir, { ADMIN_PORT: '0' });
    const withoutToken = spawnService('dispatcher', env);
    assert.equal(await exitCodeOf(withoutToken), 78);
    assert.match(withoutToken.lines.join('\n'), /ADMIN_TOKEN is required when ADMIN_PORT is set/);

    const shortToken = 'short-secret-12';
    const withShortToken = spawnService('dispatcher', { ...env, ADMIN_TOKEN: shortToken });
    assert.equal(await exitCodeOf(withShortToken), 78);
    const output = withShortToken.lines.join('\n');
    assert.match(output, /ADMIN_TOKEN must be a string of at least 16 characters \(got <secret>\)/);
    assert.ok(!output.includes(shortToken), 'the rejected token is not printed');

    const predictable = 'aaaaaaaaaaaaaaaa';
    const withPredictableToken = spawnService('dispatcher', { ...env, ADMIN_TOKEN: predictable });
    const code = await exitCodeOf(withPredictableToken).finally(() => withPredictableToken.kill());
    assert.equal(code, 78);
    const refused = withPredictableToken.lines.join('\n');
    assert.match(refused, /ADMIN_TOKEN must be a token of at least 64 bits of estimated entropy.*\(got <secret>\)/);
    assert.ok(!refused.includes(predictable), 'the rejected token is not printed');
  });

  describe('when enabled with a token', () => {
    const token = randomBytes(24).toString('hex');
    let ingress: IngressUnderTest;
    let env: Record<string, string>;
    let dispatcher: RunningService;
    let board: string;

    before(async () => {
      ingress = await startIngress();
      env = archiveFleetEnv(ingress, archiveDir, { ADMIN_PORT: '0', ADMIN_TOKEN: token });
      dispatcher = spawnService('dispatcher', env);
      const line = await dispatcher.waitForLog('admin board listening');
      assert.equal(line.host, '127.0.0.1', 'bound to the loopback interface by default');
      board = `http://127.0.0.1:${String(line.port)}`;
      await dispatcher.waitForLog('consuming');
    });

    after(async () => {
      await dispatcher?.stop();
      await ingress?.stop();
      await dropArchiveQueues(env?.ARCHIVE_QUEUE);
    });

    it('then requests without the token, or with a wrong one, get 401', async () => {
      const attempts: Record<string, string>[] = [{}, { authorization: `Bearer ${token.slice(0, -1)}x` }, { authorization: token }, { cookie: `dyte_admin_session=${token}` }];
      for (const headers of attempts) {
        const answer = await fetch(`${board}/api/queues`, { headers });
        assert.equal(answer.status, 401, JSON.stringify(headers));
        assert.equal(((await answer.json()) as { error: { code: string } }).error.code, 'ADMIN_UNAUTHORIZED');
      }
      assert.equal((await fetch(`${board}/`)).status, 401, 'the page too');
      assert.equal((await fetch(`${board}/?token=wrong-token-wrong-token`, { redirect: 'manual' })).status, 401);
    });

    it('then with Authorization: Bearer the API lists the download queue and the read-only parked queue, with a parked record', async () => {
      // An artifact event without a link cannot become a job: it is parked.
      const answer = await postWebhook(ingress, { event: 'meeting.chatSynced', meetingId: randomUUID(), sessionId: randomUUID() });
      assert.equal(answer.status, 202);
      const parkedName = `${env.ARCHIVE_QUEUE}-parked`;
      const queues = await waitFor(
        async () => {
          const response = await fetch(`${board}/api/queues`, { headers: { authorization: `Bearer ${token}` } });
          assert.equal(response.status, 200);
          const body = (await response.json()) as { queues: BoardQueue[] };
          const parked = body.queues.find((q) => q.name === parkedName);
          return parked && Object.values(parked.counts).reduce((a, b) => a + b, 0) === 1 ? body.queues : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250, description: 'the board to show the parked record' },
      );
      assert.deepEqual(queues.map((q) => q.name).sort(), [env.ARCHIVE_QUEUE, parkedName].sort());
      assert.equal(queues.find((q) => q.name === parkedName)?.readOnlyMode, true);
      assert.equal(queues.find((q) => q.name === env.ARCHIVE_QUEUE)?.readOnlyMode, false, 'download jobs can be retried from the board');
    });

    it('then a browser logs in once with ?token=, gets an HttpOnly SameSite=Strict cookie and a redirect without the token, and the cookie opens the board', async () => {
      const login = await fetch(`${board}/queue/x?token=${token}&page=2`, { redirect: 'manual' });
      assert.equal(login.status, 303);
      assert.equal(login.headers.get('location'), '/queue/x?page=2', 'the token leaves the address bar');
      assert.equal(login.headers.get('referrer-policy'), 'no-referrer');
      const setCookie = login.headers.get('set-cookie') ?? '';
      assert.match(setCookie, /^dyte_admin_session=[0-9a-f]{64};/);
      assert.match(setCookie, /httponly/i);
      assert.match(setCookie, /samesite=strict/i);
      assert.ok(!setCookie.includes(token), 'the cookie does not hold the token itself');
      assert.doesNotMatch(setCookie, /;\s*secure/i, 'no Secure attribute over plain http (the browser would drop the cookie)');
      const cookie = setCookie.split(';')[0] as string;
      const page = await fetch(`${board}/`, { headers: { cookie } });
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      assert.equal((await fetch(`${board}/api/queues`, { headers: { cookie } })).status, 200);
    });

    it('then each login gets a session id of its own, random and not derived from the token, and an unknown one gets 401', async () => {
      const sessionOf = async () => {
        const login = await fetch(`${board}/?token=${token}`, { redirect: 'manual' });
        assert.equal(login.status, 303);
        return /^dyte_admin_session=([0-9a-f]{64});/.exec(login.headers.get('set-cookie') ?? '')?.[1] as string;
      };
      const [first, second] = [await sessionOf(), await sessionOf()];
      assert.ok(first && second);
      assert.notEqual(first, second, 'two logins, two sessions');
      assert.notEqual(first, createHmac('sha256', token).update('dyte-bridge admin session v1').digest('hex'), 'not an HMAC of the token');
      for (const id of [first, second]) assert.equal((await fetch(`${board}/api/queues`, { headers: { cookie: `dyte_admin_session=${id}` } })).status, 200);
      const unknown = await fetch(`${board}/api/queues`, { headers: { cookie: `dyte_admin_session=${randomBytes(32).toString('hex')}` } });
      assert.equal(unknown.status, 401);
    });

    it('then logging out (POST or GET /logout) ends that session and clears the cookie, and other sessions go on', async () => {
      const sessionOf = async () => ((await fetch(`${board}/?token=${token}`, { redirect: 'manual' })).headers.get('set-cookie') ?? '').split(';')[0] as string;
      const [kept, postOut, getOut] = [await sessionOf(), await sessionOf(), await sessionOf()];
      for (const [cookie, method] of [[postOut, 'POST'], [getOut, 'GET']] as const) {
        assert.equal((await fetch(`${board}/api/queues`, { headers: { cookie } })).status, 200);
        const out = await fetch(`${board}/logout`, { method, headers: { cookie }, redirect: 'manual' });
        assert.equal(out.status, 200, method);
        assert.match(out.headers.get('set-cookie') ?? '', /^dyte_admin_session=;.*expires=Thu, 01 Jan 1970/i, 'the cookie is cleared');
        assert.equal((await fetch(`${board}/api/queues`, { headers: { cookie } })).status, 401, `the session ended by ${method} /logout no longer opens the board`);
      }
      assert.equal((await fetch(`${board}/api/queues`, { headers: { cookie: kept } })).status, 200, 'another session is not logged out');
      assert.equal((await fetch(`${board}/logout`, { method: 'POST' })).status, 200, 'logging out without a session is harmless');
    });

    it('then the token appears in none of its log lines', () => {
      assert.ok(dispatcher.lines.length > 0);
      assert.ok(!dispatcher.lines.some((line) => line.includes(token)), 'ADMIN_TOKEN is never logged');
    });
  });
});

describe('queue dashboard sessions and login back-off (in process, on a clock the test moves)', function () {
  this.timeout(60_000);
  const HOUR = 3600_000;
  const token = randomBytes(16).toString('hex');
  const logger = createLogger({ level: 'error', name: 'admin-test' });
  let now: number;
  let connection: Redis;
  let queues: ArchiveQueues;
  let servers: AdminServer[];

  before(() => {
    connection = createRedis(testConfig.redisUrl);
    queues = openArchiveQueues(connection, uniqueName('admin'));
  });

  after(async () => {
    await queues.close();
    await connection.quit();
  });

  beforeEach(() => {
    now = Date.now();
    servers = [];
  });

  afterEach(async () => {
    await Promise.all(servers.map((server) => server.stop()));
  });

  const startBoard = async (options: { trustProxy: boolean; globalFreeFailures?: number }) => {
    const throttle = options.globalFreeFailures === undefined ? {} : { globalFreeFailures: options.globalFreeFailures };
    const server = createAdminServer({ host: '127.0.0.1', port: 0, token, trustProxy: options.trustProxy, queues, logger, auth: { now: () => now, throttle } });
    servers.push(server);
    await server.start();
    return `http://127.0.0.1:${server.port()}`;
  };
  const login = (board: string, headers: Record<string, string> = {}) => fetch(`${board}/?token=${token}`, { redirect: 'manual', headers });
  const cookieOf = (answer: Response) => (answer.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const api = (board: string, headers: Record<string, string>) => fetch(`${board}/api/queues`, { headers });
  const from = (address: string, headers: Record<string, string> = {}) => ({ 'x-forwarded-for': address, ...headers });

  it('when a session is 12 hours old, however active, or idle for over 2 hours, then it gets 401', async () => {
    const board = await startBoard({ trustProxy: false });
    const active = cookieOf(await login(board));
    for (let hour = 1; hour < 12; hour++) {
      now += HOUR;
      assert.equal((await api(board, { cookie: active })).status, 200, `used after ${hour} h`);
    }
    now += HOUR;
    assert.equal((await api(board, { cookie: active })).status, 401, 'ended 12 h after the login');

    const idle = cookieOf(await login(board));
    now += 2 * HOUR + 1;
    assert.equal((await api(board, { cookie: idle })).status, 401, 'ended after 2 h without a request');
  });

  it('when behind a trusted proxy that says https, then the cookie is Secure; when the proxy is not trusted, X-Forwarded-Proto is ignored', async () => {
    const trusting = await startBoard({ trustProxy: true });
    const secure = (await login(trusting, { 'x-forwarded-proto': 'https' })).headers.get('set-cookie') ?? '';
    assert.match(secure, /;\s*secure/i);
    assert.match(secure, /httponly/i);
    const plain = (await login(trusting)).headers.get('set-cookie') ?? '';
    assert.doesNotMatch(plain, /;\s*secure/i, 'plain http through the proxy');

    const untrusting = await startBoard({ trustProxy: false });
    const spoofed = await login(untrusting, { 'x-forwarded-proto': 'https' });
    assert.equal(spoofed.status, 303);
    assert.doesNotMatch(spoofed.headers.get('set-cookie') ?? '', /;\s*secure/i);
  });

  it('when one address sends 5 wrong tokens, then it gets 429 with Retry-After, even with the right token, while other addresses log in; the wait doubles with each further failure', async () => {
    const board = await startBoard({ trustProxy: true });
    // The proxy appends the real address; whatever the client put before it is not believed.
    const attacker = (spoof: string, headers: Record<string, string> = {}) => from(`${spoof}, 198.51.100.7`, headers);
    for (let i = 0; i < 5; i++) {
      assert.equal((await api(board, attacker(`10.0.0.${i}`, { authorization: `Bearer wrong-${i}` }))).status, 401, `failure ${i + 1}`);
    }
    const held = await api(board, attacker('10.0.0.99', { authorization: 'Bearer wrong' }));
    assert.equal(held.status, 429);
    assert.equal(held.headers.get('retry-after'), '1');
    assert.equal(((await held.json()) as { error: { code: string } }).error.code, 'ADMIN_TOO_MANY_FAILURES');
    assert.equal((await api(board, attacker('10.0.0.98', { authorization: `Bearer ${token}` }))).status, 429, 'the right token is refused during the back-off');
    const refusedLogin = await login(board, attacker('10.0.0.97'));
    assert.equal(refusedLogin.status, 429);
    assert.equal(refusedLogin.headers.get('set-cookie'), null, 'no session during the back-off');
    assert.equal((await api(board, from('198.51.100.8', { authorization: `Bearer ${token}` }))).status, 200, 'another address is not held back');

    now += 1000;
    assert.equal((await api(board, attacker('10.0.0.1', { authorization: 'Bearer wrong' }))).status, 401, 'tried again once the wait is over');
    assert.equal((await api(board, attacker('10.0.0.1', { authorization: `Bearer ${token}` }))).headers.get('retry-after'), '2', 'the wait doubled');
    now += 2000;
    assert.equal((await api(board, attacker('10.0.0.1', { authorization: `Bearer ${token}` }))).status, 200, 'the right token works once the wait is over');
  });

  it('when the proxy is not trusted, then X-Forwarded-For is ignored: wrong tokens from one socket are held back whatever address they claim', async () => {
    const board = await startBoard({ trustProxy: false });
    for (let i = 0; i < 5; i++) assert.equal((await api(board, from(`203.0.113.${i}`, { authorization: 'Bearer wrong' }))).status, 401);
    assert.equal((await api(board, from('203.0.113.200', { authorization: `Bearer ${token}` }))).status, 429);
  });

  it('when wrong tokens come from many addresses, then past the global limit every address waits, and a browser already logged in keeps working', async () => {
    const board = await startBoard({ trustProxy: true, globalFreeFailures: 20 });
    const browser = cookieOf(await login(board, from('192.0.2.1')));
    for (let i = 0; i < 20; i++) assert.equal((await api(board, from(`198.18.0.${i}`, { authorization: 'Bearer wrong' }))).status, 401);
    const fresh = await api(board, from('192.0.2.2', { authorization: `Bearer ${token}` }));
    assert.equal(fresh.status, 429, 'an address that never failed waits too');
    assert.ok(Number(fresh.headers.get('retry-after')) >= 1);
    assert.equal((await api(board, from('192.0.2.1', { cookie: browser }))).status, 200, 'an open session is not held back');
  });
});
