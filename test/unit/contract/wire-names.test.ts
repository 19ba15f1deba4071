import { strict as assert } from 'node:assert';
import {
  archiveSchemaPairs,
  eventSchemaPairs,
  ledgerSchemaPairs,
  fleetTopicSpecs,
  KAFKA_HEADERS,
  KNOWN_EVENTS,
  recordsOn,
  streamSchemaPairs,
  topicNames,
  TOPIC_ROLES,
} from '../../../shared/src/index.js';

// The names consumers outside this repository already rely on: changing one is a breaking change of the wire.
describe('names on the wire (shared/src/contract)', () => {
  it('when the topics are named under the default prefix, then they are the five the fleet has always written, the sessions topic and the two stream topics', () => {
    assert.deepEqual(topicNames('dyte.'), {
      meeting: 'dyte.meeting',
      recording: 'dyte.recording',
      livestreaming: 'dyte.livestreaming',
      unknown: 'dyte.unknown',
      archive: 'dyte.archive',
      sessions: 'dyte.sessions',
      chat: 'dyte.chat',
      transcript: 'dyte.transcript',
    });
    const specs = fleetTopicSpecs({ topicPrefix: 't.', topicPartitions: 6, topicReplicationFactor: 1 });
    assert.deepEqual(
      specs.map((spec) => spec.topic),
      ['t.meeting', 't.recording', 't.livestreaming', 't.unknown', 't.archive', 't.sessions', 't.chat', 't.transcript'],
    );
    // The sessions topic keeps each session's latest state: compacted, never deleted by age.
    assert.deepEqual(specs.find((spec) => spec.topic === 't.sessions')?.configEntries, [{ name: 'cleanup.policy', value: 'compact' }]);
    assert.ok(specs.filter((spec) => spec.topic !== 't.sessions').every((spec) => spec.configEntries === undefined), 'the other topics keep the broker defaults');
  });

  it('when the headers are listed, then their names are the ones consumers read, each with a line of doc', () => {
    assert.deepEqual(
      Object.values(KAFKA_HEADERS).map((header) => header.name),
      ['event-type', 'delivery-id', 'webhook-id', 'received-at', 'record-name', 'job-id', 'traceparent', 'record-id', 'replayed-at'],
    );
    for (const header of Object.values(KAFKA_HEADERS)) assert.match(header.doc, /^\S.*\.$/, `${header.name} has a one-line doc`);
  });

  it('when the ingress registers its subjects, then every known event is on its resource topic and RawEvent on every event topic', () => {
    const pairs = eventSchemaPairs(topicNames('p.')).map(({ topic, recordName }) => `${topic}-${recordName.split('.').at(-1)}`);
    assert.deepEqual(pairs, [
      'p.meeting-MeetingStarted',
      'p.meeting-MeetingEnded',
      'p.meeting-MeetingParticipantJoined',
      'p.meeting-MeetingParticipantLeft',
      'p.meeting-MeetingChatSynced',
      'p.meeting-MeetingTranscript',
      'p.meeting-MeetingSummary',
      'p.recording-RecordingStatusUpdate',
      'p.livestreaming-LivestreamingStatusUpdate',
      'p.meeting-RawEvent',
      'p.recording-RawEvent',
      'p.livestreaming-RawEvent',
      'p.unknown-RawEvent',
    ]);
    assert.deepEqual(
      archiveSchemaPairs(topicNames('p.')).map(({ topic, recordName }) => `${topic}-${recordName}`),
      ['p.archive-io.dytebridge.dyte.ArtifactArchived', 'p.archive-io.dytebridge.dyte.ArtifactFailed'],
    );
  });

  it('when each topic is asked for its records, then together they are exactly the subjects the services register', () => {
    const topics = topicNames('p.');
    const subjects = (pairs: { topic: string; recordName: string }[]) => pairs.map(({ topic, recordName }) => `${topic}-${recordName}`).sort();
    const byTopic = TOPIC_ROLES.flatMap((role) => recordsOn(role).map((recordName) => ({ topic: topics[role], recordName })));
    assert.deepEqual(subjects(byTopic), subjects([...eventSchemaPairs(topics), ...archiveSchemaPairs(topics), ...ledgerSchemaPairs(topics), ...streamSchemaPairs(topics)]));
    assert.equal(byTopic.length, Object.keys(KNOWN_EVENTS).length + 4 + 2 + 1 + 3);
    assert.deepEqual(
      streamSchemaPairs(topics).map(({ topic, recordName }) => `${topic}-${recordName}`),
      ['p.chat-io.dytebridge.dyte.ChatMessage', 'p.transcript-io.dytebridge.dyte.TranscriptSegment', 'p.transcript-io.dytebridge.dyte.MeetingSummaryText'],
    );
    assert.deepEqual(
      ledgerSchemaPairs(topics).map(({ topic, recordName }) => `${topic}-${recordName}`),
      ['p.sessions-io.dytebridge.dyte.SessionState'],
    );
  });
});
