import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { archiveFleetEnv, dropArchiveQueues } from '../../helpers/archive-fleet.js';
import { ArtifactServer } from '../../../scripts/stand-ins/artifact-server.js';
import { fixture } from '../../helpers/fixtures.js';
import { postWebhook, startIngress, type IngressUnderTest } from '../../helpers/ingress-under-test.js';
import { runCli } from '../../helpers/run-cli.js';
import { spawnService, type RunningService } from '../../helpers/spawn-service.js';
import { waitFor } from '../../helpers/wait-for.js';

interface Status {
  summary: Record<string, number>;
  artifacts: { jobId: string; kind: string; state: string; reason?: string; sha256?: string; location?: string; secondsLeft: number | null }[];
}

describe('dyte-bridge archive status and requeue, with a real dispatcher and downloader', () => {
  let ingress: IngressUnderTest;
  let server: ArtifactServer;
  let env: Record<string, string>;
  const fleet: RunningService[] = [];
  const meetingId = randomUUID();
  const sessionId = randomUUID();

  before(async () => {
    ingress = await startIngress();
    server = await new ArtifactServer().start();
    env = archiveFleetEnv(ingress, mkdtempSync(join(tmpdir(), 'cli-archive-')), { ARCHIVE_JOB_ATTEMPTS: '3' }, server);
    fleet.push(spawnService('dispatcher', env), spawnService('downloader', env));
    await Promise.all([fleet[0]!.waitForLog('consuming'), fleet[1]!.waitForLog('downloading')]);
  });
  after(async () => {
    await Promise.all(fleet.map((service) => service.stop()));
    await ingress.stop();
    await server.close();
    await dropArchiveQueues(env?.ARCHIVE_QUEUE);
  });

  const status = async (expectCode?: number): Promise<Status> => {
    const run = await runCli(['archive', 'status', meetingId, '--json'], env);
    if (expectCode !== undefined) assert.equal(run.code, expectCode, run.stderr);
    return JSON.parse(run.stdout) as Status;
  };
  const waitForSummary = (wanted: Record<string, number>) =>
    waitFor(
      async () => {
        const run = await runCli(['archive', 'status', meetingId, '--json'], env);
        if (!run.stdout) return undefined;
        const current = JSON.parse(run.stdout) as Status;
        return JSON.stringify(current.summary) === JSON.stringify(wanted) ? current : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 200, description: `the meeting's artifacts to be ${JSON.stringify(wanted)}` },
    );

  it('when one artifact is archived, one is missing (404) and one link expired, then status shows each with its reason and exits 1', async () => {
    server.add('chat.csv', { size: 5000, contentType: 'text/csv' });
    const chat = server.url('chat.csv');
    const transcript = server.url('transcript.csv');
    const summary = server.url('summary.txt', -60_000);
    const chatBody = { ...fixture('seed', 'meeting-chatSynced'), meetingId, sessionId, chatDownloadUrl: chat.url, chatDownloadUrlExpiry: chat.expiresAt.toISOString() };
    const meeting = { ...(fixture('domain', 'meeting-summary').meeting as object), id: meetingId, sessionId };
    const transcriptBody = { ...fixture('seed', 'meeting-transcript'), meeting, transcriptDownloadUrl: transcript.url, transcriptDownloadUrlExpiry: transcript.expiresAt.toISOString() };
    const summaryBody = { ...fixture('domain', 'meeting-summary'), meeting, summaryDownloadUrl: summary.url, summaryDownloadUrlExpiry: summary.expiresAt.toISOString() };
    for (const body of [chatBody, transcriptBody, summaryBody]) assert.equal((await postWebhook(ingress, body)).status, 202);

    const current = await waitForSummary({ archived: 1, failed: 2 });
    const byKind = Object.fromEntries(current.artifacts.map((a) => [a.kind, a]));
    assert.equal(byKind.chat?.sha256, server.sha256('chat.csv'));
    assert.ok(byKind.chat?.location && existsSync(fileURLToPath(byKind.chat.location)), `archived file exists: ${byKind.chat?.location}`);
    assert.match(byKind.transcript?.reason ?? '', /^HTTP_404/);
    assert.match(byKind.summary?.reason ?? '', /^EXPIRED/);
    await status(1);

    const text = await runCli(['archive', 'status', meetingId], env);
    assert.equal(text.code, 1);
    assert.match(text.stdout, new RegExp(`meeting ${meetingId}: 3 artifact\\(s\\)`));
    assert.match(text.stdout, /^failed +transcript +transcript\.\S+ +HTTP_404/m);
    assert.match(text.stdout, /^archived +chat +chat\.\S+ +file:\/\//m);
  });

  it('when an expired job is requeued without a fresh link, then it is refused; with one, it is archived', async () => {
    const jobId = `summary.${sessionId}`;
    const refused = await runCli(['requeue', '--job', jobId], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /its link expired; requeue it with a fresh one: --job \S+ --url URL --expires-at TIME, or let 'dyte-bridge reconcile' \(provider API\) give it one/);

    server.add('summary.txt', { size: 700, contentType: 'text/plain' });
    const fresh = server.url('summary.txt');
    const requeued = await runCli(['requeue', '--job', jobId, '--url', fresh.url, '--expires-at', fresh.expiresAt.toISOString()], env);
    assert.equal(requeued.code, 0, requeued.stderr);
    assert.match(requeued.stdout, new RegExp(`requeued ${jobId.replace('.', '\\.')}`));
    const current = await waitForSummary({ archived: 2, failed: 1 });
    assert.equal(current.artifacts.find((a) => a.kind === 'summary')?.sha256, server.sha256('summary.txt'));
  });

  it("when the meeting's failed jobs are requeued once the file exists, then all are archived and status exits 0", async () => {
    server.add('transcript.csv', { size: 1200, contentType: 'text/csv' });
    const requeued = await runCli(['requeue', '--meeting', meetingId], env);
    assert.equal(requeued.code, 0, requeued.stderr);
    await waitForSummary({ archived: 3 });
    await status(0);

    const again = await runCli(['requeue', '--job', `chat.${sessionId}`], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /it is archived; only failed jobs are requeued/);
    const unknown = await runCli(['archive', 'status', randomUUID()], env);
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /no artifact of meeting/);
  });
});
