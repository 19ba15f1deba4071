import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKafka, createLogger, createSigningKey } from '../../shared/src/index.js';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { archiveFleetEnv } from '../helpers/archive-fleet.js';
import { ArtifactServer } from '../../scripts/stand-ins/artifact-server.js';
import { dyteTimestamp, watchArchive } from '../helpers/archive-watcher.js';
import { consumeMessages } from '../helpers/consume-messages.js';
import { fixture } from '../helpers/fixtures.js';
import { formatTable } from '../../scripts/format-table.js';
import { postWebhook } from '../helpers/ingress-under-test.js';
import { localKafka } from '../helpers/local-kafka.js';
import { PersistentRedis } from '../helpers/persistent-redis.js';
import { spawnService, type RunningService } from '../helpers/spawn-service.js';
import { testConfig } from '../helpers/test-config.js';
import { uniqueName } from '../helpers/unique-name.js';
import { waitFor } from '../helpers/wait-for.js';

interface Sent {
  phase: string;
  id: string;
  status: number;
  /** Set for artifact events: the session whose chat file must end archived or failed. */
  sessionId?: string;
}

describe('fault suite: faults under a steady stream of signed webhooks, nothing lost', function () {
  this.timeout(900_000);

  it('when each fault is injected and cleared, then every 2xx is on Kafka and every artifact ends archived or failed', async () => {
    localKafka.assertOwned();
    const logger = createLogger({ level: 'error', name: 'faults' });
    const key = createSigningKey();
    const server = await new ArtifactServer().start();
    const redis = new PersistentRedis(6391);
    await redis.start();
    const archiveDir = await mkdtemp(join(tmpdir(), 'faults-'));
    const prefix = `${uniqueName('faults')}.`;
    const env = archiveFleetEnv(prefix, archiveDir, {
      REDIS_URL: redis.url,
      DOWNLOAD_LOCK_MS: '4000',
      DOWNLOAD_IDLE_TIMEOUT_MS: '5000',
      INGRESS_PORT: '0',
      DYTE_WEBHOOK_PUBLIC_KEY: key.publicKeyPem,
    }, server);
    const services: Record<'ingress' | 'dispatcher' | 'downloader', RunningService | undefined> = { ingress: undefined, dispatcher: undefined, downloader: undefined };
    let ingressUrl = '';
    const startIngress = async () => {
      services.ingress = spawnService('ingress', env);
      const line = await services.ingress.waitForLog('listening');
      ingressUrl = `http://127.0.0.1:${String(line.port)}`;
      await services.ingress.waitForLog('ready', 120_000);
    };
    const startDispatcher = async () => {
      services.dispatcher = spawnService('dispatcher', env);
      await services.dispatcher.waitForLog('consuming', 120_000);
    };
    const startDownloader = async () => {
      services.downloader = spawnService('downloader', env);
      await services.downloader.waitForLog('downloading', 120_000);
    };
    await Promise.all([startIngress(), startDispatcher(), startDownloader()]);

    const sent: Sent[] = [];
    let phase = 'warm-up';
    let sending = true;
    const sender = async () => {
      while (sending) {
        const id = randomUUID();
        let body: Record<string, unknown>;
        let sessionId: string | undefined;
        if (sent.length % 5 === 0) {
          sessionId = randomUUID();
          const name = `${sessionId}/chat.csv`;
          server.add(name, { size: 32 * 1024 });
          const link = server.url(name);
          body = { event: 'meeting.chatSynced', meetingId: randomUUID(), sessionId, chatDownloadUrl: link.url, chatDownloadUrlExpiry: dyteTimestamp(link.expiresAt) };
        } else {
          body = fixture('seed', 'meeting-participantJoined');
        }
        const answer = await postWebhook({ url: ingressUrl, key }, body, { headers: { 'dyte-uuid': id } }).catch(() => ({ status: 0 }));
        sent.push({ phase, id, status: answer.status, sessionId });
        // A steady stream, not a flood: about 20 webhooks a second per sender.
        await new Promise((resolve) => setTimeout(resolve, answer.status === 202 ? 50 : 100));
      }
    };
    const senders = [sender(), sender(), sender()];
    // A phase lasts until it has seen `count` webhooks accepted after its fault was injected and cleared.
    const steady = async (count: number) => {
      const start = sent.filter((s) => s.status === 202).length;
      await waitFor(() => sent.filter((s) => s.status === 202).length >= start + count, { timeoutMs: 180_000, description: `webhooks accepted in phase ${phase}` });
    };
    const faults: { name: string; inject: () => Promise<void> }[] = [
      { name: 'kill -9 Kafka, restart', inject: async () => { await localKafka.kill(); await localKafka.start(); } },
      { name: 'kill -9 ingress, restart', inject: async () => { await services.ingress?.kill(); await startIngress(); } },
      { name: 'kill -9 dispatcher, restart', inject: async () => { await services.dispatcher?.kill(); await startDispatcher(); } },
      {
        name: 'kill -9 downloader mid-file, restart',
        inject: async () => {
          const big = randomUUID();
          server.add(`${big}/chat.csv`, { size: 30 * 1024 * 1024, bytesPerSecond: 10 * 1024 * 1024 });
          const link = server.url(`${big}/chat.csv`);
          const id = randomUUID();
          const answer = await postWebhook({ url: ingressUrl, key }, { event: 'meeting.chatSynced', meetingId: randomUUID(), sessionId: big, chatDownloadUrl: link.url, chatDownloadUrlExpiry: dyteTimestamp(link.expiresAt) }, { headers: { 'dyte-uuid': id } });
          sent.push({ phase, id, status: answer.status, sessionId: big });
          const partial = join(archiveDir, '.partial', `chat.${big}.part`);
          await waitFor(() => existsSync(partial), { timeoutMs: 60_000, description: 'the large download to start' });
          await services.downloader?.kill();
          await startDownloader();
        },
      },
      { name: 'restart Redis (AOF, fsync always)', inject: async () => { await redis.restart(); } },
      { name: 'stop the registry, restart', inject: async () => { await localKafka.stopRegistry(); await new Promise((r) => setTimeout(r, 3000)); await localKafka.start(); } },
      { name: 'artifact server answers 503 for 5 s', inject: async () => { server.outageStatus = 503; await new Promise((r) => setTimeout(r, 5000)); server.outageStatus = undefined; } },
    ];

    const kafka = createKafka({ brokers: testConfig.kafkaBrokers, clientId: 'faults-reader', logger });
    const registry = new SchemaRegistry({ host: testConfig.schemaRegistryUrl });
    try {
      await steady(60);
      for (const fault of faults) {
        phase = fault.name;
        await fault.inject();
        await steady(60);
        assert.equal((await fetch(`${ingressUrl}/readyz`)).status, 200, `ingress ready after: ${fault.name}`);
      }
      phase = 'cool-down';
      await steady(30);
    } finally {
      sending = false;
      await Promise.all(senders);
    }

    const archive = await watchArchive(kafka, `${prefix}archive`, registry);
    try {
      const accepted = sent.filter((s) => s.status === 202);
      const messages = await consumeMessages(kafka, `${prefix}meeting`, accepted.length, { timeoutMs: 120_000 });
      const onKafka = new Set(messages.map((m) => m.headers?.['delivery-id']?.toString()));
      const artifacts = accepted.filter((s) => s.sessionId);
      await waitFor(() => artifacts.every((s) => archive.about(`chat.${s.sessionId}`).length > 0), {
        timeoutMs: 300_000,
        description: `a result for each of ${artifacts.length} artifacts`,
      });

      const rows = ['warm-up', ...faults.map((f) => f.name), 'cool-down'].map((name) => {
        const inPhase = sent.filter((s) => s.phase === name);
        const ok = inPhase.filter((s) => s.status === 202);
        const results = ok.filter((s) => s.sessionId).map((s) => archive.about(`chat.${s.sessionId}`));
        const archived = results.filter((r) => r.length > 0 && r.every((x) => x.type === 'ArtifactArchived')).length;
        const failed = results.filter((r) => r.length > 0 && r.every((x) => x.type === 'ArtifactFailed')).length;
        const lost = ok.filter((s) => !onKafka.has(s.id)).length + results.filter((r) => r.length === 0).length;
        return { fault: name, sent: inPhase.length, '2xx': ok.length, onKafka: ok.filter((s) => onKafka.has(s.id)).length, archived, failed, lost };
      });
      console.log('\n' + formatTable(rows));

      for (const s of artifacts) {
        const results = archive.about(`chat.${s.sessionId}`);
        const archived = results.filter((r) => r.type === 'ArtifactArchived');
        if (archived.length > 0) {
          assert.ok(results.every((r) => r.type === 'ArtifactArchived'), `chat.${s.sessionId}: archived and failed both reported`);
          const shas = new Set(archived.map((r) => r.value.sha256));
          assert.deepEqual([...shas], [server.sha256(`${s.sessionId}/chat.csv`)], `chat.${s.sessionId}: checksum`);
          assert.ok(existsSync(fileURLToPath(String(archived[0]?.value.location))), `chat.${s.sessionId}: the file exists`);
        }
      }
      assert.deepEqual(rows.filter((r) => r.lost > 0), [], 'nothing lost under any fault');
      // Every service was restarted by some fault, so memory is judged as a bound at the end of the run.
      const rss = Object.fromEntries(Object.entries(services).map(([name, service]) => [name, Math.round((service?.rssBytes() ?? 0) / 1024 / 1024)]));
      console.log(`      resident memory at the end (MB): ${JSON.stringify(rss)}`);
      for (const [name, mb] of Object.entries(rss)) assert.ok(mb < 300, `${name} uses ${mb} MB (< 300 MB) after the run`);
      for (const [name, service] of Object.entries(services)) assert.equal(service?.child.exitCode, null, `${name} still running`);
    } finally {
      await archive.stop();
      await Promise.all(Object.values(services).map((s) => s?.stop()));
      await server.close();
      await redis.stop();
      await rm(archiveDir, { recursive: true, force: true });
    }
  });
});
