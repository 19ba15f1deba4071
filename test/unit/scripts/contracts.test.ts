import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { contracts } from '../../../scripts/contracts/generate.js';
import { repoRoot } from '../../helpers/service-configs.js';

describe('contracts generated from schemas/', () => {
  const generated = contracts();

  for (const path of Object.keys(generated)) {
    it(`when schemas/ is read, then ${path} is up to date (run make contracts after changing a schema)`, () => {
      assert.equal(readFileSync(join(repoRoot, path), 'utf8'), generated[path], `${path} is out of date: run make contracts`);
    });
  }

  it('when the AsyncAPI document is read, then every topic has its key, and every record of schemas/ that goes to Kafka is a message', () => {
    const document = parse(generated['docs/asyncapi.yaml'] ?? '') as {
      asyncapi: string;
      channels: Record<string, { address: string; description: string; messages: Record<string, unknown> }>;
      components: { messages: Record<string, { payload: { schema: { name: string } } }> };
    };
    assert.equal(document.asyncapi, '3.0.0');
    assert.deepEqual(Object.values(document.channels).map((c) => c.address), ['dyte.meeting', 'dyte.recording', 'dyte.livestreaming', 'dyte.unknown', 'dyte.archive', 'dyte.sessions', 'dyte.chat', 'dyte.transcript']);
    for (const channel of Object.values(document.channels)) assert.match(channel.description, /Key: /);
    const onKafka = Object.keys(document.components.messages).sort();
    assert.deepEqual(onKafka, [
      'ArtifactArchived', 'ArtifactFailed', 'ChatMessage', 'LivestreamingStatusUpdate', 'MeetingChatSynced', 'MeetingEnded', 'MeetingParticipantJoined',
      'MeetingParticipantLeft', 'MeetingStarted', 'MeetingSummary', 'MeetingSummaryText', 'MeetingTranscript', 'RawEvent', 'RecordingStatusUpdate', 'SessionState',
      'TranscriptSegment',
    ]);
  });
});
