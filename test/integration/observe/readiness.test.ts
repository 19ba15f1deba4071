import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../bench/harness/free-port.js';
import { archiveFleetEnv, dropArchiveQueues } from '../../helpers/archive-fleet.js';
import { fixture } from '../../helpers/fixtures.js';
import { postWebhook, startIngress } from '../../helpers/ingress-under-test.js';
import { PersistentRedis } from '../../helpers/persistent-redis.js';
import { spawnService, type RunningService } from '../../helpers/spawn-service.js';
import { uniqueName } from '../../helpers/unique-name.js';
import { readyz, waitForReadiness } from '../../helpers/readiness.js';

describe('readiness from real state', function () {
  this.timeout(180_000);

  it('when the Redis of a dispatcher and a downloader stops answering, is killed and comes back, then their /readyz flips to 503 and back to 200 while /healthz stays 200', async () => {
    const redis = new PersistentRedis(await freePort());
    await redis.start();
    const archiveDir = await mkdtemp(join(tmpdir(), 'readiness-'));
    const env = archiveFleetEnv(`${uniqueName('ready')}.`, archiveDir, { REDIS_URL: redis.url });
    const services: { name: string; service: RunningService; url?: string }[] = [
      { name: 'dispatcher', service: spawnService('dispatcher', env) },
      { name: 'downloader', service: spawnService('downloader', env) },
    ];
    try {
      for (const entry of services) {
        const before = await entry.service.waitForLog('metrics listening');
        entry.url = `http://127.0.0.1:${String(before.port)}`;
      }
      const urls = services.map((entry) => entry.url as string);
      const ready = await Promise.all(urls.map((url) => waitForReadiness(url, 200)));
      assert.deepEqual(Object.keys(ready[0]?.checks ?? {}).sort(), ['dispatching', 'kafka', 'ledger', 'redis']);
      assert.deepEqual(Object.keys(ready[1]?.checks ?? {}).sort(), ['kafka', 'redis', 'working']);

      redis.pause();
      const hung = await Promise.all(urls.map((url) => waitForReadiness(url, 503, 'redis')));
      for (const report of hung) assert.match(report.checks?.redis?.reason ?? '', /no answer within/);
      for (const url of urls) assert.equal((await fetch(`${url}/healthz`)).status, 200, 'alive though not ready');
      redis.resume();
      await Promise.all(urls.map((url) => waitForReadiness(url, 200)));

      await redis.kill();
      const down = await Promise.all(urls.map((url) => waitForReadiness(url, 503, 'redis')));
      for (const report of down) assert.ok(report.checks?.redis?.reason, 'the reason is named');
      await redis.start();
      await Promise.all(urls.map((url) => waitForReadiness(url, 200)));

      for (const { name, service } of services) assert.equal(await service.stop(), 0, `${name} exits 0`);
    } finally {
      await Promise.all(services.map(({ service }) => service.kill()));
      await dropArchiveQueues(env.ARCHIVE_QUEUE);
      await redis.stop();
      await rm(archiveDir, { recursive: true, force: true });
    }
  });

  it('when the ingress cannot reach Kafka, then both its /readyz answer 503: the public one with a word, the metrics one naming the check', async () => {
    const ingress = await startIngress({ brokers: ['127.0.0.1:1'], waitReady: false });
    try {
      const metricsUrl = ingress.metricsUrl.replace(/\/metrics$/, '');
      const publicAnswer = await readyz(ingress.url);
      assert.equal(publicAnswer.status, 503);
      assert.deepEqual(publicAnswer.body, { status: 'starting' }, 'the public port names no dependency');
      const report = await waitForReadiness(metricsUrl, 503, 'kafka');
      assert.equal(report.checks?.started?.ok, false);
    } finally {
      await ingress.stop();
    }
  });

  it('when the ingress is stopped with a drain, then /readyz answers 503 "draining" at once while webhooks are still taken, and the port closes after the drain', async () => {
    const ingress = await startIngress({ settings: { drainMs: 2000 } });
    const metricsUrl = ingress.metricsUrl.replace(/\/metrics$/, '');
    assert.deepEqual(await readyz(ingress.url), { status: 200, body: { status: 'ready' } });
    assert.equal((await waitForReadiness(metricsUrl, 200)).checks?.kafka?.ok, true);
    const started = Date.now();
    const stopping = ingress.stop();
    try {
      assert.deepEqual(await readyz(ingress.url), { status: 503, body: { status: 'draining' } });
      assert.equal((await readyz(metricsUrl)).body.checks?.accepting?.ok, false);
      const answer = await postWebhook(ingress, fixture('seed', 'meeting-started'));
      assert.equal(answer.status, 202, `a webhook during the drain is taken: ${JSON.stringify(answer.body)}`);
    } finally {
      await stopping;
    }
    assert.ok(Date.now() - started >= 2000, 'the port stayed open for the drain');
    await assert.rejects(fetch(`${ingress.url}/healthz`), 'the port is closed after the drain');
  });
});
