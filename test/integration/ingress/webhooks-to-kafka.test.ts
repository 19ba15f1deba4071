import { strict as assert } from 'node:assert';
import { loadFixtures, fixture } from '../../helpers/fixtures.js';
import { consumeMessages } from '../../helpers/consume-messages.js';
import { assertCarriesBody } from '../../helpers/expect-event.js';
import { postWebhook, startIngress, type IngressUnderTest } from '../../helpers/ingress-under-test.js';

describe('ingress: webhooks to Kafka (real broker and registry)', function () {
  this.timeout(120_000);
  let ingress: IngressUnderTest;

  before(async () => {
    ingress = await startIngress();
  });
  after(async () => {
    await ingress?.stop();
  });

  it('when every sample payload is posted signed, then each is answered 202 and decodes from its topic, field by field', async () => {
    const samples = [...loadFixtures('seed'), ...loadFixtures('domain')];
    const sent = new Map<string, Record<string, unknown>>();
    for (const [i, { name, body }] of samples.entries()) {
      const uuid = `uuid-${i}`;
      const answer = await postWebhook(ingress, body, { headers: { 'dyte-uuid': uuid, 'dyte-webhook-id': 'wh-1' } });
      assert.equal(answer.status, 202, `${name}: ${JSON.stringify(answer.body)}`);
      assert.equal(answer.body.stored, 'typed', name);
      sent.set(uuid, body);
    }
    const topics = ingress.app.topics;
    const byTopic = { meeting: 0, recording: 0, livestreaming: 0 } as Record<string, number>;
    for (const body of sent.values()) byTopic[String(body.event).split('.')[0] as string]! += 1;
    for (const resource of ['meeting', 'recording', 'livestreaming'] as const) {
      const messages = await consumeMessages(ingress.kafka, topics[resource], byTopic[resource] ?? 0);
      assert.equal(messages.length, byTopic[resource]);
      for (const message of messages) {
        const deliveryId = message.headers?.['delivery-id']?.toString() ?? '';
        const body = sent.get(deliveryId);
        assert.ok(body, `message with delivery-id ${deliveryId} was sent`);
        assert.equal(message.headers?.['event-type']?.toString(), body.event);
        assert.equal(message.headers?.['webhook-id']?.toString(), 'wh-1');
        assert.ok(!Number.isNaN(Date.parse(message.headers?.['received-at']?.toString() ?? '')), 'received-at is a date');
        assert.ok(message.value, 'has a value');
        assert.ok(!message.value.includes('sk_live_TOP_SECRET'), 'no stream key on Kafka');
        // Decoded with a client that knows only the registry URL.
        const decoded = { ...(await ingress.plainRegistry.decode(message.value)) } as Record<string, unknown>;
        const { streamKey: _secret, ...expected } = body;
        assertCarriesBody(decoded, expected);
        assert.equal((decoded.delivery as Record<string, unknown>).deliveryId, deliveryId);
        assert.equal(decoded.extraJson, null);
        const meeting = (body.meeting ?? {}) as Record<string, unknown>;
        const expectedKey = resource === 'livestreaming' ? body.streamId : (meeting.id ?? body.meetingId);
        assert.equal(message.key?.toString(), expectedKey, 'keyed by meeting id (stream id for livestreams)');
      }
    }
  });

  it('when RTK headers are used, then the rtk-signature verifies and rtk-uuid is the delivery id', async () => {
    const body = fixture('domain', 'meeting-chatSynced-rtk');
    const answer = await postWebhook(ingress, body, { family: 'rtk', headers: { 'rtk-uuid': 'rtk-delivery-1', 'rtk-webhook-id': 'rtk-wh' } });
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.equal(answer.body.deliveryId, 'rtk-delivery-1');
  });

  it('when the body is signed only in its compact JSON.stringify form (Dyte sample code) and the fallback is off (the default), then it is refused', async () => {
    const body = fixture('seed', 'meeting-ended');
    const pretty = Buffer.from(JSON.stringify(body, null, 2));
    const answer = await postWebhook(ingress, body, { raw: pretty, signature: ingress.key.sign(JSON.stringify(body)) });
    assert.equal(answer.status, 401, JSON.stringify(answer.body));
  });

  it('when an event type is unknown or a known one has unknown fields, then both are accepted and their JSON is recoverable', async () => {
    const { unknown, meeting } = ingress.app.topics;
    const unknownEvent = { event: 'whiteboard.exported', whiteboardId: 'wb-1', pages: [{ n: 1 }] };
    const extraField = { ...fixture('seed', 'meeting-started'), aiNotes: { enabled: true } };
    const first = await postWebhook(ingress, unknownEvent, { headers: { 'dyte-uuid': 'u-unknown' } });
    const second = await postWebhook(ingress, extraField, { headers: { 'dyte-uuid': 'u-extra' } });
    assert.equal(first.status, 202, JSON.stringify(first.body));
    assert.equal(first.body.stored, 'raw');
    assert.equal(second.status, 202, JSON.stringify(second.body));
    assert.equal(second.body.stored, 'typed');

    const [raw] = await consumeMessages(ingress.kafka, unknown, 1);
    const decodedRaw = (await ingress.plainRegistry.decode(raw?.value as Buffer)) as Record<string, unknown>;
    assert.equal(decodedRaw.reason, 'UNKNOWN_EVENT');
    assert.deepEqual(JSON.parse(String(decodedRaw.json)), unknownEvent);

    const messages = await consumeMessages(ingress.kafka, meeting, 1);
    const typed = messages.find((m) => m.headers?.['delivery-id']?.toString() === 'u-extra');
    assert.ok(typed?.value, 'the typed record with an extra field is on the meeting topic');
    const decoded = (await ingress.plainRegistry.decode(typed.value)) as Record<string, unknown>;
    assert.deepEqual(JSON.parse(String(decoded.extraJson)), { aiNotes: { enabled: true } });
  });

  it('when a known event breaks its schema, then it is still accepted, as a RawEvent that names the problem', async () => {
    const body = { event: 'meeting.transcript', meeting: { id: 'm-1' }, transcriptDownloadUrl: 42 };
    const answer = await postWebhook(ingress, body);
    assert.equal(answer.status, 202, JSON.stringify(answer.body));
    assert.equal(answer.body.stored, 'raw');
    assert.deepEqual(answer.body.problems, ['transcriptDownloadUrl must be a string (got number)']);
  });

  it('when 200 webhooks arrive at once, then all are acked and they share produce requests', async () => {
    const body = fixture('seed', 'meeting-participantJoined');
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => postWebhook(ingress, body, { headers: { 'dyte-uuid': `burst-${i}` } })),
    );
    assert.deepEqual(answers.filter((a) => a.status !== 202), []);
    const batches = (await ingress.app.metrics.batchRecords.get()).values;
    const count = batches.find((v) => v.metricName?.endsWith('_count'))?.value ?? 0;
    const sum = batches.find((v) => v.metricName?.endsWith('_sum'))?.value ?? 0;
    assert.ok(sum / count > 1, `records per produce request ${sum}/${count} > 1`);
  });
});
