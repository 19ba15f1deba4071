import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { createKafka, createLogger, createSigningKey, KAFKA_HEADERS, topicNames } from '../../../shared/src/index.js';
import { consumeMessages } from '../../helpers/consume-messages.js';
import { fixture } from '../../helpers/fixtures.js';
import { postWebhook } from '../../helpers/ingress-under-test.js';
import { startReadyBalancer } from '../../helpers/ready-balancer.js';
import { spawnService, type RunningService } from '../../helpers/spawn-service.js';
import { testConfig } from '../../helpers/test-config.js';
import { uniqueName } from '../../helpers/unique-name.js';
import { waitFor } from '../../helpers/wait-for.js';

// What a load balancer sees during a rolling restart: it polls /readyz (every 100 ms here) and routes only to
// replicas that answered 200. The drain (/readyz 503 while webhooks are still taken) must let it stop routing to a
// replica before that replica closes its port, so no webhook is refused on the way.
describe('ingress: a rolling restart behind a load balancer', function () {
  this.timeout(180_000);

  it('when two replicas are restarted one after the other under a steady stream, then every webhook gets 2xx and every 2xx is on Kafka', async () => {
    const key = createSigningKey();
    const prefix = `${uniqueName('rolling')}.`;
    const env = { TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: '3', INGRESS_PORT: '0', INGRESS_DRAIN_MS: '1000', DYTE_WEBHOOK_PUBLIC_KEY: key.publicKeyPem };
    const balancer = await startReadyBalancer({ pollMs: 100 });
    const all: RunningService[] = [];
    const startReplica = async () => {
      const service = spawnService('ingress', env);
      all.push(service);
      const url = `http://127.0.0.1:${String((await service.waitForLog('listening')).port)}`;
      // Two steps, so that a failure says which one did not happen: the replica getting ready (Kafka, topics,
      // schemas), then the balancer's health check seeing it.
      await service.waitForLog('ready', 90_000);
      balancer.add(url);
      await waitFor(() => balancer.isReady(url), {
        timeoutMs: 60_000,
        description: () =>
          `the balancer to find ${url} ready (its last /readyz: ${balancer.lastAnswer(url)}; exit code ${String(service.child.exitCode)}; last lines: ${service.lines.slice(-5).join(' | ')})`,
      });
      return { service, url };
    };

    const answers: { id: string; status: number; topic?: unknown; code?: unknown }[] = [];
    let sending = true;
    const sender = async () => {
      // Bounded in count and time whatever happens: at most 20 000 webhooks, stopped by the test's end.
      for (let i = 0; sending && i < 5000; i++) {
        const id = randomUUID();
        const answer = await postWebhook({ url: balancer.url, key }, { ...fixture('seed', 'meeting-started'), meetingId: randomUUID() }, { headers: { 'dyte-uuid': id } });
        answers.push({ id, status: answer.status, topic: answer.body.topic, code: (answer.body.error as { code?: unknown } | undefined)?.code });
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    };
    const senders: Promise<void>[] = [];
    try {
      const replicas = [await startReplica(), await startReplica()];
      for (let s = 0; s < 4; s++) senders.push(sender());
      await waitFor(() => answers.length >= 50, { timeoutMs: 30_000, description: 'the stream to flow through both replicas' });

      for (let i = 0; i < replicas.length; i++) {
        const old = replicas[i] as { service: RunningService; url: string };
        const before = answers.length;
        assert.equal(await old.service.stop(), 0, `replica ${i} exits 0 after SIGTERM`);
        assert.ok(old.service.lines.some((line) => line.includes('"msg":"draining')), `replica ${i} drained before it stopped`);
        balancer.remove(old.url);
        replicas[i] = await startReplica();
        assert.ok(answers.length > before, `webhooks were sent while replica ${i} drained and restarted`);
      }
      const after = answers.length;
      await waitFor(() => answers.length >= after + 50, { timeoutMs: 30_000, description: 'the stream to flow through the new replicas' });
    } finally {
      sending = false;
      await Promise.all(senders);
      await Promise.all(all.map((service) => service.stop()));
      await balancer.stop();
    }

    const refused = answers.filter((answer) => answer.status < 200 || answer.status > 299);
    assert.deepEqual(refused.slice(0, 10), [], `${refused.length} of ${answers.length} webhooks were not answered 2xx`);
    assert.equal(all.length, 4, 'two replicas, each started again');
    const used = [...balancer.routed.values()].filter((count) => count > 0).length;
    assert.equal(used, 4, `every replica took traffic (${used} did)`);
    for (const service of all) assert.ok(service.lines.some((line) => line.includes('"msg":"stopped"')), 'each replica stopped gracefully');
    const topic = topicNames(prefix).meeting;
    assert.ok(answers.every((answer) => answer.topic === topic), `every 2xx names ${topic}`);

    const kafka = createKafka({ brokers: testConfig.kafkaBrokers, clientId: 'rolling-reader', logger: createLogger({ level: 'error', name: 'rolling' }) });
    const messages = await consumeMessages(kafka, topic, answers.length, { timeoutMs: 60_000 });
    const onKafka = new Set(messages.map((message) => message.headers?.[KAFKA_HEADERS.deliveryId.name]?.toString()));
    const missing = answers.filter((answer) => !onKafka.has(answer.id));
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} of ${answers.length} acknowledged webhooks are not on ${topic}`);
    console.log(`      rolling restart: ${answers.length} webhooks, all 2xx, all on Kafka; routed ${[...balancer.routed.values()].join(' / ')}`);
  });
});
