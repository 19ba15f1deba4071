import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startArchiveFleet, type ArchiveFleetUnderTest } from '../../helpers/archive-fleet.js';
import { dyteTimestamp } from '../../helpers/archive-watcher.js';
import { postWebhook } from '../../helpers/ingress-under-test.js';
import { repoRoot } from '../../helpers/service-configs.js';

const sample = (name: string) => readFileSync(join(repoRoot, 'samples', 'artifacts', name));

// STREAM_CHAT=false on a whole fleet: chats are archived as files only, transcripts are still published.
describe('artifacts as streams, one kind turned off (STREAM_CHAT=false)', function () {
  this.timeout(180_000);
  let fleet: ArchiveFleetUnderTest;

  before(async () => {
    fleet = await startArchiveFleet('streams-off', { env: { STREAM_CHAT: 'false' } });
  });

  after(async () => {
    await fleet?.stop();
  });

  /** Records on `topic` so far: the sum of its partitions' end offsets (the topic is this fleet's own). */
  const recordsOn = async (topic: string) => {
    const admin = fleet.ingress.kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
    } finally {
      await admin.disconnect();
    }
  };

  it('when a chat and a transcript are archived, then the chat is a file only (NOT_STREAMED, nothing on dyte.chat) and the transcript is on dyte.transcript', async () => {
    const { server, ingress } = fleet;
    const meetingId = randomUUID();
    const sessionId = randomUUID();
    server.addContent(`${sessionId}/chat.csv`, sample('chat.csv'));
    server.addContent(`${sessionId}/transcript.csv`, sample('transcript.csv'));
    const chatLink = server.url(`${sessionId}/chat.csv`);
    const transcriptLink = server.url(`${sessionId}/transcript.csv`);
    const meeting = { id: meetingId, sessionId, title: 't', status: 'ENDED', organizedBy: { id: randomUUID(), name: 'Dyte' } };
    const bodies = [
      { event: 'meeting.chatSynced', meetingId, sessionId, chatDownloadUrl: chatLink.url, chatDownloadUrlExpiry: dyteTimestamp(chatLink.expiresAt), organizedBy: meeting.organizedBy },
      { event: 'meeting.transcript', meeting, transcriptDownloadUrl: transcriptLink.url, transcriptDownloadUrlExpiry: dyteTimestamp(transcriptLink.expiresAt) },
    ];
    for (const body of bodies) assert.equal((await postWebhook(ingress, body)).status, 202);

    const chat = await fleet.archive.waitFor(`chat.${sessionId}`, 120_000);
    assert.equal(chat.type, 'ArtifactArchived', JSON.stringify(chat.value));
    assert.equal(chat.value.sha256, server.sha256(`${sessionId}/chat.csv`), 'the file is archived whole');
    assert.deepEqual([chat.value.stream, chat.value.streamedRecords, chat.value.rejectedRows], ['NOT_STREAMED', 0, 0]);
    const transcript = await fleet.archive.waitFor(`transcript.${sessionId}`, 120_000);
    assert.equal(transcript.type, 'ArtifactArchived', JSON.stringify(transcript.value));
    assert.deepEqual([transcript.value.stream, transcript.value.streamedRecords], ['COMPLETE', 6]);

    // A job's records are sent before its result: with both results reported, the topics hold all there will be.
    const prefix = fleet.env.TOPIC_PREFIX as string;
    assert.equal(await recordsOn(`${prefix}chat`), 0, 'no chat message was published');
    assert.equal(await recordsOn(`${prefix}transcript`), 6, 'the transcript was');
  });
});
