// The ingress's steps that others may reuse (`dyte-bridge replay webhooks`, the benchmarks' workloads), so that what
// they build is exactly what the ingress builds (docs/adr/0005). Outside the ingress, only test/ may import anything
// else of it (test/unit/structure/import-seams.test.ts).

/** Parses raw webhook body bytes into its event and object, or throws a 400 naming what is wrong with them. */
export { parseWebhookBody } from './domain/parse-webhook-body.js';
/** Turns a verified, parsed webhook into the Kafka message the ingress produces: secrets removed, Avro, headers. */
export { webhookMessage, type WebhookMessage } from './domain/webhook-message.js';
/** The record an event becomes before Avro: the typed one when its schema fits, else a RawEvent. */
export { buildEventRecord } from './domain/build-event-record.js';
/** The delivery of a webhook: its delivery id, the hash of its canonical body, when it arrived. */
export { readDelivery } from './domain/delivery.js';
