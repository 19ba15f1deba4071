import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRedis, meetingIndexKey } from '../../../shared/src/index.js';
import { startArchiveFleet, type ArchiveFleetUnderTest } from '../../helpers/archive-fleet.js';
import { ArtifactServer } from '../../../scripts/stand-ins/artifact-server.js';
import { dyteTimestamp, type ArchiveWatcher } from '../../helpers/archive-watcher.js';
import { postWebhook, type IngressUnderTest } from '../../helpers/ingress-under-test.js';
import { testConfig } from '../../helpers/test-config.js';
import { waitFor } from '../../helpers/wait-for.js';

const ORG = 'c94c437b-592a-4a39-b9e2-47ef1451e43b';

describe('archive identity end to end: one artifact, one job, one file; never a file over another', function () {
  this.timeout(300_000);
  let fleet: ArchiveFleetUnderTest;
  let ingress: IngressUnderTest;
  let server: ArtifactServer;
  let archiveDir: string;
  let env: Record<string, string>;
  let archive: ArchiveWatcher;

  before(async () => {
    fleet = await startArchiveFleet('archive-identity');
    ({ server, ingress, archiveDir, env, archive } = fleet);
  });

  after(async () => {
    await fleet?.stop();
  });

  /** Posts a chat of `meetingId` and waits for its result: events of one meeting share a partition, so every earlier one has been dispatched. */
  const marker = async (meetingId: string) => {
    const sessionId = randomUUID();
    server.add(`${sessionId}/marker.csv`, { size: 10 });
    const link = server.url(`${sessionId}/marker.csv`);
    await postWebhook(ingress, { event: 'meeting.chatSynced', meetingId, sessionId, chatDownloadUrl: link.url, chatDownloadUrlExpiry: dyteTimestamp(link.expiresAt) });
    await archive.waitFor(`chat.${sessionId}`, 120_000);
  };
  const resultsOf = (meetingId: string, kind: string) => archive.results.filter((r) => r.value.artifact.meetingId === meetingId && r.value.artifact.kind === kind);

  it('when the same signed meeting.summary without a session id comes with three different dyte-uuid headers, then it makes one job and one archived file', async () => {
    const meetingId = randomUUID();
    const name = `${meetingId}/summary.md`;
    server.add(name, { size: 3_000, contentType: 'text/markdown' });
    // No session id and no expiry in the body: only the signed body may name the job, never the delivery header.
    const body = { event: 'meeting.summary', meeting: { id: meetingId, title: 't', status: 'ENDED', organizedBy: { id: ORG, name: 'Dyte' } }, summaryDownloadUrl: server.url(name).url };
    for (const uuid of ['replay-1', 'replay-2', 'replay-3']) {
      const answer = await postWebhook(ingress, body, { headers: { 'dyte-uuid': `${uuid}-${meetingId}` } });
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
    }
    await waitFor(() => resultsOf(meetingId, 'summary').length > 0, { timeoutMs: 120_000, description: 'the summary archived' });
    await marker(meetingId);

    const results = resultsOf(meetingId, 'summary');
    assert.deepEqual(results.map((r) => r.type), ['ArtifactArchived'], 'one result on the archive topic');
    const redis = createRedis(testConfig.redisUrl);
    try {
      const jobIds = (await redis.smembers(meetingIndexKey(env.ARCHIVE_QUEUE ?? '', meetingId))).filter((id) => id.startsWith('summary.'));
      assert.equal(jobIds.length, 1, `one job: ${jobIds.join(', ')}`);
      assert.ok(!jobIds[0]?.includes('replay'), `the job id holds no delivery id: ${jobIds[0]}`);
    } finally {
      await redis.quit();
    }
    assert.equal(server.requests(name).filter((r) => r.status === 200).length, 1, 'one download');
    const sessionFolders = readdirSync(join(archiveDir, ORG, meetingId)).filter((folder) => folder.startsWith('_no-session-'));
    assert.equal(sessionFolders.length, 1, `one archived file: ${sessionFolders.join(', ')}`);
    assert.deepEqual(readdirSync(join(archiveDir, ORG, meetingId, sessionFolders[0] ?? '')), ['summary.md']);
  });

  it('when session ids differ only in characters the sanitiser replaces, then each chat is archived, in its own folder', async () => {
    const meetingId = randomUUID();
    const sessions = ['acme corp', 'acme_corp', 'acme?corp'];
    for (const [index, sessionId] of sessions.entries()) {
      const name = `${meetingId}/chat-${index}.csv`;
      server.add(name, { size: 1000 + index, contentType: 'text/csv' });
      const link = server.url(name);
      await postWebhook(ingress, { event: 'meeting.chatSynced', meetingId, sessionId, chatDownloadUrl: link.url, chatDownloadUrlExpiry: dyteTimestamp(link.expiresAt), organizedBy: { id: ORG, name: 'o' } });
    }
    await marker(meetingId);
    await waitFor(() => resultsOf(meetingId, 'chat').length >= 4, { timeoutMs: 60_000, description: 'the three chats and the marker reported' });
    const chats = resultsOf(meetingId, 'chat').filter((r) => sessions.includes(String(r.value.artifact.sessionId)));
    assert.deepEqual(chats.map((r) => r.type), ['ArtifactArchived', 'ArtifactArchived', 'ArtifactArchived'], JSON.stringify(chats.map((r) => r.value)));
    assert.equal(new Set(chats.map((r) => r.value.location)).size, 3, 'three locations');
    assert.ok(readdirSync(join(archiveDir, ORG, meetingId)).includes('acme_corp'), 'a safe id keeps its readable folder');
  });

  it('when the archive already holds a different file under the key, then the job ends as EXISTS_DIFFERENT naming the location, and the file is untouched', async () => {
    const meetingId = randomUUID();
    const sessionId = randomUUID();
    const name = `${sessionId}/chat.csv`;
    server.add(name, { size: 4_000, contentType: 'text/csv' });
    const target = join(archiveDir, ORG, meetingId, sessionId, 'chat.csv');
    await mkdir(join(archiveDir, ORG, meetingId, sessionId), { recursive: true });
    await writeFile(target, 'an earlier, different chat\n');
    const link = server.url(name);
    await postWebhook(ingress, { event: 'meeting.chatSynced', meetingId, sessionId, chatDownloadUrl: link.url, chatDownloadUrlExpiry: dyteTimestamp(link.expiresAt), organizedBy: { id: ORG, name: 'o' } });
    const result = await archive.waitFor(`chat.${sessionId}`, 120_000);
    assert.equal(result.type, 'ArtifactFailed', JSON.stringify(result.value));
    assert.equal(result.value.reason, 'EXISTS_DIFFERENT');
    assert.ok(String(result.value.message).includes(pathToFileURL(target).href), String(result.value.message));
    assert.equal(Number(result.value.attempts), 1, 'final: not retried');
    assert.equal(await readFile(target, 'utf8'), 'an earlier, different chat\n');
    assert.ok(!existsSync(join(archiveDir, '.partial', `chat.${sessionId}.part`)), 'the refused download is not left behind');
  });

  it('when the archive already holds the same file under the key (stored, then not reported), then the job is reported archived', async () => {
    const meetingId = randomUUID();
    const sessionId = randomUUID();
    const name = `${sessionId}/chat.csv`;
    server.add(name, { size: 4_000, contentType: 'text/csv' });
    const link = server.url(name);
    const target = join(archiveDir, ORG, meetingId, sessionId, 'chat.csv');
    await mkdir(join(archiveDir, ORG, meetingId, sessionId), { recursive: true });
    await writeFile(target, Buffer.from(await (await fetch(link.url)).arrayBuffer()));
    await postWebhook(ingress, { event: 'meeting.chatSynced', meetingId, sessionId, chatDownloadUrl: link.url, chatDownloadUrlExpiry: dyteTimestamp(link.expiresAt), organizedBy: { id: ORG, name: 'o' } });
    const result = await archive.waitFor(`chat.${sessionId}`, 120_000);
    assert.equal(result.type, 'ArtifactArchived', JSON.stringify(result.value));
    assert.equal(result.value.location, pathToFileURL(target).href);
    assert.equal(result.value.sha256, server.sha256(name));
  });
});
