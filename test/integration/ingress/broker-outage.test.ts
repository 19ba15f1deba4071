import { strict as assert } from 'node:assert';
import { consumeMessages } from '../../helpers/consume-messages.js';
import { fixture } from '../../helpers/fixtures.js';
import { postWebhook, startIngress } from '../../helpers/ingress-under-test.js';
import { localKafka } from '../../helpers/local-kafka.js';
import { waitFor } from '../../helpers/wait-for.js';

describe('ingress: the broker stops during a stream of webhooks', function () {
  this.timeout(240_000);

  it('when Kafka stops and comes back, then every webhook answered 2xx is on the topic and the rest got 503 in time', async () => {
    localKafka.assertOwned();
    const ingress = await startIngress({ settings: { ackTimeoutMs: 1500 } });
    const answers: { id: string; status: number; ms: number }[] = [];
    let sending = true;
    let next = 0;
    const body = fixture('seed', 'meeting-participantLeft');
    const sender = async () => {
      while (sending) {
        const id = `outage-${next++}`;
        const started = Date.now();
        const answer = await postWebhook(ingress, body, { headers: { 'dyte-uuid': id } }).catch(() => ({ status: 0 }));
        answers.push({ id, status: answer.status, ms: Date.now() - started });
      }
    };
    const count = (status: number) => answers.filter((a) => a.status === status).length;
    const senders = [sender(), sender(), sender(), sender()];
    try {
      await waitFor(() => count(202) >= 50, { timeoutMs: 30_000, description: '50 webhooks accepted before the outage' });
      await localKafka.stop();
      await waitFor(() => count(503) >= 5, { timeoutMs: 60_000, description: '503 answers while Kafka is down' });
      await localKafka.start();
      const acceptedBefore = count(202);
      await waitFor(() => count(202) >= acceptedBefore + 50, { timeoutMs: 120_000, description: '50 more webhooks accepted after Kafka is back' });
    } finally {
      sending = false;
      await Promise.all(senders);
      await localKafka.start();
      await ingress.stop();
    }

    // One line for the closing note of a run: what the outage looked like.
    console.log(`      outage: ${answers.length} sent, ${count(202)} answered 202, ${count(503)} answered 503, slowest answer ${Math.max(...answers.map((a) => a.ms))} ms`);
    const unexpected = answers.filter((a) => a.status !== 202 && a.status !== 503);
    assert.deepEqual(unexpected, [], 'only 202 or 503 answers');
    const slowest = Math.max(...answers.map((a) => a.ms));
    assert.ok(slowest < 3000, `every answer inside Dyte's 3 s (slowest ${slowest} ms)`);

    const accepted = new Set(answers.filter((a) => a.status === 202).map((a) => a.id));
    const messages = await consumeMessages(ingress.kafka, ingress.app.topics.meeting, accepted.size, { timeoutMs: 60_000 });
    const onKafka = new Set(messages.map((m) => m.headers?.['delivery-id']?.toString()));
    const lost = [...accepted].filter((id) => !onKafka.has(id));
    assert.deepEqual(lost, [], `every 2xx is on Kafka (${accepted.size} accepted, ${count(503)} answered 503)`);
  });
});
