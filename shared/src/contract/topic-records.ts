import type { RecordName } from '../generated/records.js';
import {
  ARTIFACT_ARCHIVED_RECORD,
  ARTIFACT_FAILED_RECORD,
  CHAT_MESSAGE_RECORD,
  MEETING_SUMMARY_TEXT_RECORD,
  SESSION_STATE_RECORD,
  TRANSCRIPT_SEGMENT_RECORD,
} from './archive-records.js';
import { KNOWN_EVENTS, RAW_EVENT_RECORD } from './dyte-events.js';
import { EVENT_TOPICS, STREAM_TOPICS, type TopicRole, type Topics } from './topics.js';

/** A record type that may be written to a topic: one TopicRecordNameStrategy subject, `<topic>-<recordName>`. */
export interface TopicRecord {
  topic: string;
  recordName: RecordName;
}

/** The record types a topic carries: each known event on its resource's topic, RawEvent on every event topic. */
export function recordsOn(role: TopicRole): RecordName[] {
  if (role === 'archive') return [ARTIFACT_ARCHIVED_RECORD, ARTIFACT_FAILED_RECORD];
  if (role === 'sessions') return [SESSION_STATE_RECORD];
  if (role === 'chat') return [CHAT_MESSAGE_RECORD];
  if (role === 'transcript') return [TRANSCRIPT_SEGMENT_RECORD, MEETING_SUMMARY_TEXT_RECORD];
  return [...Object.values(KNOWN_EVENTS).filter((known) => known.resource === role).map((known) => known.record), RAW_EVENT_RECORD];
}

/** The subjects the ingress writes (every known event, then RawEvent on each event topic), in registration order. */
export function eventSchemaPairs(topics: Topics): TopicRecord[] {
  return [
    ...Object.values(KNOWN_EVENTS).map(({ record, resource }) => ({ topic: topics[resource], recordName: record })),
    ...EVENT_TOPICS.map((role) => ({ topic: topics[role], recordName: RAW_EVENT_RECORD })),
  ];
}

/** The subjects the downloaders write: the archive results. */
export function archiveSchemaPairs(topics: Topics): TopicRecord[] {
  return recordsOn('archive').map((recordName) => ({ topic: topics.archive, recordName }));
}

/** The subjects the downloaders write an artifact's content with: chat messages, transcript segments, summaries. */
export function streamSchemaPairs(topics: Topics): TopicRecord[] {
  return STREAM_TOPICS.flatMap((role) => recordsOn(role).map((recordName) => ({ topic: topics[role], recordName })));
}

/** The subjects the session ledger (in the dispatchers) writes: the session states. */
export function ledgerSchemaPairs(topics: Topics): TopicRecord[] {
  return recordsOn('sessions').map((recordName) => ({ topic: topics.sessions, recordName }));
}
