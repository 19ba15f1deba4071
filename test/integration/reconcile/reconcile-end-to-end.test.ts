import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { createRedis, openArchiveQueues, type ArchiveQueues } from '../../../shared/src/index.js';
import type { ReconcileReport } from '../../../services/dispatcher/src/reconcile/reconcile-report.js';
import { archiveFleetEnv, dropArchiveQueues } from '../../helpers/archive-fleet.js';
import { dyteTimestamp, watchArchive } from '../../helpers/archive-watcher.js';
import { postWebhook, startIngress, type IngressUnderTest } from '../../helpers/ingress-under-test.js';
import { runCli } from '../../helpers/run-cli.js';
import { spawnService, type RunningService } from '../../helpers/spawn-service.js';
import { StandInProvider, type StandInSession } from '../../../scripts/stand-ins/stand-in-provider.js';
import { testConfig } from '../../helpers/test-config.js';
import { waitFor } from '../../helpers/wait-for.js';

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

describe('reconciler end to end: stand-in provider -> dyte-bridge reconcile -> BullMQ -> downloader -> archive', function () {
  this.timeout(300_000);
  let provider: StandInProvider;
  let ingress: IngressUnderTest;
  let archiveDir: string;
  let env: Record<string, string>;
  let dispatcher: RunningService;
  let downloader: RunningService;
  let archive: Awaited<ReturnType<typeof watchArchive>>;
  let redis: Redis;
  let queues: ArchiveQueues;

  before(async () => {
    provider = await new StandInProvider().start();
    ingress = await startIngress();
    archiveDir = await mkdtemp(join(tmpdir(), 'reconcile-'));
    // The sweep is off here: this test runs the reconcile itself, with the CLI.
    env = archiveFleetEnv(ingress, archiveDir, { ...provider.env('realtimekit'), RECONCILE_INTERVAL_SECONDS: '0' }, provider.artifacts);
    dispatcher = spawnService('dispatcher', env);
    downloader = spawnService('downloader', downloaderEnv());
    await Promise.all([dispatcher.waitForLog('consuming'), downloader.waitForLog('downloading')]);
    archive = await watchArchive(ingress.kafka, `${env.TOPIC_PREFIX}archive`, ingress.plainRegistry);
    redis = createRedis(testConfig.redisUrl);
    queues = openArchiveQueues(redis, env.ARCHIVE_QUEUE as string);
  });

  // The downloaders run without the provider's API (as a fleet did before it was configured): an expired link then
  // fails for good as EXPIRED instead of being refreshed, which is the failure the reconciler retries.
  const downloaderEnv = () => ({ ...Object.fromEntries(Object.entries(env).filter(([name]) => !/^(PROVIDER|RTK_)/.test(name))), PROVIDER: 'none' });

  after(async () => {
    await archive?.stop();
    await Promise.all([dispatcher?.stop(), downloader?.stop()]);
    await queues?.close();
    await redis?.quit();
    await ingress?.stop();
    await provider?.close();
    await dropArchiveQueues(env?.ARCHIVE_QUEUE);
    await rm(archiveDir, { recursive: true, force: true });
  });

  // Webhooks as Dyte sends them, for the stand-in's own files: what the fleet would have been told.
  const organizedBy = () => ({ id: provider.appId, name: 'Stand-in' });
  const meetingOf = (s: StandInSession) => ({ id: s.meetingId, sessionId: s.id, title: s.title, status: 'ENDED', organizedBy: organizedBy() });
  const link = (file: string | undefined, ttlMs = 3600_000) => provider.artifacts.url(file as string, ttlMs);
  const webhooks = {
    chat: (s: StandInSession, ttlMs?: number) => {
      const l = link(s.files.chat, ttlMs);
      return { event: 'meeting.chatSynced', meetingId: s.meetingId, sessionId: s.id, chatDownloadUrl: l.url, chatDownloadUrlExpiry: dyteTimestamp(l.expiresAt), organizedBy: organizedBy() };
    },
    transcript: (s: StandInSession, ttlMs?: number) => {
      const l = link(s.files.transcript, ttlMs);
      return { event: 'meeting.transcript', meeting: meetingOf(s), transcriptDownloadUrl: l.url, transcriptDownloadUrlExpiry: dyteTimestamp(l.expiresAt) };
    },
    summary: (s: StandInSession, ttlMs?: number) => {
      const l = link(s.files.summary, ttlMs);
      return { event: 'meeting.summary', meeting: meetingOf(s), summaryDownloadUrl: l.url, summaryDownloadUrlExpiry: dyteTimestamp(l.expiresAt) };
    },
    recording: (s: StandInSession) => {
      const r = s.recordings[0]!;
      const video = link(r.video);
      return {
        event: 'recording.statusUpdate',
        recording: {
          id: r.id, recordingId: r.id, meetingId: s.meetingId, organizationId: provider.appId, roomUUID: s.id, status: 'UPLOADED', fileSize: r.size,
          downloadUrl: video.url, audioDownloadUrl: link(r.audio).url, downloadUrlExpiry: dyteTimestamp(video.expiresAt),
        },
        meeting: meetingOf(s),
      };
    },
  };
  const post = async (body: Record<string, unknown>) => assert.equal((await postWebhook(ingress, body)).status, 202);
  const reconcileJson = async (...flags: string[]): Promise<{ code: number | null; report: ReconcileReport; stderr: string }> => {
    const run = await runCli(['reconcile', '--since', '24h', '--json', ...flags], env);
    assert.ok(run.stdout, `a report on stdout (exit ${run.code}; stderr: ${run.stderr})`);
    return { code: run.code, report: JSON.parse(run.stdout) as ReconcileReport, stderr: run.stderr };
  };
  const outcomes = (report: ReconcileReport) =>
    Object.fromEntries(report.sessions.flatMap((s) => s.artifacts.filter((a) => a.jobId).map((a) => [a.jobId as string, a.outcome])));

  it('when sessions hold artifacts archived, pending, failed on an expired link and never announced, then reconcile adds exactly the missing ones with the webhook path job ids (nothing in a dry run), and each is archived once with its SHA-256', async () => {
    const a = provider.addSession({ chat: { size: 2000 }, transcript: { size: 3000 }, summary: { size: 500 }, recordings: [{ size: 100_000, audioSize: 20_000 }] });
    const b = provider.addSession({ chat: { size: 1500 }, transcript: { size: 2500 }, summary: { size: 400 } });
    const c = provider.addSession({ chat: { size: 1000 }, transcript: { size: 1200 }, recordings: [{ size: 50_000 }] });
    const d = provider.addSession({ recordings: [{ size: 10, status: 'RECORDING' }] });
    provider.addSession({ chat: { size: 10 }, endedAt: null });
    const rA = a.recordings[0]!.id;
    const rC = c.recordings[0]!.id;

    // Archived through the webhook path: A's chat and recording; B's summary failed for good: its link had expired.
    for (const body of [webhooks.chat(a), webhooks.recording(a), webhooks.summary(b, -60_000)]) await post(body);
    for (const jobId of [`chat.${a.id}`, `recording.${rA}`, `recording_audio.${rA}`]) assert.equal((await archive.waitFor(jobId)).type, 'ArtifactArchived', jobId);
    assert.equal((await archive.waitFor(`summary.${b.id}`)).value.reason, 'EXPIRED');
    // Pending: announced while no downloader runs.
    assert.equal(await downloader.stop(), 0);
    for (const body of [webhooks.transcript(a), webhooks.chat(b)]) await post(body);
    await waitFor(async () => (await queues.archive.getJobState(`chat.${b.id}`)) !== 'unknown' && (await queues.archive.getJobState(`transcript.${a.id}`)) !== 'unknown', {
      timeoutMs: 30_000,
      description: 'the pending jobs in the queue',
    });

    const expected = {
      [`chat.${a.id}`]: 'already_archived',
      [`recording.${rA}`]: 'already_archived',
      [`recording_audio.${rA}`]: 'already_archived',
      [`transcript.${a.id}`]: 'pending',
      [`chat.${b.id}`]: 'pending',
      [`summary.${b.id}`]: 'retried',
      [`summary.${a.id}`]: 'recovered',
      [`transcript.${b.id}`]: 'recovered',
      [`chat.${c.id}`]: 'recovered',
      [`transcript.${c.id}`]: 'recovered',
      [`recording.${rC}`]: 'recovered',
    };
    const totals = { recovered: 5, retried: 1, already_archived: 3, pending: 2, failed: 0, not_held: 5, unusable: 0 };

    // Without the provider's API, the session ledger still tells which announced artifacts are not archived.
    const ledgerOnly = await waitFor(
      async () => {
        const run = await runCli(['reconcile', '--json'], downloaderEnv());
        const report = JSON.parse(run.stdout || '{}') as ReconcileReport;
        return (report.incomplete ?? []).length === 2 ? { run, report } : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: 'the ledger to show sessions A and B incomplete' },
    );
    assert.equal(ledgerOnly.run.code, 1, ledgerOnly.run.stderr);
    assert.match(ledgerOnly.run.stderr, /no provider API \(PROVIDER=none\): only the session ledger is read/);
    assert.deepEqual(ledgerOnly.report.sessions, []);
    const incomplete = new Map(ledgerOnly.report.incomplete!.map((session) => [session.sessionId, session.artifacts.map((x) => `${x.jobId} ${x.state}`).sort()]));
    assert.deepEqual(incomplete.get(a.id), [`transcript.${a.id} pending`]);
    assert.deepEqual(incomplete.get(b.id), [`chat.${b.id} pending`, `summary.${b.id} failed`]);
    assert.match(ledgerOnly.report.incomplete!.find((x) => x.sessionId === b.id)!.artifacts.find((x) => x.state === 'failed')!.reason ?? '', /^EXPIRED/);

    const countsBefore = await queues.archive.getJobCounts();
    const dry = await reconcileJson('--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(outcomes(dry.report), expected);
    assert.deepEqual(dry.report.totals, totals);
    assert.deepEqual(dry.report.skipped, { live: 1, recent: 0 });
    assert.equal(dry.report.dryRun, true);
    assert.deepEqual(await queues.archive.getJobCounts(), countsBefore, 'a dry run changes nothing in the queue');
    assert.equal(await queues.archive.getJobState(`summary.${b.id}`), 'failed');

    const requestsBefore = provider.requests.length;
    const real = await reconcileJson();
    assert.equal(real.code, 0, real.stderr);
    assert.deepEqual(outcomes(real.report), expected);
    assert.deepEqual(real.report.totals, totals);
    // The budget it spends: one listing of sessions and one of recordings, then chat, transcript and summary for each
    // of the 4 ended sessions (A, B, C, D); the live one is not asked about.
    const spent = provider.requests.slice(requestsBefore);
    assert.equal(spent.length, 2 + 3 * 4, spent.map((r) => r.path).join(' '));
    assert.ok(!spent.some((r) => r.status === 429));
    assert.equal(d.files.chat, undefined);

    const added = await queues.archive.getJob(`chat.${c.id}`);
    assert.equal(added?.data.sourceEvent, 'reconcile');
    assert.equal(added?.data.artifact.organizationId, provider.appId);
    assert.ok((await redis.smembers(`dyte-bridge:${env.ARCHIVE_QUEUE}:meeting:${c.meetingId}`)).includes(`chat.${c.id}`), 'noted under its meeting, as the dispatcher does');
    assert.equal(added?.opts.attempts, 20);
    assert.ok((added?.opts.priority ?? 0) > 0, 'prioritized by expiry');
    assert.notEqual(await queues.archive.getJobState(`summary.${b.id}`), 'failed', 'the expired job was retried');

    downloader = spawnService('downloader', downloaderEnv());
    const files: Record<string, string> = {
      [`transcript.${a.id}`]: a.files.transcript!,
      [`chat.${b.id}`]: b.files.chat!,
      [`summary.${b.id}`]: b.files.summary!,
      [`summary.${a.id}`]: a.files.summary!,
      [`transcript.${b.id}`]: b.files.transcript!,
      [`chat.${c.id}`]: c.files.chat!,
      [`transcript.${c.id}`]: c.files.transcript!,
      [`recording.${rC}`]: c.recordings[0]!.video!,
    };
    const sessions = new Map([a, b, c].map((s) => [s.id, s]));
    for (const [jobId, file] of Object.entries(files)) {
      const result = await waitFor(() => archive.about(jobId).find((r) => r.type === 'ArtifactArchived'), { timeoutMs: 120_000, description: `${jobId} archived` });
      const path = fileURLToPath(String(result.value.location));
      const session = sessions.get(String(result.value.artifact.sessionId));
      assert.ok(session, jobId);
      assert.ok(path.startsWith(join(archiveDir, provider.appId, session.meetingId, session.id)), `${jobId} archived where its webhook would have put it: ${path}`);
      assert.equal(await sha256Of(path), provider.sha256(file), `${jobId}: the stored file has the source SHA-256`);
      assert.equal(result.value.sha256, provider.sha256(file), jobId);
    }
    const everyFile = [...Object.values(files), a.files.chat!, a.recordings[0]!.video!, a.recordings[0]!.audio!];
    for (const file of everyFile) {
      assert.equal(provider.artifacts.requests(file).filter((r) => r.status === 200 || r.status === 206).length, 1, `${file} fetched once`);
    }

    const again = await runCli(['reconcile', '--since', '24h'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, new RegExp(`^session ${a.id} \\(meeting ${a.meetingId}, ended .*\\): 5 held: 5 archived$`, 'm'));
    assert.match(again.stdout, /4 session\(s\) started .*: 11 artifact\(s\) held by the provider: 11 already archived, 0 pending, added 0, retried 0, .*; 5 not held; skipped 1 live/);
    assert.match(again.stderr, /reconciling sessions started .* with realtimekit \(account /);
  });
});
