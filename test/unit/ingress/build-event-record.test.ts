import { strict as assert } from 'node:assert';
import { loadSchemaCatalog, type Delivery } from '../../../shared/src/index.js';
import { buildEventRecord } from '../../../services/ingress/src/domain/build-event-record.js';
import { removeSecrets } from '../../../services/ingress/src/domain/remove-secrets.js';
import { fixture, loadFixtures } from '../../helpers/fixtures.js';

const catalog = loadSchemaCatalog();
const delivery: Delivery = { deliveryId: 'd-1', bodySha256: 'ab', webhookId: 'w-1', source: 'dyte', receivedAt: 1_700_000_000_000_000 };

describe('buildEventRecord', () => {
  for (const { name, body } of [...loadFixtures('seed'), ...loadFixtures('domain')]) {
    it(`when given ${name}, then it fits its typed schema and encodes to Avro`, () => {
      const record = buildEventRecord(catalog, String(body.event), removeSecrets(body), delivery);
      assert.deepEqual(record.problems, []);
      assert.equal(record.stored, 'typed');
      assert.equal(record.value.extraJson, null, 'every field of the sample is modelled');
      const type = catalog.type(record.recordName);
      assert.ok(type.isValid(record.value), `valid ${record.recordName}`);
      assert.deepEqual(type.fromBuffer(type.toBuffer(record.value)), type.clone(record.value));
    });
  }

  it('when given a meeting event, then the key is the meeting id and timestamps are microseconds', () => {
    const record = buildEventRecord(catalog, 'meeting.started', fixture('seed', 'meeting-started'), delivery);
    assert.equal(record.key, '50c8940e-1b97-402a-97d6-2708b7feca41');
    assert.equal(record.resource, 'meeting');
    const meeting = record.value.meeting as Record<string, unknown>;
    assert.equal(meeting.createdAt, Date.parse('2022-12-13T06:57:09.736Z') * 1000);
    assert.equal(meeting.roomName, 'lcfvaa-absxch');
    assert.equal(meeting.endedAt, null);
  });

  it('when given a recording, then the key is its meeting id and the microseconds of its times are kept', () => {
    const record = buildEventRecord(catalog, 'recording.statusUpdate', fixture('seed', 'recording-statusUpdate'), delivery);
    assert.equal(record.key, '26c31468-55d4-4099-b49d-109778b182df');
    assert.equal((record.value.recording as Record<string, unknown>).startedTime, Date.parse('2023-01-25T04:51:35.903Z') * 1000 + 816);
  });

  it('when fileSize is a number (Dyte) or a string (RTK), then it is kept as sent', () => {
    const dyte = buildEventRecord(catalog, 'recording.statusUpdate', fixture('domain', 'recording-uploaded'), delivery);
    const rtk = buildEventRecord(catalog, 'recording.statusUpdate', fixture('domain', 'recording-uploaded-rtk'), delivery);
    assert.equal((dyte.value.recording as Record<string, unknown>).fileSize, 73400320);
    assert.equal((rtk.value.recording as Record<string, unknown>).fileSize, '104857600');
  });

  it('when a livestream carries a streamKey, then it is nowhere in the record', () => {
    const body = fixture('domain', 'livestreaming-rtk');
    const record = buildEventRecord(catalog, 'livestreaming.statusUpdate', removeSecrets(body), delivery);
    assert.equal(record.key, 'd231d346-c422-43a6-a324-c0d65b79c8a7');
    assert.ok(!JSON.stringify(record.value).includes('sk_live'), 'no stream key');
  });

  it('when a known event has fields the schema does not model, then they are kept in extraJson, nested as sent', () => {
    const body = fixture('seed', 'meeting-started');
    (body.meeting as Record<string, unknown>).brandNewField = { nested: [1, 2] };
    body.topLevelNew = 'x';
    const record = buildEventRecord(catalog, 'meeting.started', body, delivery);
    assert.equal(record.stored, 'typed');
    assert.deepEqual(JSON.parse(String(record.value.extraJson)), { meeting: { brandNewField: { nested: [1, 2] } }, topLevelNew: 'x' });
  });

  it('when the event type is unknown, then it becomes a RawEvent on its resource topic with the whole JSON', () => {
    const body = { event: 'meeting.pollCreated', meeting: { id: 'm-9' }, poll: { question: 'Tea?' } };
    const record = buildEventRecord(catalog, 'meeting.pollCreated', body, delivery);
    assert.equal(record.stored, 'raw');
    assert.equal(record.resource, 'meeting');
    assert.equal(record.key, 'm-9');
    assert.equal(record.value.reason, 'UNKNOWN_EVENT');
    assert.deepEqual(JSON.parse(String(record.value.json)), body);
  });

  it('when the event is named like an Object.prototype member, then it is just an unknown event', () => {
    for (const event of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
      const record = buildEventRecord(catalog, event, { event }, delivery);
      assert.equal(record.stored, 'raw', event);
      assert.equal(record.value.reason, 'UNKNOWN_EVENT');
    }
  });

  it('when the resource is unknown too, then the RawEvent goes to the unknown topic keyed by delivery id', () => {
    const record = buildEventRecord(catalog, 'whiteboard.saved', { event: 'whiteboard.saved' }, delivery);
    assert.equal(record.resource, 'unknown');
    assert.equal(record.key, 'd-1');
  });

  it('when a known event breaks its schema, then it is kept raw with each problem named by path', () => {
    const body = fixture('seed', 'meeting-started');
    const meeting = body.meeting as Record<string, unknown>;
    delete meeting.id;
    meeting.createdAt = 'last tuesday';
    meeting.title = 42;
    const record = buildEventRecord(catalog, 'meeting.started', body, delivery);
    assert.equal(record.stored, 'raw');
    assert.equal(record.value.reason, 'SCHEMA_MISMATCH');
    assert.deepEqual(record.problems, [
      'meeting.id is required (a string)',
      'meeting.title must be a string (got number)',
      'meeting.createdAt must be a timestamp like 2022-12-13T06:57:09.736Z or 2022-12-13 07:08:39.051621Z (got "last tuesday")',
    ]);
  });
});
