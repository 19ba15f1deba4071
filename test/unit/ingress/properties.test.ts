import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { InvalidInputError, KNOWN_EVENTS, loadSchemaCatalog } from '../../../shared/src/index.js';
import { buildEventRecord } from '../../../services/ingress/src/domain/build-event-record.js';
import { parseTimestampMicros } from '../../../shared/src/index.js';
import { parseWebhookBody } from '../../../services/ingress/src/domain/parse-webhook-body.js';
import { removeSecrets } from '../../../services/ingress/src/domain/remove-secrets.js';

const catalog = loadSchemaCatalog();
const delivery = { deliveryId: 'd', bodySha256: 's', webhookId: null, source: 'dyte' as const, receivedAt: 1 };
const events = Object.keys(KNOWN_EVENTS);

describe('properties of the ingress domain (fast-check)', () => {
  it('when any byte string is a body, then the parser answers with a value or a 400-class error, never a crash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.json().map((t) => new TextEncoder().encode(t))), (bytes) => {
        try {
          const parsed = parseWebhookBody(Buffer.from(bytes));
          assert.equal(typeof parsed.event, 'string');
        } catch (error) {
          assert.ok(error instanceof InvalidInputError && error.status === 400, String(error));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('when a timestamp is written in either of Dyte forms, then it parses to the same exact microseconds', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }), (date, extraMicros) => {
        const iso = date.toISOString();
        const withMicros = `${iso.slice(0, 23)}${String(extraMicros).padStart(3, '0')}Z`;
        const expected = date.getTime() * 1000 + extraMicros;
        assert.equal(parseTimestampMicros(withMicros), expected);
        assert.equal(parseTimestampMicros(withMicros.replace('T', ' ')), expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('when any JSON object arrives as a known or unknown event, then a record is built, encodes to Avro and decodes unchanged', () => {
    const eventName = fc.oneof(fc.constantFrom(...events), fc.string({ maxLength: 30 }).filter((s) => s.trim() !== ''));
    fc.assert(
      fc.property(eventName, fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 8 }), (event, fields) => {
        const body = removeSecrets({ ...fields, event });
        const record = buildEventRecord(catalog, event, body, delivery);
        const type = catalog.type(record.recordName);
        const decoded = type.fromBuffer(type.toBuffer(record.value));
        assert.deepEqual(type.clone(decoded), type.clone(record.value));
        if (record.stored === 'raw') assert.deepEqual(JSON.parse(String(record.value.json)), JSON.parse(JSON.stringify(body)));
      }),
      { numRuns: 1000 },
    );
  });

  it('when a valid meeting event is generated, then it is stored typed and every field survives the Avro round trip', () => {
    const id = fc.uuid();
    const time = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
    const meeting = fc.record(
      { id, sessionId: id, title: fc.string(), roomName: fc.string(), status: fc.constantFrom('LIVE', 'ENDED'), createdAt: time, startedAt: time, endedAt: fc.option(time, { nil: null }), organizedBy: fc.record({ id, name: fc.string() }) },
      { requiredKeys: ['id'] },
    );
    const participant = fc.record({ peerId: id, userDisplayName: fc.string(), customParticipantId: fc.string(), clientSpecificId: fc.string(), joinedAt: time, leftAt: time }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.constantFrom('meeting.participantJoined', 'meeting.participantLeft'), meeting, participant, (event, m, p) => {
        const record = buildEventRecord(catalog, event, { event, meeting: m, participant: p }, delivery);
        assert.equal(record.stored, 'typed', record.problems.join('; '));
        const type = catalog.type(record.recordName);
        const decoded = type.fromBuffer(type.toBuffer(record.value)) as Record<string, Record<string, unknown>>;
        for (const [key, value] of Object.entries(m)) {
          const got = decoded.meeting?.[key];
          if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) assert.equal(got, Date.parse(value) * 1000, key);
          else if (typeof value === 'object' && value !== null) assert.deepEqual({ ...(got as object) }, { ...value }, key);
          else assert.equal(got, value, key);
        }
      }),
      { numRuns: 500 },
    );
  });
});
