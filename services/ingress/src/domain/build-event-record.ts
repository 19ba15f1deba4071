import {
  knownEvent,
  RAW_EVENT_RECORD,
  resourceOf,
  type Delivery,
  type Resource,
  type SchemaCatalog,
} from '../../../../shared/src/index.js';
import { toAvroRecord } from './to-avro-record.js';

/** A webhook as it goes to Kafka: which topic family, which record type, the key and the Avro value. */
export interface EventRecord {
  /** The resource topic, or `unknown` for an event of a resource the fleet does not know. */
  resource: Resource | 'unknown';
  /** Full name of the record type (the TopicRecordNameStrategy subject suffix). */
  recordName: string;
  /** Partition key: the meeting id (stream id for livestreaming), so a meeting's events stay in order. */
  key: string;
  value: Record<string, unknown>;
  /** `typed` when a schema of the event fits, `raw` when it is kept whole as a RawEvent. */
  stored: 'typed' | 'raw';
  /** For a raw record: why no typed schema fits. */
  problems: string[];
}

const RESERVED_FIELDS = new Set(['delivery', 'extraJson']);

/**
 * Turns a verified, parsed body (secrets already removed) into the record to produce. Never refuses an authentic
 * event: an unknown type or a body that breaks its schema becomes a RawEvent that keeps the whole JSON.
 */
export function buildEventRecord(
  catalog: SchemaCatalog,
  event: string,
  body: Record<string, unknown>,
  delivery: Delivery,
): EventRecord {
  const known = knownEvent(event);
  if (known) {
    const conversion = toAvroRecord(catalog.resolve(known.record), body, RESERVED_FIELDS);
    if (conversion.problems.length === 0) {
      // The conversion's value is new: the reserved fields are filled in place (Avro writes fields in schema order).
      const value = conversion.value;
      value.delivery = delivery;
      value.extraJson = conversion.extras === undefined ? null : JSON.stringify(conversion.extras);
      return { resource: known.resource, recordName: known.record, key: partitionKey(event, body, delivery), value, stored: 'typed', problems: [] };
    }
    return rawEventRecord(event, body, delivery, 'SCHEMA_MISMATCH', conversion.problems);
  }
  return rawEventRecord(event, body, delivery, 'UNKNOWN_EVENT', []);
}

/** The RawEvent that keeps a whole body (secrets already removed) with the reason no typed schema fits. */
export function rawEventRecord(
  event: string,
  body: Record<string, unknown>,
  delivery: Delivery,
  reason: 'UNKNOWN_EVENT' | 'SCHEMA_MISMATCH',
  problems: string[],
): EventRecord {
  return {
    resource: resourceOf(event) ?? 'unknown',
    recordName: RAW_EVENT_RECORD,
    key: partitionKey(event, body, delivery),
    value: { event, reason, problems, json: JSON.stringify(body), delivery },
    stored: 'raw',
    problems,
  };
}

/** The stream id for livestreams, else the meeting id wherever the event shape puts it, else the delivery id. */
export function partitionKey(event: string, body: Record<string, unknown>, delivery: Delivery): string {
  const streamId = resourceOf(event) === 'livestreaming' ? text(body.streamId) : undefined;
  return (
    streamId ??
    field(body.meeting, 'id') ??
    text(body.meetingId) ??
    field(body.recording, 'meetingId') ??
    text(body.streamId) ??
    delivery.deliveryId
  );
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
const field = (object: unknown, name: string) =>
  typeof object === 'object' && object !== null ? text((object as Record<string, unknown>)[name]) : undefined;
