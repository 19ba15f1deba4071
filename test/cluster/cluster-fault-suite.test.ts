import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { createKafka, createLogger, createSigningKey, topicNames } from '../../shared/src/index.js';
import { ArtifactServer } from '../../scripts/stand-ins/artifact-server.js';
import { archiveFleetEnv, dropArchiveQueues } from '../helpers/archive-fleet.js';
import { dyteTimestamp, watchArchive } from '../helpers/archive-watcher.js';
import { consumeMessages } from '../helpers/consume-messages.js';
import { fixture } from '../helpers/fixtures.js';
import { formatTable } from '../../scripts/format-table.js';
import { postWebhook } from '../helpers/ingress-under-test.js';
import { busiestPartition, localCluster, waitForFullIsr } from '../helpers/local-cluster.js';
import { repoRoot } from '../helpers/service-configs.js';
import { spawnService, type RunningService } from '../helpers/spawn-service.js';
import { testConfig } from '../helpers/test-config.js';
import { uniqueName } from '../helpers/unique-name.js';
import { waitFor } from '../helpers/wait-for.js';

interface Sent {
  phase: string;
  id: string;
  status: number;
  startedAt: number;
  ms: number;
  /** Set for artifact events: the session whose chat file must end archived or failed. */
  sessionId?: string;
}

const BELOW_MIN_ISR = 'two nodes down (below min ISR)';

