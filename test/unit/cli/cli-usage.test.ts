import { strict as assert } from 'node:assert';
import { runCli } from '../../../cli/src/main.js';

/** Runs the CLI in-process, capturing what it prints. */
async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, { out: (line) => (out += `${line}\n`), err: (line) => (err += `${line}\n`) });
  return { code, out, err };
}

describe('dyte-bridge usage', () => {
  for (const command of ['send', 'tail', 'archive status', 'replay webhooks', 'replay archive', 'requeue', 'ledger rebuild', 'reconcile']) {
    it(`when "${command} --help" is asked, then it prints its usage, options and exit codes, and exits 0`, async () => {
      const { code, out } = await run([...command.split(' '), '--help']);
      assert.equal(code, 0);
      assert.match(out, new RegExp(`^Usage: dyte-bridge ${command}`));
      assert.match(out, /Exit: 0 /);
    });
  }

  it('when run without a command, then it lists every command and exits 2', async () => {
    const { code, out } = await run([]);
    assert.equal(code, 2);
    for (const command of ['send', 'tail', 'archive status', 'replay webhooks', 'replay archive', 'requeue', 'ledger rebuild', 'reconcile']) assert.match(out, new RegExp(`  ${command} `));
  });

  it('when a command, a flag or a flag value is wrong, then it exits 2 naming it, before connecting anywhere', async () => {
    const unknown = await run(['frobnicate']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /unknown command "frobnicate"/);
    const flag = await run(['tail', 'meeting', '--frm-beginning']);
    assert.equal(flag.code, 2);
    assert.match(flag.err, /Unknown option '--frm-beginning'.*dyte-bridge tail --help/);
    const value = await run(['tail', 'meeting', '--max', 'ten']);
    assert.equal(value.code, 2);
    assert.match(value.err, /--max must be a whole number/);
    const requeue = await run(['requeue', '--all-failed', '--parked']);
    assert.equal(requeue.code, 2);
    assert.match(requeue.err, /choose exactly one of --job, --meeting, --all-failed, --parked/);
    const fresh = await run(['requeue', '--job', 'a', '--job', 'b', '--url', 'https://x.example/a', '--expires-at', '2999-01-01T00:00:00Z']);
    assert.equal(fresh.code, 2);
    assert.match(fresh.err, /a fresh link \(--url\) is for exactly one --job/);
    for (const argv of [['archive', 'status', 'm', '--session', 's'], ['archive', 'status', '--session', ''], ['archive', 'status']]) {
      const status = await run(argv);
      assert.equal(status.code, 2, argv.join(' '));
      assert.match(status.err, /archive status takes exactly one MEETING_ID, or --session SESSION_ID/);
    }
    const window = await run(['reconcile', '--since', '2h', '--until', '3h']);
    assert.equal(window.code, 2);
    assert.match(window.err, /--since \(.*\) must be before --until/);
    const since = await run(['reconcile', '--since', 'yesterday']);
    assert.equal(since.code, 2);
    assert.match(since.err, /--since must be a duration back from now \(72h, 30m, 7d\) or an ISO 8601 time/);
  });

  it('when reconcile runs with the provider half-configured, then it exits 78 naming what is missing, before connecting anywhere', async () => {
    const saved = { PROVIDER: process.env.PROVIDER, REDIS_URL: process.env.REDIS_URL };
    // Nothing listens there: had it connected, it would have exited 69.
    process.env.REDIS_URL = 'redis://127.0.0.1:1';
    process.env.PROVIDER = 'dyte';
    try {
      const half = await run(['reconcile']);
      assert.equal(half.code, 78, half.err);
      assert.match(half.err, /DYTE_ORG_ID is required when PROVIDER=dyte/);
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  it('when an environment variable is invalid, then it exits 78 naming it', async () => {
    const saved = process.env.REDIS_URL;
    process.env.REDIS_URL = 'http://not-redis';
    try {
      const { code, err } = await run(['archive', 'status', 'm']);
      assert.equal(code, 78);
      assert.match(err, /REDIS_URL must be/);
    } finally {
      if (saved === undefined) delete process.env.REDIS_URL;
      else process.env.REDIS_URL = saved;
    }
  });
});
