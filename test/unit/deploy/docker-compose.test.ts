import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { repoRoot as root, serviceConfigs } from '../../helpers/service-configs.js';

// docker compose cannot run on the machines this is developed on, so its file is checked as data.

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
}

const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const configs = serviceConfigs();

// Short syntax: "C" and "IP::C" publish on a free host port; "H:C" and "IP:H:C" fix it (a second replica cannot bind).
function fixesHostPort(port: unknown): boolean {
  if (typeof port === 'object' && port !== null) return 'published' in port;
  const parts = String(port).split(':');
  return parts.length >= 2 && parts[parts.length - 2] !== '';
}
const fleet = configs.map(({ name }) => name);

describe('docker-compose.yml', () => {
  it('when read, then every image is pinned to a version', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      assert.ok(service.image, `service ${name} names an image`);
      const tag = /:([^/:]+)$/.exec(service.image)?.[1];
      assert.ok(tag && tag !== 'latest' && /\d/.test(tag), `service ${name}: image ${service.image} is pinned to a version`);
    }
  });

  it('when read, then every service of services/ is built from the repo and runs its own main', () => {
    assert.ok(fleet.length > 0, 'services/ has at least one service');
    for (const name of fleet) {
      const service = compose.services[name];
      assert.ok(service, `services/${name} has a compose service named ${name}`);
      assert.equal(service.build, '.', `${name} is built from the repo's Dockerfile`);
      assert.deepEqual(service.command?.slice(-1), [`dist/services/${name}/src/main.js`], `${name} runs its own main`);
      for (const port of service.ports ?? []) {
        assert.ok(!fixesHostPort(port), `${name} binds no fixed host port (${String(port)}), so it scales with --scale`);
      }
    }
  });

  it('when read, then no service of the fleet publishes its metrics port (Prometheus reaches it on the compose network)', () => {
    for (const { name, configSchema } of configs) {
      const setting = Object.values(configSchema).find((s) => /_METRICS_PORT$/.test(s.env));
      assert.ok(setting, `${name} has a metrics port of its own`);
      const port = String(compose.services[name]?.environment?.[setting.env] ?? setting.default);
      for (const published of compose.services[name]?.ports ?? []) {
        const container = typeof published === 'object' && published !== null ? String((published as { target: unknown }).target) : String(published).split(':').at(-1);
        assert.notEqual(container, port, `${name} publishes its metrics port ${port} (${String(published)})`);
      }
    }
  });

  for (const { name, configSchema } of configs) {
    it(`when ${name} starts, then every variable it requires is set and every variable set is one it knows`, () => {
      const environment = compose.services[name]?.environment ?? {};
      const known = new Set(Object.values(configSchema).map((setting) => setting.env));
      for (const setting of Object.values(configSchema)) {
        if (setting.default === undefined && !setting.optional) {
          assert.ok(setting.env in environment, `${name} requires ${setting.env}, which docker-compose.yml does not set`);
        }
      }
      for (const variable of Object.keys(environment)) {
        assert.ok(known.has(variable), `${name} sets ${variable}, which its config schema does not know`);
      }
      // The fleet must reach the servers compose runs, not the local defaults.
      assert.equal(environment.KAFKA_BROKERS, 'kafka:9092');
      assert.equal(environment.SCHEMA_REGISTRY_URL, 'http://schema-registry:8081');
      assert.equal(environment.REDIS_URL, 'redis://redis:6379');
    });
  }
});
