import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../bench/harness/free-port.js';
import { createSigningKey } from '../../../shared/src/index.js';
import { archiveFleetEnv, dropArchiveQueues } from '../../helpers/archive-fleet.js';
import { readyz, waitForReadiness } from '../../helpers/readiness.js';
import { spawnService, type RunningService } from '../../helpers/spawn-service.js';
import { ThrowawayKafka } from '../../helpers/throwaway-kafka.js';
import { uniqueName } from '../../helpers/unique-name.js';

// The shared Kafka is never stopped: the fleet here runs on a broker of the test's own, which it pauses and kills.
describe('readiness when Kafka stops answering and comes back', function () {
  this.timeout(300_000);

  it('when the broker hangs, then is killed and started again, then every service\'s /readyz flips to 503 naming kafka and back to 200', async () => {
    const kafka = new ThrowawayKafka(await freePort(), await freePort());
    const archiveDir = await mkdtemp(join(tmpdir(), 'readiness-kafka-'));
    const env = archiveFleetEnv(`${uniqueName('ready-kafka')}.`, archiveDir, {
      KAFKA_BROKERS: kafka.brokers,
      INGRESS_PORT: '0',
      DYTE_WEBHOOK_PUBLIC_KEY: createSigningKey().publicKeyPem,
      // A member whose broker went away is dropped and rejoins sooner.
      DISPATCHER_SESSION_TIMEOUT_MS: '10000',
    });
    const services: { name: string; service: RunningService; url?: string; publicUrl?: string }[] = [];
    try {
      await kafka.start();
      for (const name of ['ingress', 'dispatcher', 'downloader']) services.push({ name, service: spawnService(name, env) });
      for (const entry of services) entry.url = `http://127.0.0.1:${String((await entry.service.waitForLog('metrics listening')).port)}`;
      const ingress = services[0] as { service: RunningService; publicUrl?: string };
      ingress.publicUrl = `http://127.0.0.1:${String((await ingress.service.waitForLog('listening')).port)}`;
      const urls = services.map((entry) => entry.url as string);
      await Promise.all(urls.map((url) => waitForReadiness(url, 200, undefined, 120_000)));

      kafka.pause();
      const hung = await Promise.all(urls.map((url) => waitForReadiness(url, 503, 'kafka')));
      for (const report of hung) assert.match(report.checks?.kafka?.reason ?? '', /no answer within/);
      assert.deepEqual(await readyz(ingress.publicUrl), { status: 503, body: { status: 'not ready' } });
      kafka.resume();
      await Promise.all(urls.map((url) => waitForReadiness(url, 200, undefined, 120_000)));

      await kafka.kill();
      await Promise.all(urls.map((url) => waitForReadiness(url, 503, 'kafka')));
      await kafka.start();
      await Promise.all(urls.map((url) => waitForReadiness(url, 200, undefined, 180_000)));
      assert.equal((await readyz(ingress.publicUrl)).status, 200);

      for (const { name, service } of services) assert.equal(await service.stop(), 0, `${name} exits 0`);
    } finally {
      await Promise.all(services.map(({ service }) => service.kill()));
      await kafka.stop();
      await dropArchiveQueues(env.ARCHIVE_QUEUE);
      await rm(archiveDir, { recursive: true, force: true });
    }
  });
});
