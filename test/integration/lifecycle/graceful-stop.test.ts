import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveFleetEnv, dropArchiveQueues } from '../../helpers/archive-fleet.js';
import { createSigningKey } from '../../../shared/src/index.js';
import { spawnService } from '../../helpers/spawn-service.js';
import { uniqueName } from '../../helpers/unique-name.js';

describe('every service stops cleanly on SIGTERM', function () {
  this.timeout(120_000);

  it('when ingress, dispatcher and downloader get SIGTERM, then each logs "stopped" and exits 0 within the grace period', async () => {
    const archiveDir = await mkdtemp(join(tmpdir(), 'graceful-'));
    const env = archiveFleetEnv(`${uniqueName('graceful')}.`, archiveDir, {
      INGRESS_PORT: '0',
      DYTE_WEBHOOK_PUBLIC_KEY: createSigningKey().publicKeyPem,
    });
    const services = [
      { name: 'ingress', ready: 'ready' },
      { name: 'dispatcher', ready: 'consuming' },
      { name: 'downloader', ready: 'downloading' },
    ].map(({ name, ready }) => ({ name, ready, process: spawnService(name, env) }));
    try {
      await Promise.all(services.map((s) => s.process.waitForLog(s.ready)));
      for (const service of services) {
        const started = Date.now();
        const code = await service.process.stop();
        assert.equal(code, 0, `${service.name} exit code`);
        assert.ok(Date.now() - started < 25_000, `${service.name} stopped within the 25 s grace period`);
        assert.ok(service.process.lines.some((line) => line.includes('"msg":"stopped"')), `${service.name} logged "stopped"`);
      }
    } finally {
      await Promise.all(services.map((s) => s.process.kill()));
      await dropArchiveQueues(env.ARCHIVE_QUEUE);
      await rm(archiveDir, { recursive: true, force: true });
    }
  });
});