describe('cluster fault suite: Kafka nodes fail under a steady stream through two replicas of each service, nothing lost', function () {
  this.timeout(2_400_000);

  it('when a leader, the active controller, each node in turn and two nodes at once go down, then every 2xx is on Kafka, every artifact ends archived or failed, and below min.insync.replicas the ingress answers 503 in time', async () => {
    localCluster.assertOwned(3);
    const logger = createLogger({ level: 'error', name: 'cluster-faults' });
    const key = createSigningKey();
    const server = await new ArtifactServer().start();
    const archiveDir = await mkdtemp(join(tmpdir(), 'cluster-faults-'));
    const prefix = `${uniqueName('cluster')}.`;
    const ackTimeoutMs = 2000;
    const env = archiveFleetEnv(prefix, archiveDir, {
      // What platform teams run: three copies, an ack needs two of them.
      TOPIC_PARTITIONS: '6',
      TOPIC_REPLICATION_FACTOR: '3',
      TOPIC_MIN_INSYNC_REPLICAS: '2',
      DOWNLOAD_LOCK_MS: '4000',
      DOWNLOAD_IDLE_TIMEOUT_MS: '5000',
      INGRESS_PORT: '0',
      INGRESS_ACK_TIMEOUT_MS: String(ackTimeoutMs),
      DYTE_WEBHOOK_PUBLIC_KEY: key.publicKeyPem,
    }, server);
    const ingressUrls: string[] = [];
    // Every process is kept from its spawn on, so that one that never gets ready is still stopped and its log kept.
    const services: Record<string, RunningService> = {};
    const spawnNamed = (name: string) => (services[name] = spawnService(name.replace(/-\d+$/, ''), env));
    const startIngress = async (replica: number) => {
      const service = spawnNamed(`ingress-${replica + 1}`);
      const line = await service.waitForLog('listening', 120_000);
      ingressUrls[replica] = `http://127.0.0.1:${String(line.port)}`;
      await service.waitForLog('ready', 180_000);
    };
    const startService = async (name: string, message: string) => {
      await spawnNamed(name).waitForLog(message, 180_000);
    };
    const started = await Promise.allSettled([
      startIngress(0), startIngress(1),
      startService('dispatcher-1', 'consuming'), startService('dispatcher-2', 'consuming'),
      startService('downloader-1', 'downloading'), startService('downloader-2', 'downloading'),
    ]);
    const kafka = createKafka({ brokers: testConfig.kafkaBrokers, clientId: 'cluster-faults-reader', logger });
    const admin = kafka.admin();
    const cleanUp = async () => {
      await admin.disconnect();
      await Promise.all(Object.values(services).map((s) => s.stop()));
      // The services' own logs, for a run that failed: .stack/logs/cluster-faults-<service>.log.
      for (const [name, service] of Object.entries(services)) {
        writeFileSync(join(repoRoot, '.stack', 'logs', `cluster-faults-${name}.log`), `${service.lines.join('\n')}\n`);
      }
      // A node a failed run left down is started again, for the next run.
      await localCluster.start();
      await server.close();
      await dropArchiveQueues(env.ARCHIVE_QUEUE);
      await rm(archiveDir, { recursive: true, force: true });
    };
    try {
      const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failed) throw failed.reason;
      await run();
    } finally {
      await cleanUp();
    }

    async function run(): Promise<void> {

      const sent: Sent[] = [];
      let phase = 'warm-up';
      let sending = true;
      let next = 0;
      const sender = async (replica: number) => {
        while (sending) {
          const id = randomUUID();
          let body: Record<string, unknown>;
          let sessionId: string | undefined;
          if (next++ % 5 === 0) {
            sessionId = randomUUID();
            const name = `${sessionId}/chat.csv`;
            server.add(name, { size: 32 * 1024 });
            const link = server.url(name);
            body = { event: 'meeting.chatSynced', meetingId: randomUUID(), sessionId, chatDownloadUrl: link.url, chatDownloadUrlExpiry: dyteTimestamp(link.expiresAt) };
          } else {
            body = fixture('seed', 'meeting-participantJoined');
          }
          const startedPhase = phase;
          const startedAt = Date.now();
          const answer = await postWebhook({ url: ingressUrls[replica] as string, key }, body, { headers: { 'dyte-uuid': id } }).catch(() => ({ status: 0 }));
          sent.push({ phase: startedPhase, id, status: answer.status, startedAt, ms: Date.now() - startedAt, sessionId });
          // A steady stream, not a flood: about 20 webhooks a second per sender, two senders per ingress replica.
          await new Promise((resolve) => setTimeout(resolve, answer.status === 202 ? 50 : 100));
        }
      };
      const senders = [0, 1, 0, 1].map(sender);
      const accepted = () => sent.filter((s) => s.status === 202).length;
      // A stretch lasts until `count` more webhooks were accepted.
      const steady = async (count: number) => {
        const start = accepted();
        await waitFor(() => accepted() >= start + count, { timeoutMs: 300_000, intervalMs: 200, description: `${count} webhooks accepted in phase ${phase}` });
      };

      await admin.connect();
      const topics = topicNames(prefix);
      // The dispatchers' committed offsets must survive too: their topic is waited for like the fleet's.
      const inSync = () => waitForFullIsr(admin, [...Object.values(topics), '__consumer_offsets']);
      const notes: string[] = [];
      let belowMinIsr = { from: 0, until: 0 };

      const faults: { name: string; inject: () => Promise<void> }[] = [
        {
          name: 'kill -9 leader of the busiest partition, restart',
          inject: async () => {
            const busiest = await busiestPartition(admin, topics.meeting);
            notes.push(`busiest partition: ${topics.meeting}[${busiest.partition}] (${busiest.records} records), led by node ${busiest.leader}`);
            await localCluster.kill(busiest.leader);
            await steady(60);
            await localCluster.start(busiest.leader);
            await inSync();
          },
        },
        {
          name: 'kill -9 active controller, restart',
          inject: async () => {
            const controller = await localCluster.activeController();
            await localCluster.kill(controller);
            await steady(60);
            const successor = await localCluster.activeController();
            notes.push(`active controller: node ${controller}, after its kill node ${successor}`);
            await localCluster.start(controller);
            await inSync();
          },
        },
        {
          name: 'rolling restart, ISR waited',
          inject: async () => {
            for (const node of localCluster.nodes()) {
              await localCluster.stop(node);
              await localCluster.start(node);
              await inSync();
              await steady(20);
            }
          },
        },
        {
          name: BELOW_MIN_ISR,
          inject: async () => {
            const [first, second] = localCluster.nodes();
            await Promise.all([localCluster.kill(first as number), localCluster.kill(second as number)]);
            // Only webhooks sent once both are gone count here: those in flight before may rightly have been acked.
            phase = BELOW_MIN_ISR;
            belowMinIsr = { from: Date.now(), until: 0 };
            await waitFor(() => sent.filter((s) => s.phase === BELOW_MIN_ISR).length >= 40, {
              timeoutMs: 300_000,
              intervalMs: 200,
              description: 'answers while two nodes are down',
            });
            belowMinIsr.until = Date.now();
            phase = 'one node back, then the other';
            await localCluster.start(first);
            await steady(30);
            await localCluster.start(second);
            await inSync();
          },
        },
      ];

      const rssAfterWarmUp: Record<string, number> = {};
      const began = Date.now();
      const progress = (what: string) => console.log(`      ${Math.round((Date.now() - began) / 1000)}s ${what} (${accepted()} accepted of ${sent.length} sent)`);
      try {
        await steady(60);
        for (const [name, service] of Object.entries(services)) rssAfterWarmUp[name] = Math.round(service.rssBytes() / 1024 / 1024);
        for (const fault of faults) {
          phase = fault.name;
          progress(`${fault.name}: injecting`);
          await fault.inject();
          progress(`${fault.name}: cleared`);
          await steady(60);
          for (const url of ingressUrls) {
            await waitFor(async () => (await fetch(`${url}/readyz`)).status === 200, { timeoutMs: 60_000, description: `ingress ${url} ready after: ${fault.name}` });
          }
        }
        phase = 'cool-down';
        await steady(30);
        progress('cool-down done');
      } finally {
        sending = false;
        await Promise.all(senders);
      }

      const registry = new SchemaRegistry({ host: testConfig.schemaRegistryUrl });
      const archive = await watchArchive(kafka, topics.archive, registry);
      try {
        // Every record on the topic, read by a consumer group from the beginning: webhooks answered 503 may be on it
        // too (Dyte would retry them), so the count is the topic's, not the 2xx answers'.
        const offsets = await admin.fetchTopicOffsets(topics.meeting);
        const total = offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
        const messages = await consumeMessages(kafka, topics.meeting, total, { timeoutMs: 180_000 });
        const onKafka = new Set(messages.map((m) => m.headers?.['delivery-id']?.toString()));
        const artifacts = sent.filter((s) => s.status === 202 && s.sessionId);
        // A missing result is reported in the table (lost) rather than thrown here, so a failing run shows where.
        const archiveOffsets = await admin.fetchTopicOffsets(topics.archive);
        await waitFor(() => artifacts.every((s) => archive.about(`chat.${s.sessionId}`).length > 0), {
          timeoutMs: 300_000,
          intervalMs: 500,
          description: `a result for each of ${artifacts.length} artifacts`,
        }).catch((error: unknown) => {
          const onTopic = archiveOffsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
          console.log(`      ${error instanceof Error ? error.message : String(error)}: ${archive.results.length} results read of ${onTopic} on ${topics.archive}`);
        });
        progress(`results read: ${archive.results.length}`);

        const phases = ['warm-up', ...faults.flatMap((f) => (f.name === BELOW_MIN_ISR ? [f.name, 'one node back, then the other'] : [f.name])), 'cool-down'];
        const rows = phases.map((name) => {
          const inPhase = sent.filter((s) => s.phase === name);
          const ok = inPhase.filter((s) => s.status === 202);
          const results = ok.filter((s) => s.sessionId).map((s) => archive.about(`chat.${s.sessionId}`));
          const archived = results.filter((r) => r.length > 0 && r.every((x) => x.type === 'ArtifactArchived')).length;
          const failedResults = results.filter((r) => r.length > 0 && r.every((x) => x.type === 'ArtifactFailed')).length;
          const lost = ok.filter((s) => !onKafka.has(s.id)).length + results.filter((r) => r.length === 0).length;
          return {
            fault: name,
            sent: inPhase.length,
            '2xx': ok.length,
            // Not a bare '503': an integer-like key would be listed before every other column.
          '503s': inPhase.filter((s) => s.status === 503).length,
            other: inPhase.filter((s) => s.status !== 202 && s.status !== 503).length,
            'slowest ms': Math.max(0, ...inPhase.map((s) => s.ms)),
            onKafka: ok.filter((s) => onKafka.has(s.id)).length,
            archived,
            failed: failedResults,
            lost,
          };
        });
        console.log('\n' + formatTable(rows));
        const missing = sent.filter((s) => s.status === 202 && (!onKafka.has(s.id) || (s.sessionId && archive.about(`chat.${s.sessionId}`).length === 0)));
        for (const s of missing.slice(0, 5)) console.log(`      lost: ${s.phase}: delivery ${s.id}${s.sessionId ? `, chat.${s.sessionId}` : ''} (${onKafka.has(s.id) ? 'on Kafka, no archive result' : 'not on Kafka'})`);
        for (const note of notes) console.log(`      ${note}`);

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

        // Below min.insync.replicas no write can be acknowledged: every webhook sent and answered while two nodes were
        // down got 503, inside the ingress's deadline (plus a second of scheduling on a busy machine).
        const down = sent.filter((s) => s.phase === BELOW_MIN_ISR && s.startedAt + s.ms < belowMinIsr.until);
        assert.ok(down.length >= 20, `enough answers while two nodes were down (${down.length})`);
        assert.deepEqual(down.filter((s) => s.status !== 503).map((s) => s.status), [], 'only 503 while two nodes are down');
        const slowest = Math.max(...down.map((s) => s.ms));
        assert.ok(slowest < ackTimeoutMs + 1000, `503 within INGRESS_ACK_TIMEOUT_MS ${ackTimeoutMs} (+1 s) while two nodes are down (slowest ${slowest} ms)`);

        // No service was restarted: memory is compared between the end of the warm-up and the end of the run.
        const rss = Object.fromEntries(Object.entries(services).map(([name, service]) => [name, Math.round(service.rssBytes() / 1024 / 1024)]));
        console.log(`      resident memory after the warm-up (MB): ${JSON.stringify(rssAfterWarmUp)}`);
        console.log(`      resident memory at the end (MB):        ${JSON.stringify(rss)}`);
        for (const [name, mb] of Object.entries(rss)) {
          assert.ok(mb < 300, `${name} uses ${mb} MB (< 300 MB) after the run`);
          assert.ok(mb - (rssAfterWarmUp[name] ?? 0) < 100, `${name} grew by ${mb - (rssAfterWarmUp[name] ?? 0)} MB (< 100 MB) over the run`);
        }
        for (const [name, service] of Object.entries(services)) assert.equal(service.child.exitCode, null, `${name} still running`);
      } finally {
        await archive.stop();
      }
    }
  });
});
