import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSigningKey } from '../../../shared/src/index.js';
import { archiveFleetEnv, dropArchiveQueues } from '../../helpers/archive-fleet.js';
import { spawnService, type RunningService } from '../../helpers/spawn-service.js';
import { uniqueName } from '../../helpers/unique-name.js';

// A start on fresh topics and groups is the noisiest one: topics created, groups joined for the first time, the
// group coordinator still loading. None of that is an error, and an operator paging on error lines must not see one.
describe('a normal start prints no error line', function () {
  this.timeout(120_000);

  it('when ingress, dispatcher and downloader start on fresh topics and groups and stop, then no line is at level error', async () => {
    const archiveDir = await mkdtemp(join(tmpdir(), 'clean-start-'));
    const env = archiveFleetEnv(`${uniqueName('clean')}.`, archiveDir, { INGRESS_PORT: '0', DYTE_WEBHOOK_PUBLIC_KEY: createSigningKey().publicKeyPem });
    const started: { name: string; ready: string; service: RunningService }[] = [];
    try {
      // Started together, as a fleet is: they race to create the same topics.
      for (const [name, ready] of [['ingress', 'ready'], ['dispatcher', 'consuming'], ['downloader', 'downloading']] as const) {
        started.push({ name, ready, service: spawnService(name, { ...env, LOG_LEVEL: 'debug' }) });
      }
      await Promise.all(started.map(({ service, ready }) => service.waitForLog(ready)));
      for (const { name, service } of started) assert.equal(await service.stop(), 0, `${name} exit code`);
      for (const { name, service } of started) {
        const parsed = service.lines.map((line) => {
          try {
            return JSON.parse(line) as Record<string, unknown>;
          } catch {
            return { level: 'not JSON', line };
          }
        });
        const bad = parsed.filter((line) => line.level === 'error' || line.level === 'not JSON');
        assert.deepEqual(bad, [], `${name} printed error or non-JSON lines during a normal start and stop`);
        assert.ok(parsed.length > 3, `${name} logged its start (${parsed.length} lines)`);
      }
    } finally {
      await Promise.all(started.map(({ service }) => service.kill()));
      await dropArchiveQueues(env.ARCHIVE_QUEUE);
      await rm(archiveDir, { recursive: true, force: true });
    }
  });
});
