import {
  KNOWN_EVENTS,
  RAW_EVENT_RECORD,
  type EventEncoder,
  type SchemaCatalog,
  type Topics,
} from '../../../../shared/src/index.js';
import type { IncomingHttpHeaders } from 'node:http';
import { buildEventRecord, rawEventRecord, type EventRecord } from './build-event-record.js';
import { readDelivery, type Delivery } from './delivery.js';
import { removeSecrets } from './remove-secrets.js';

/** The topics the ingress writes: one per resource, and one for events of unknown resources. */
export const EVENT_TOPICS = ['meeting', 'recording', 'livestreaming', 'unknown'] as const;

/** Which record types may land on which topic: each known event on its resource's topic, RawEvent on all. */
export function eventSchemaPairs(topics: Topics): { topic: string; recordName: string }[] {
  return [
    ...Object.values(KNOWN_EVENTS).map(({ record, resource }) => ({ topic: topics[resource], recordName: record })),
    ...EVENT_TOPICS.map((resource) => ({ topic: topics[resource], recordName: RAW_EVENT_RECORD })),
  ];
}

/** A webhook ready to produce: its topic, its Kafka message and the record it was encoded from. */
export interface WebhookMessage {
  topic: string;
  record: EventRecord;
  delivery: Delivery;
  message: { key: string; value: Buffer; headers: Record<string, string> };
}

/** How a webhook arrived: its request headers and when (milliseconds since the epoch). */
export interface WebhookArrival {
  headers: IncomingHttpHeaders;
  receivedAtMs: number;
}

/**
 * Turns a verified, parsed webhook into its Kafka message: secrets removed, its delivery (headers, and the hash of
 * the canonical body without secrets), the typed record when the schema fits (else a RawEvent), Avro-encoded, with
 * the delivery headers. The ingress and `dyte-bridge replay` both use it, so a replayed webhook lands exactly as a
 * delivered one would.
 */
export function webhookMessage(
  deps: { catalog: SchemaCatalog; encoder: EventEncoder; topics: Topics },
  event: string,
  body: Record<string, unknown>,
  arrival: WebhookArrival,
): WebhookMessage {
  const withoutSecrets = removeSecrets(body);
  const delivery = readDelivery(arrival.headers, withoutSecrets, arrival.receivedAtMs);
  let record = buildEventRecord(deps.catalog, event, withoutSecrets, delivery);
  const topic = deps.topics[record.resource];
  let value: Buffer;
  try {
    value = deps.encoder.encode(topic, record.recordName, record.value);
  } catch (error) {
    // A value the schema check let through but Avro refuses (e.g. a number out of range): keep it raw.
    record = rawEventRecord(event, withoutSecrets, delivery, 'SCHEMA_MISMATCH', [`encoding failed: ${(error as Error).message}`]);
    value = deps.encoder.encode(topic, record.recordName, record.value);
  }
  const headers: Record<string, string> = {
    'event-type': event,
    'delivery-id': delivery.deliveryId,
    'received-at': new Date(delivery.receivedAt / 1000).toISOString(),
    'record-name': record.recordName,
  };
  if (delivery.webhookId) headers['webhook-id'] = delivery.webhookId;
  return { topic, record, delivery, message: { key: record.key, value, headers } };
}
