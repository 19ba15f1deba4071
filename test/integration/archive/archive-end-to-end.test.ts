import { strict as assert } from 'node:assert';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startArchiveFleet, type ArchiveFleetUnderTest } from '../../helpers/archive-fleet.js';
import { ArtifactServer } from '../../../scripts/stand-ins/artifact-server.js';
import { dyteTimestamp, type ArchiveWatcher } from '../../helpers/archive-watcher.js';
import { postWebhook, type IngressUnderTest } from '../../helpers/ingress-under-test.js';
import { spawnService, type RunningService } from '../../helpers/spawn-service.js';
import { waitFor } from '../../helpers/wait-for.js';

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

const ORG = 'c94c437b-592a-4a39-b9e2-47ef1451e43b';

describe('archiver end to end: ingress -> Kafka -> dispatcher -> BullMQ -> downloader -> archive', function () {
  this.timeout(300_000);
  let fleet: ArchiveFleetUnderTest;
  let ingress: IngressUnderTest;
  let server: ArtifactServer;
  let archiveDir: string;
  let env: Record<string, string>;
  let downloader: RunningService;
  let archive: ArchiveWatcher;

  before(async () => {
    fleet = await startArchiveFleet('archive', {
      env: {
        // 10.1.2.3 is an allowed host so that the redirect test shows the address check refusing it.
        DOWNLOAD_ALLOWED_HOSTS: '127.0.0.1,10.1.2.3',
        DOWNLOAD_LOCK_MS: '4000',
        DOWNLOAD_IDLE_TIMEOUT_MS: '5000',
        DOWNLOAD_PROGRESS_INTERVAL_MS: '1000',
      },
    });
    ({ server, ingress, archiveDir, env, downloader, archive } = fleet);
  });

  after(async () => {
    await fleet?.stop();
  });

  const archivedFile = async (jobId: string, file: string) => {
    const result = await archive.waitFor(jobId, 120_000);
    assert.equal(result.type, 'ArtifactArchived', JSON.stringify(result.value));
    const path = fileURLToPath(String(result.value.location));
    assert.ok(path.startsWith(archiveDir), `${path} is inside the archive`);
    assert.equal(await sha256Of(path), server.sha256(file), 'the stored file has the source SHA-256');
    assert.equal(result.value.sha256, server.sha256(file), 'the record carries the source SHA-256');
    return { result, path };
  };

  it('when chatSynced, transcript and summary webhooks arrive signed, then each file is archived with its SHA-256 and reported', async () => {
    const meetingId = randomUUID();
    const sessionId = randomUUID();
    server.add(`${sessionId}/chat.csv`, { size: 20_000, contentType: 'text/csv' });
    server.add(`${sessionId}/transcript.csv`, { size: 50_000, contentType: 'text/csv' });
    server.add(`${sessionId}/summary.md`, { size: 3_000, contentType: 'text/markdown' });
    const link = (name: string) => server.url(`${sessionId}/${name}`);
    const meeting = { id: meetingId, sessionId, title: 't', status: 'ENDED', organizedBy: { id: ORG, name: 'Dyte' } };
    const chat = link('chat.csv');
    const transcript = link('transcript.csv');
    const summary = link('summary.md');
    for (const body of [
      { event: 'meeting.chatSynced', meetingId, sessionId, chatDownloadUrl: chat.url, chatDownloadUrlExpiry: dyteTimestamp(chat.expiresAt), organizedBy: meeting.organizedBy },
      { event: 'meeting.transcript', meeting, transcriptDownloadUrl: transcript.url, transcriptDownloadUrlExpiry: dyteTimestamp(transcript.expiresAt) },
      { event: 'meeting.summary', meeting, summaryDownloadUrl: summary.url, summaryDownloadUrlExpiry: dyteTimestamp(summary.expiresAt) },
    ]) {
      const answer = await postWebhook(ingress, body);
      assert.equal(answer.status, 202, JSON.stringify(answer.body));
    }
    const chatFile = await archivedFile(`chat.${sessionId}`, `${sessionId}/chat.csv`);
    assert.equal(chatFile.path, join(archiveDir, ORG, meetingId, sessionId, 'chat.csv'), 'layout <org>/<meeting>/<session>/<kind>.<ext>');
    assert.equal(chatFile.result.value.bytes, 20_000);
    assert.equal(chatFile.result.value.contentType, 'text/csv');
    const transcriptFile = await archivedFile(`transcript.${sessionId}`, `${sessionId}/transcript.csv`);
    assert.equal(transcriptFile.path, join(archiveDir, ORG, meetingId, sessionId, 'transcript.csv'));
    const summaryFile = await archivedFile(`summary.${sessionId}`, `${sessionId}/summary.md`);
    assert.equal(summaryFile.path, join(archiveDir, ORG, meetingId, sessionId, 'summary.md'));
  });

  it('when the same webhook is delivered 5 times, then the file is downloaded once and archived once', async () => {
    const meetingId = randomUUID();
    const sessionId = randomUUID();
    const name = `${sessionId}/dup-chat.csv`;
    server.add(name, { size: 10_000 });
    const { url, expiresAt } = server.url(name);
    const body = { event: 'meeting.chatSynced', meetingId, sessionId, chatDownloadUrl: url, chatDownloadUrlExpiry: dyteTimestamp(expiresAt) };
    for (let i = 0; i < 5; i++) assert.equal((await postWebhook(ingress, body, { headers: { 'dyte-uuid': `retry-${i}` } })).status, 202);
    await archivedFile(`chat.${sessionId}`, name);
    // A late sixth delivery after the file is archived, then a marker of the same meeting (same partition, so
    // dispatched after all six): once the marker is archived, every duplicate has been through the dispatcher.
    assert.equal((await postWebhook(ingress, body, { headers: { 'dyte-uuid': 'retry-late' } })).status, 202);
    const marker = randomUUID();
    server.add(`${marker}/m.csv`, { size: 10 });
    const m = server.url(`${marker}/m.csv`);
    await postWebhook(ingress, { event: 'meeting.chatSynced', meetingId, sessionId: marker, chatDownloadUrl: m.url, chatDownloadUrlExpiry: dyteTimestamp(m.expiresAt) });
    await archive.waitFor(`chat.${marker}`);
    assert.equal(server.requests(name).filter((r) => r.status === 200).length, 1, 'one download');
    assert.equal(archive.about(`chat.${sessionId}`).length, 1, 'one archived record');
    assert.deepEqual(readdirSync(join(archiveDir, '_unknown-organization', meetingId, sessionId)), ['chat.csv']);
  });

  it('when an UPLOADED recording of 200 MB arrives, then video and audio are archived and the downloader stays lean', async () => {
    const recordingId = randomUUID();
    const meetingId = randomUUID();
    const sessionId = randomUUID();
    const video = `${recordingId}/rec.mp4`;
    const audio = `${recordingId}/rec.m4a`;
    server.add(video, { size: 200 * 1024 * 1024, contentType: 'video/mp4' });
    server.add(audio, { size: 5 * 1024 * 1024, contentType: 'audio/mp4' });
    const v = server.url(video);
    // Memory is judged against the process's own footprint before the download (the tsx loader alone is tens of MB).
    const baseline = downloader.rssBytes();
    const body = {
      event: 'recording.statusUpdate',
      recording: {
        id: recordingId, recordingId, meetingId, organizationId: ORG, roomUUID: sessionId, status: 'UPLOADED',
        fileSize: 200 * 1024 * 1024, downloadUrl: v.url, audioDownloadUrl: server.url(audio).url, downloadUrlExpiry: dyteTimestamp(v.expiresAt),
      },
      meeting: { id: meetingId, sessionId, endedAt: null, organizedBy: { id: ORG, name: 'Dyte' } },
    };
    assert.equal((await postWebhook(ingress, body)).status, 202);
    const { path } = await archivedFile(`recording.${recordingId}`, video);
    assert.equal(path, join(archiveDir, ORG, meetingId, sessionId, `recording-${recordingId}.mp4`));
    await archivedFile(`recording_audio.${recordingId}`, audio);
    const peak = downloader.peakRssBytes();
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
    console.log(`      downloader RSS ${mb(baseline)} MB before, peak ${mb(peak)} MB while archiving a 200 MB recording and its audio`);
    assert.ok(peak - baseline < 64 * 1024 * 1024, `memory grew by ${mb(peak - baseline)} MB (< 64 MB) for a 200 MB file: it is streamed, never held`);
  });

  it('when the server fails twice with 503 and then resets a transfer, then the file is still archived, complete', async () => {
    const sessionId = randomUUID();
    const name = `${sessionId}/flaky.csv`;
    server.add(name, { size: 3 * 1024 * 1024, failFirst: 2, resetAfterBytes: 1024 * 1024, resetTimes: 1 });
    const { url, expiresAt } = server.url(name);
    await postWebhook(ingress, { event: 'meeting.chatSynced', meetingId: randomUUID(), sessionId, chatDownloadUrl: url, chatDownloadUrlExpiry: dyteTimestamp(expiresAt) });
    const { result } = await archivedFile(`chat.${sessionId}`, name);
    assert.ok(Number(result.value.attempts) >= 4, `attempts ${String(result.value.attempts)}`);
    assert.ok(server.requests(name).some((r) => r.status === 206), 'the reset transfer was resumed with Range');
  });

  it('when a link expires before it can be fetched, then it ends as EXPIRED on the archive topic', async () => {
    const sessionId = randomUUID();
    const name = `${sessionId}/late.csv`;
    server.add(name, { size: 1000 });
    const { url, expiresAt } = server.url(name, -1000);
    await postWebhook(ingress, { event: 'meeting.chatSynced', meetingId: randomUUID(), sessionId, chatDownloadUrl: url, chatDownloadUrlExpiry: dyteTimestamp(expiresAt) });
    const result = await archive.waitFor(`chat.${sessionId}`);
    assert.equal(result.type, 'ArtifactFailed');
    assert.equal(result.value.reason, 'EXPIRED');
    assert.equal(server.requests(name).length, 0, 'an expired link is not even tried');
    assert.equal((await fetch(`${ingress.url}/healthz`)).status, 200);
    assert.equal(downloader.child.exitCode, null, 'the downloader is still running');
  });

  it('when a link is on a disallowed host, redirects to a private address, or carries a path-traversal id, then each is refused with its reason', async () => {
    const expiry = dyteTimestamp(new Date(Date.now() + 3_600_000));
    const cases = [
      { sessionId: randomUUID(), url: 'https://evil.example.com/chat.csv', meetingId: randomUUID(), reason: 'NOT_ALLOWED', text: /evil\.example\.com is not in DOWNLOAD_ALLOWED_HOSTS/ },
      { sessionId: randomUUID(), url: '', meetingId: randomUUID(), reason: 'NOT_ALLOWED', text: /10\.1\.2\.3 is private/ },
      { sessionId: randomUUID(), url: '', meetingId: '../../../etc', reason: 'INVALID_ID', text: /meetingId "..\/..\/..\/etc" is not a safe path segment/ },
    ];
    server.add(`${cases[1]?.sessionId}/redirect`, { size: 1, redirectTo: 'http://10.1.2.3/latest/meta-data' });
    server.add(`${cases[2]?.sessionId}/chat.csv`, { size: 100 });
    (cases[1] as { url: string }).url = server.url(`${cases[1]?.sessionId}/redirect`).url;
    (cases[2] as { url: string }).url = server.url(`${cases[2]?.sessionId}/chat.csv`).url;
    for (const c of cases) {
      await postWebhook(ingress, { event: 'meeting.chatSynced', meetingId: c.meetingId, sessionId: c.sessionId, chatDownloadUrl: c.url, chatDownloadUrlExpiry: expiry });
    }
    for (const c of cases) {
      const result = await archive.waitFor(`chat.${c.sessionId}`);
      assert.equal(result.type, 'ArtifactFailed', JSON.stringify(result.value));
      assert.equal(result.value.reason, c.reason);
      assert.match(String(result.value.message), c.text);
    }
    assert.ok(!existsSync(join(archiveDir, '..', 'etc')), 'nothing written outside the archive');
  });

  it('when a downloader is killed (kill -9) in the middle of a large file, then after a restart the job completes with a correct file', async () => {
    const sessionId = randomUUID();
    const name = `${sessionId}/big.csv`;
    server.add(name, { size: 60 * 1024 * 1024, bytesPerSecond: 15 * 1024 * 1024 });
    const { url, expiresAt } = server.url(name);
    await postWebhook(ingress, { event: 'meeting.chatSynced', meetingId: randomUUID(), sessionId, chatDownloadUrl: url, chatDownloadUrlExpiry: dyteTimestamp(expiresAt) });
    const partial = join(archiveDir, '.partial', `chat.${sessionId}.part`);
    await waitFor(() => existsSync(partial) && statSync(partial).size > 10 * 1024 * 1024, {
      timeoutMs: 60_000,
      description: 'the download to be 10 MB under way',
    });
    await downloader.kill();
    // The fleet stops the downloader running now.
    downloader = fleet.downloader = spawnService('downloader', env);
    await downloader.waitForLog('downloading');
    await archivedFile(`chat.${sessionId}`, name);
    const resumed = server.requests(name).filter((r) => r.status === 206);
    assert.ok(resumed.length >= 1, 'the restarted downloader resumed with Range instead of starting over');
  });
});
