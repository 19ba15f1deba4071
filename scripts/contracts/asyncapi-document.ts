import { stringify } from 'yaml';
import {
  ARTIFACT_ARCHIVED_RECORD,
  ARTIFACT_FAILED_RECORD,
  KNOWN_EVENTS,
  RAW_EVENT_RECORD,
  type SchemaCatalog,
} from '../../shared/src/index.js';

const shortName = (fullName: string) => fullName.split('.').at(-1) ?? fullName;

const HEADERS = {
  type: 'object',
  properties: {
    'event-type': { type: 'string', description: 'The webhook event, e.g. meeting.started (on dyte.archive: the record type).' },
    'delivery-id': { type: 'string', description: 'The dyte-uuid / rtk-uuid header, or the SHA-256 of the body: skip duplicates with it.' },
    'webhook-id': { type: 'string', description: 'The dyte-webhook-id / rtk-webhook-id header, when sent.' },
    'received-at': { type: 'string', format: 'date-time', description: 'When the ingress received the webhook.' },
    'record-name': { type: 'string', description: 'Full name of the Avro record type of the value.' },
    'job-id': { type: 'string', description: 'On dyte.archive: the artifact job id.' },
  },
};

/**
 * The AsyncAPI 3 document of every topic the fleet writes, built from schemas/ and the event catalog: channels
 * (topics), their keys, headers and record types, each message's Avro schema inline.
 */
export function asyncApiDocument(catalog: SchemaCatalog, version: string): string {
  const channels: Record<string, { address: string; description: string; records: string[]; key: string }> = {
    meeting: { address: 'dyte.meeting', description: 'Meeting events, one topic for the resource.', records: [], key: 'The meeting id.' },
    recording: { address: 'dyte.recording', description: 'Recording status updates.', records: [], key: 'The meeting id of the recording.' },
    livestreaming: { address: 'dyte.livestreaming', description: 'Livestream status updates (never the streamKey).', records: [], key: 'The stream id.' },
    unknown: { address: 'dyte.unknown', description: 'Authentic events of resources the fleet does not know yet, kept whole.', records: [], key: 'The meeting id when found, else the delivery id.' },
    archive: { address: 'dyte.archive', description: 'The fate of every meeting artifact: archived or failed.', records: [ARTIFACT_ARCHIVED_RECORD, ARTIFACT_FAILED_RECORD], key: 'The meeting id.' },
  };
  for (const { record, resource } of Object.values(KNOWN_EVENTS)) channels[resource]?.records.push(record);
  for (const resource of ['meeting', 'recording', 'livestreaming', 'unknown']) channels[resource]?.records.push(RAW_EVENT_RECORD);

  const messages: Record<string, unknown> = {};
  for (const channel of Object.values(channels)) {
    for (const record of channel.records) {
      const schema = catalog.resolve(record);
      messages[shortName(record)] = {
        name: shortName(record),
        title: record,
        summary: typeof schema.doc === 'string' ? schema.doc : undefined,
        contentType: 'application/octet-stream',
        headers: HEADERS,
        payload: { schemaFormat: 'application/vnd.apache.avro+json;version=1.9.0', schema },
        bindings: {
          kafka: {
            key: { type: 'string' },
            schemaIdLocation: 'payload',
            schemaIdPayloadEncoding: 'confluent',
            schemaLookupStrategy: 'TopicRecordNameStrategy',
            bindingVersion: '0.5.0',
          },
        },
      };
    }
  }
  const document = {
    asyncapi: '3.0.0',
    info: {
      title: 'dyte-kafka-bridge topics',
      version,
      description:
        'Dyte / RealtimeKit webhooks as Avro records in the Confluent wire format (magic byte, 4-byte schema id, Avro binary), subjects named <topic>-<record full name>. Generated from schemas/ by scripts/contracts/generate.ts: do not edit by hand.',
    },
    servers: { local: { host: '127.0.0.1:9092', protocol: 'kafka', description: 'The local stack (make stack-up). Topic names carry TOPIC_PREFIX, dyte. by default.' } },
    channels: Object.fromEntries(
      Object.entries(channels).map(([id, channel]) => [
        id,
        {
          address: channel.address,
          description: `${channel.description} Key: ${channel.key}`,
          messages: Object.fromEntries(channel.records.map((r) => [shortName(r), { $ref: `#/components/messages/${shortName(r)}` }])),
        },
      ]),
    ),
    operations: Object.fromEntries(
      Object.keys(channels).map((id) => [
        `receive-${id}`,
        { action: 'receive', channel: { $ref: `#/channels/${id}` }, summary: `Consume ${channels[id]?.address}.` },
      ]),
    ),
    components: { messages },
  };
  return stringify(document, { lineWidth: 0, aliasDuplicateObjects: false });
}
