import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Registry } from 'prom-client';
import { createLogger, createMetricsServer, type ReadinessReport } from '../../../shared/src/index.js';
import { repoRoot } from '../../helpers/service-configs.js';

const run = promisify(execFile);
const script = join(repoRoot, 'deploy', 'docker', 'healthcheck.js');

// The image's HEALTHCHECK script, run as Docker runs it, against a service's real metrics server on loopback.
async function healthcheck(env: Record<string, string>, path?: string): Promise<number> {
  try {
    await run(process.execPath, path ? [script, path] : [script], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 10_000 });
    return 0;
  } catch (error) {
    return (error as { code?: number }).code ?? -1;
  }
}

describe('deploy/docker/healthcheck.js', function () {
  this.timeout(20_000);

  it("when the service on the container's metrics port is alive, ready or not, then /healthz passes and /readyz follows its readiness", async () => {
    let report: ReadinessReport = { ready: false, checks: { redis: { ok: false, reason: 'Redis connection is reconnecting' } } };
    const server = createMetricsServer({ registry: new Registry(), host: '127.0.0.1', port: 0, logger: createLogger({ level: 'error', name: 't', sink: () => undefined }), readiness: async () => report });
    await server.start();
    try {
      // The dispatcher's variable: the ingress's and downloader's default ports (9100, 9102) answer nothing here.
      const env = { DISPATCHER_METRICS_PORT: String(server.port()), INGRESS_METRICS_PORT: '1', DOWNLOADER_METRICS_PORT: '2' };
      assert.equal(await healthcheck(env), 0, '/healthz: alive');
      assert.equal(await healthcheck(env, '/readyz'), 1, '/readyz: not ready');
      report = { ready: true, checks: { redis: { ok: true } } };
      assert.equal(await healthcheck(env, '/readyz'), 0, '/readyz: ready');
    } finally {
      await server.stop();
    }
    assert.equal(await healthcheck({ DISPATCHER_METRICS_PORT: String(server.port()), INGRESS_METRICS_PORT: '1', DOWNLOADER_METRICS_PORT: '2' }), 1, 'nothing answers: unhealthy');
  });
});
