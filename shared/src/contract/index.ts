// What crosses Kafka: topic names, header names, the Confluent framing, and the record types (generated from
// schemas/). Nothing outside this folder spells out a topic or header name (test/unit/contract/wire-literals.test.ts).
export * from './records.js';
// Explicit exports win over the generated ones: ArtifactRef here is the generated one with `kind` narrowed.
export {
  ARCHIVE_JOB_RECORD,
  ARTIFACT_ARCHIVED_RECORD,
  ARTIFACT_FAILED_RECORD,
  CHAT_MESSAGE_RECORD,
  MEETING_SUMMARY_TEXT_RECORD,
  SESSION_STATE_RECORD,
  TRANSCRIPT_SEGMENT_RECORD,
  type ArchiveJobData, type ArtifactKind, type ArtifactRef } from './archive-records.js';
export { KNOWN_EVENTS, RAW_EVENT_RECORD, knownEvent, resourceOf, type Resource } from './dyte-events.js';
export { fleetTopicSpecs, type FleetTopicSettings } from './fleet-topics.js';
export { decodeFrame, encodeFramedValue, FRAME_HEADER_BYTES, isWireFormat, MAGIC_BYTE, type Frame, type PayloadWriter } from './framing.js';
export { KAFKA_HEADERS, type HeaderSpec } from './headers.js';
export { archiveSchemaPairs, eventSchemaPairs, ledgerSchemaPairs, recordsOn, streamSchemaPairs, type TopicRecord } from './topic-records.js';
export { ARTIFACT_EVENT_TOPICS, COMPACTED_TOPICS, DEFAULT_TOPIC_PREFIX, EVENT_TOPICS, LEDGER_SOURCE_TOPICS, STREAM_TOPICS, TOPIC_ROLES, topicNames, type TopicRole, type Topics } from './topics.js';
export { WireFormatError } from './wire-format-error.js';
