import { stringify } from 'yaml';
import {
  DEFAULT_TOPIC_PREFIX,
  KAFKA_HEADERS,
  recordsOn,
  topicNames,
  TOPIC_ROLES,
  type HeaderSpec,
  type SchemaCatalog,
  type TopicRole,
} from '../../shared/src/index.js';

const shortName = (fullName: string) => fullName.split('.').at(-1) ?? fullName;

// Every header with its line, from the contract (shared/src/contract/headers.ts): the document never spells one out.
const MESSAGE_HEADERS = {
  type: 'object',
  properties: Object.fromEntries(
    Object.values(KAFKA_HEADERS).map((header: HeaderSpec) => [
      header.name,
      { type: 'string', ...(header.format ? { format: header.format } : {}), description: header.doc },
    ]),
  ),
};

// What a reader needs to know of each topic besides its records: what it is for and what its key is.
const CHANNELS: Record<TopicRole, { description: string; key: string }> = {
  meeting: { description: 'Meeting events, one topic for the resource.', key: 'The meeting id.' },
  recording: { description: 'Recording status updates.', key: 'The meeting id of the recording.' },
  livestreaming: { description: 'Livestream status updates (never the streamKey).', key: 'The stream id.' },
  unknown: { description: 'Authentic events of resources the fleet does not know yet, kept whole.', key: 'The meeting id when found, else the delivery id.' },
  archive: { description: 'The fate of every meeting artifact: archived or failed.', key: 'The meeting id.' },
  sessions: {
    description: "The session ledger: each session's whole state (started, ended, every artifact announced, archived or failed), republished on every change. Compacted (cleanup.policy=compact): the latest record of a key is the state.",
    key: 'The session id, or _no-session:<meetingId> for artifacts whose events named no session.',
  },
  chat: {
    description: "Every message of every archived chat (Dyte's CSV, RealtimeKit's JSON), published by the downloaders once the file is archived, in the file's order. At least once: a copy is recognised by its record-id header (<job id>:<line>), the same on every copy.",
    key: 'The session id (the artifact job id when the session is not known), so a session keeps its order.',
  },
  transcript: {
    description: 'Every line of every archived transcript, and the text of every archived summary (bounded; a pointer to the whole file), published by the downloaders once the file is archived. At least once: a copy is recognised by its record-id header.',
    key: 'The session id (the artifact job id when the session is not known), so a session keeps its order.',
  },
};

/**
 * The AsyncAPI 3 document of every topic the fleet writes, built from schemas/ and the wire contract
 * (shared/src/contract: topic names, headers, which records go on which topic): channels (topics), their keys,
 * headers and record types, each message's Avro schema inline.
 */
export function asyncApiDocument(catalog: SchemaCatalog, version: string): string {
  const addresses = topicNames(DEFAULT_TOPIC_PREFIX);
  const channels = Object.fromEntries(
    TOPIC_ROLES.map((role) => [role, { ...CHANNELS[role], address: addresses[role], records: recordsOn(role) }]),
  );

  const messages: Record<string, unknown> = {};
  for (const channel of Object.values(channels)) {
    for (const record of channel.records) {
      const schema = catalog.resolve(record);
      messages[shortName(record)] = {
        name: shortName(record),
        title: record,
        summary: typeof schema.doc === 'string' ? schema.doc : undefined,
        contentType: 'application/octet-stream',
        headers: MESSAGE_HEADERS,
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
