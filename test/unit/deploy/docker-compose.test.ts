import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { providerSettings } from '../../../shared/src/index.js';
import { repoRoot as root, serviceConfigs } from '../../helpers/service-configs.js';

// docker compose cannot run on the machines this is developed on, so its file is checked as data.

interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string | number>;
  ports?: string[];
  healthcheck?: { test?: string[] };
  stop_grace_period?: string;
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

  it('when read, then every service of the fleet is healthy only when ready (the image\'s healthcheck script asking /readyz)', () => {
    for (const name of fleet) {
      assert.deepEqual(compose.services[name]?.healthcheck?.test, ['CMD', 'node', 'healthcheck.js', '/readyz'], `${name}'s healthcheck`);
    }
  });

  it("when the ingress is stopped, then compose waits for its drain and its graceful stop before killing it", () => {
    const ingress = compose.services.ingress;
    const drainMs = Number(ingress?.environment?.INGRESS_DRAIN_MS);
    const grace = Number(/^(\d+)s$/.exec(String(ingress?.stop_grace_period))?.[1]) * 1000;
    assert.ok(drainMs > 0, 'INGRESS_DRAIN_MS is set');
    assert.ok(grace >= drainMs + 25_000, `stop_grace_period ${ingress?.stop_grace_period} covers the ${drainMs} ms drain and runService's 25 s`);
  });

  it('when PROVIDER and its credentials are set where compose runs, then the dispatcher and the downloader get them, and the API is off when they are not', () => {
    const credentials = Object.values(providerSettings())
      .filter((setting) => setting.optional)
      .map((setting) => setting.env);
    assert.ok(credentials.length >= 5, `the provider's credential variables (${credentials.join(', ')})`);
    for (const name of ['dispatcher', 'downloader']) {
      const environment = compose.services[name]?.environment ?? {};
      assert.equal(environment.PROVIDER, '${PROVIDER:-none}', `${name}: PROVIDER from where compose runs, none by default`);
      // Empty when unset there, which the services read as unset (a half-configured provider is refused at start).
      for (const env of credentials) assert.equal(environment[env], `\${${env}:-}`, `${name}: ${env} from where compose runs`);
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

// docker-compose.cluster.yml is laid over docker-compose.yml (`-f docker-compose.yml -f docker-compose.cluster.yml`):
// compose merges mappings key by key, and a service only in the second file is added.
function mergeCompose(base: unknown, over: unknown): unknown {
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof over !== 'object' || over === null || Array.isArray(over)) {
    return over === undefined ? base : over;
  }
  const merged: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(over as Record<string, unknown>)) merged[key] = mergeCompose(merged[key], value);
  return merged;
}

interface ClusterService extends ComposeService {
  deploy?: { replicas?: number };
}

describe('docker-compose.cluster.yml (laid over docker-compose.yml)', () => {
  const over = parse(readFileSync(join(root, 'docker-compose.cluster.yml'), 'utf8'), { merge: true }) as { services: Record<string, ClusterService> };
  const cluster = mergeCompose(compose, over) as { services: Record<string, ClusterService> };
  const nodes = Object.entries(cluster.services).filter(([, service]) => service.image?.startsWith('apache/kafka:'));
  const stackKafka = /<kafka\.version>(.+)<\/kafka\.version>/.exec(readFileSync(join(root, 'scripts', 'stack', 'pom.xml'), 'utf8'))?.[1];

  it('when merged, then it runs three KRaft nodes, each broker and controller, all voters, with one cluster id', () => {
    assert.equal(nodes.length, 3, `three Kafka nodes (${nodes.map(([name]) => name).join(', ')})`);
    const ids = nodes.map(([, service]) => String(service.environment?.KAFKA_NODE_ID));
    assert.equal(new Set(ids).size, 3, `distinct node ids (${ids.join(', ')})`);
    const voters = nodes.map(([name, service]) => `${String(service.environment?.KAFKA_NODE_ID)}@${name}:9093`).sort();
    for (const [name, service] of nodes) {
      const env = service.environment ?? {};
      assert.equal(env.KAFKA_PROCESS_ROLES, 'broker,controller', `${name} is broker and controller`);
      assert.deepEqual(String(env.KAFKA_CONTROLLER_QUORUM_VOTERS).split(',').sort(), voters, `${name} knows all three voters`);
      assert.equal(env.KAFKA_ADVERTISED_LISTENERS, `PLAINTEXT://${name}:9092`, `${name} advertises its own name`);
      assert.equal(env.CLUSTER_ID, nodes[0]?.[1].environment?.CLUSTER_ID, `${name} shares the cluster id`);
      assert.equal(String(env.KAFKA_DEFAULT_REPLICATION_FACTOR), '3');
      assert.equal(String(env.KAFKA_MIN_INSYNC_REPLICAS), '2');
      assert.equal(String(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR), '3', `${name}: consumer offsets replicated too`);
      assert.equal(service.image, `apache/kafka:${stackKafka}`, `${name} runs the local stack's Kafka (scripts/stack/pom.xml)`);
    }
    assert.equal(compose.services.kafka?.image, `apache/kafka:${stackKafka}`, "docker-compose.yml runs the local stack's Kafka");
  });

  it('when merged, then every service of the fleet reaches all three nodes, replicates 3 with min.insync.replicas 2, and runs two replicas', () => {
    const brokers = nodes.map(([name]) => `${name}:9092`).sort();
    for (const { name, configSchema } of configs) {
      const service = cluster.services[name];
      const env = service?.environment ?? {};
      assert.deepEqual(String(env.KAFKA_BROKERS).split(',').sort(), brokers, `${name} bootstraps from every node`);
      assert.equal(String(env.TOPIC_REPLICATION_FACTOR), '3', `${name}: replication factor 3`);
      assert.equal(String(env.TOPIC_MIN_INSYNC_REPLICAS), '2', `${name}: min.insync.replicas 2`);
      assert.ok((service?.deploy?.replicas ?? 1) >= 2, `${name} runs at least two replicas`);
      const known = new Set(Object.values(configSchema).map((setting) => setting.env));
      for (const variable of Object.keys(env)) assert.ok(known.has(variable), `${name} sets ${variable}, which its config schema does not know`);
      for (const port of service?.ports ?? []) assert.ok(!fixesHostPort(port), `${name} binds no fixed host port (${String(port)})`);
    }
  });

  it('when merged, then every image is still pinned to a version', () => {
    for (const [name, service] of Object.entries(cluster.services)) {
      const tag = /:([^/:]+)$/.exec(service.image ?? '')?.[1];
      assert.ok(tag && tag !== 'latest' && /\d/.test(tag), `service ${name}: image ${String(service.image)} is pinned to a version`);
    }
  });
});
