import { KAFKA_HEADERS, type Delivery, type EventEncoder, type SchemaCatalog, type Topics } from '../../../../shared/src/index.js';
import type { IncomingHttpHeaders } from 'node:http';
import { buildEventRecord, rawEventRecord, type EventRecord } from './build-event-record.js';
import { readDelivery } from './delivery.js';
import { removeSecrets } from './remove-secrets.js';

/** A webhook ready to produce: its topic, its Kafka message and the record it was encoded from. */
export interface WebhookMessage {
  topic: string;
  record: EventRecord;
  delivery: Delivery;
  message: { key: string; value: Buffer; headers: Record<string, string> };
}

/** How a webhook arrived: its request headers, when (milliseconds since the epoch), and the span that received it. */
export interface WebhookArrival {
  headers: IncomingHttpHeaders;
  receivedAtMs: number;
  /** The W3C traceparent of the span that received it, put on the record's `traceparent` header. */
  traceparent?: string;
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
    [KAFKA_HEADERS.eventType.name]: event,
    [KAFKA_HEADERS.deliveryId.name]: delivery.deliveryId,
    [KAFKA_HEADERS.receivedAt.name]: new Date(delivery.receivedAt / 1000).toISOString(),
    [KAFKA_HEADERS.recordName.name]: record.recordName,
  };
  if (delivery.webhookId) headers[KAFKA_HEADERS.webhookId.name] = delivery.webhookId;
  if (arrival.traceparent) headers[KAFKA_HEADERS.traceparent.name] = arrival.traceparent;
  return { topic, record, delivery, message: { key: record.key, value, headers } };
}
