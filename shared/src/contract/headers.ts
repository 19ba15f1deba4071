/** A Kafka record header the fleet writes: its name, and the one line that documents it (in docs/asyncapi.yaml too). */
export interface HeaderSpec {
  name: string;
  doc: string;
  /** The JSON-schema format of its value, when it has one. */
  format?: 'date-time';
}

/**
 * Every header the fleet writes on Kafka records, the only place their names are spelled out: producers and
 * consumers use `KAFKA_HEADERS.<key>.name`, and the AsyncAPI document takes the names and lines from here.
 */
export const KAFKA_HEADERS = {
  eventType: { name: 'event-type', doc: 'The webhook event, e.g. meeting.started (on dyte.archive: the record type).' },
  deliveryId: { name: 'delivery-id', doc: 'The dyte-uuid / rtk-uuid header, or the SHA-256 of the body: skip duplicates with it.' },
  webhookId: { name: 'webhook-id', doc: 'The dyte-webhook-id / rtk-webhook-id header, when sent.' },
  receivedAt: { name: 'received-at', doc: 'When the ingress received the webhook.', format: 'date-time' },
  recordName: { name: 'record-name', doc: 'Full name of the Avro record type of the value.' },
  jobId: { name: 'job-id', doc: 'On dyte.archive, dyte.chat and dyte.transcript: the artifact job id.' },
  traceparent: {
    name: 'traceparent',
    doc: 'W3C Trace Context (00-<trace id>-<span id>-<flags>) of the span that wrote the record: one trace id joins a webhook, its record, its download job, its archive result and the chat and transcript records of its file.',
  },
  recordId: { name: 'record-id', doc: 'On dyte.chat and dyte.transcript: <job id>:<line>, the same for every copy of a line: skip duplicates with it.' },
  replayedAt: { name: 'replayed-at', doc: 'When dyte-bridge replay webhooks re-published the record; absent on records the ingress wrote.', format: 'date-time' },
} as const satisfies Record<string, HeaderSpec>;
