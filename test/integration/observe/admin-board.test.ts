import { strict as assert } from 'node:assert';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveFleetEnv, dropArchiveQueues } from '../../helpers/archive-fleet.js';
import { postWebhook, startIngress, type IngressUnderTest } from '../../helpers/ingress-under-test.js';
import { spawnService, type RunningService } from '../../helpers/spawn-service.js';
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
      const cookie = setCookie.split(';')[0] as string;
      const page = await fetch(`${board}/`, { headers: { cookie } });
      assert.equal(page.status, 200);
      assert.match(page.headers.get('content-type') ?? '', /text\/html/);
      assert.equal((await fetch(`${board}/api/queues`, { headers: { cookie } })).status, 200);
    });

    it('then the token appears in none of its log lines', () => {
      assert.ok(dispatcher.lines.length > 0);
      assert.ok(!dispatcher.lines.some((line) => line.includes(token)), 'ADMIN_TOKEN is never logged');
    });
  });
});
