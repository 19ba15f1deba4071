import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveFleetEnv, dropArchiveQueues } from '../../helpers/archive-fleet.js';
import { spawnService, type RunningService } from '../../helpers/spawn-service.js';
import { StandInProvider } from '../../../scripts/stand-ins/stand-in-provider.js';
import { uniqueName } from '../../helpers/unique-name.js';
import { waitFor } from '../../helpers/wait-for.js';

const exitCodeOf = (service: RunningService) =>
  waitFor(() => (service.child.exitCode === null ? undefined : { code: service.child.exitCode }), {
    timeoutMs: 30_000,
    description: 'the service to exit',
  }).then(({ code }) => code);

describe('provider API settings at the boot of the dispatcher and the downloader', function () {
  this.timeout(120_000);
  let archiveDir: string;
  let standIn: StandInProvider;
  const running: RunningService[] = [];
  const queues: string[] = [];
  const env = (extra: Record<string, string>) => {
    const fleet = archiveFleetEnv(`${uniqueName('provider-boot')}.`, archiveDir, extra);
    queues.push(fleet.ARCHIVE_QUEUE ?? '');
    return fleet;
  };

  before(async () => {
    archiveDir = await mkdtemp(join(tmpdir(), 'provider-boot-'));
    standIn = await new StandInProvider().start();
  });
  after(async () => {
    await Promise.all(running.map((service) => service.kill()));
    for (const queue of queues) await dropArchiveQueues(queue);
    await standIn.close();
    await rm(archiveDir, { recursive: true, force: true });
  });

  it('when a provider is half-configured, then both services refuse to start (exit 78) naming what is missing, never the token', async () => {
    const token = 'half-configured-token-0123456789';
    for (const name of ['dispatcher', 'downloader']) {
      const service = spawnService(name, env({ PROVIDER: 'realtimekit', RTK_API_TOKEN: token }));
      running.push(service);
      assert.equal(await exitCodeOf(service), 78, name);
      const output = service.lines.join('\n');
      assert.match(output, /RTK_ACCOUNT_ID is required when PROVIDER=realtimekit/, name);
      assert.match(output, /RTK_APP_ID is required when PROVIDER=realtimekit/, name);
      assert.ok(!output.includes(token), `${name} does not print the token`);
    }
  });

  it('when a provider is configured, then the service names it at boot without its credentials; when not, it says the API is off', async () => {
    const dispatcher = spawnService('dispatcher', env(standIn.env('realtimekit')));
    const downloader = spawnService('downloader', env({}));
    running.push(dispatcher, downloader);
    await dispatcher.waitForLog(`provider API: realtimekit (account ${standIn.accountId}, app ${standIn.appId}, ${standIn.realtimeKitBase})`);
    await downloader.waitForLog('provider API: off');
    assert.ok(!dispatcher.lines.join('\n').includes(standIn.apiToken), 'the token is not logged');
  });
});
