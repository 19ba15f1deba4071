import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { archiveFleetEnv, dropArchiveQueues } from '../../helpers/archive-fleet.js';
import { dyteTimestamp, watchArchive, type ArchiveResult } from '../../helpers/archive-watcher.js';
import { fixture } from '../../helpers/fixtures.js';
import { postWebhook, startIngress, type IngressUnderTest } from '../../helpers/ingress-under-test.js';
import { runCli } from '../../helpers/run-cli.js';
import { metricsUrlOf, scrape } from '../../helpers/scrape-metrics.js';
import { spawnService } from '../../helpers/spawn-service.js';
import { StandInProvider, type StandInSession } from '../../../scripts/stand-ins/stand-in-provider.js';
import { waitFor } from '../../helpers/wait-for.js';

const MiB = 1024 * 1024;
const DAY = 24 * 3600_000;

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** A dispatcher and a downloader on their own topics and queue, fetching from the stand-in provider's artifact server. */
async function startFleet(ingress: IngressUnderTest, stand: StandInProvider, extra: Record<string, string>) {
  const archiveDir = await mkdtemp(join(tmpdir(), 'link-refresh-'));
  const env = archiveFleetEnv(ingress, archiveDir, { DOWNLOAD_LOCK_MS: '4000', DOWNLOAD_PROGRESS_INTERVAL_MS: '1000', ...extra }, stand.artifacts);
  const dispatcher = spawnService('dispatcher', env);
  const downloader = spawnService('downloader', env);
  await Promise.all([dispatcher.waitForLog('consuming'), downloader.waitForLog('downloading')]);
  const archive = await watchArchive(ingress.kafka, `${env.TOPIC_PREFIX}archive`, ingress.plainRegistry);
  return {
    env,
    archiveDir,
    downloader,
    archive,
    async stop() {
      await archive.stop();
      await Promise.all([dispatcher.stop(), downloader.stop()]);
      await dropArchiveQueues(env.ARCHIVE_QUEUE);
      await rm(archiveDir, { recursive: true, force: true });
    },
  };
}

/** The chatSynced webhook of a session, with `link` as its download link. */
const chatSynced = (session: StandInSession, link: { url: string; expiresAt: Date }) => ({
  event: 'meeting.chatSynced',
  meetingId: session.meetingId,
  sessionId: session.id,
  chatDownloadUrl: link.url,
  chatDownloadUrlExpiry: dyteTimestamp(link.expiresAt),
});

/** The recording.statusUpdate (UPLOADED) webhook of a session's first recording; `fileSize` only when given. */
const recordingUploaded = (session: StandInSession, link: { url: string; expiresAt: Date }, fileSize?: number) => ({
  event: 'recording.statusUpdate',
  recording: {
    id: session.recordings[0]?.id,
    meetingId: session.meetingId,
    roomUUID: session.id,
    status: 'UPLOADED',
    downloadUrl: link.url,
    downloadUrlExpiry: dyteTimestamp(link.expiresAt),
    ...(fileSize === undefined ? {} : { fileSize }),
  },
  meeting: { id: session.meetingId, sessionId: session.id },
});

describe('link refresh: the downloader asks the provider API for a fresh link and goes on', function () {
  this.timeout(180_000);
  let ingress: IngressUnderTest;
  let stand: StandInProvider;
  let fleet: Awaited<ReturnType<typeof startFleet>>;
  let metricsUrl: string;

  before(async () => {
    stand = await new StandInProvider().start();
    ingress = await startIngress();
    fleet = await startFleet(ingress, stand, {
      ...stand.env('realtimekit'),
      ARCHIVE_JOB_ATTEMPTS: '8',
      // A 429 without Retry-After pauses the budget for one window (1 s), more than a request may wait (0.5 s):
      // the request fails as PROVIDER_THROTTLED rather than waiting it out.
      PROVIDER_RATE_WINDOW_MS: '1000',
      PROVIDER_MAX_WAIT_MS: '500',
      PROVIDER_TIMEOUT_MS: '3000',
    });
    metricsUrl = await metricsUrlOf(fleet.downloader);
  });

  after(async () => {
    await fleet?.stop();
    await ingress?.stop();
    await stand?.close();
  });

  const refreshes = async (labels: Record<string, string>) => (await scrape(metricsUrl)).sum('dyte_downloader_link_refreshes_total', labels) ?? 0;
  const archivedFile = async (jobId: string, file: string): Promise<ArchiveResult> => {
    const result = await fleet.archive.waitFor(jobId, 120_000);
    assert.equal(result.type, 'ArtifactArchived', JSON.stringify(result.value));
    assert.equal(result.value.sha256, stand.sha256(file), 'the record carries the source SHA-256');
    assert.equal(await sha256Of(fileURLToPath(String(result.value.location))), stand.sha256(file), 'the stored file has the source SHA-256');
    return result;
  };
  const apiCalls = (path: string) => stand.requests.filter((r) => r.path === path);
  const refreshLog = (jobId: string) =>
    fleet.downloader.lines.flatMap((line) => {
      const parsed = JSON.parse(line.startsWith('{') ? line : 'null') as Record<string, unknown> | null;
      return parsed?.msg === 'link refreshed' && parsed.jobId === jobId ? [parsed] : [];
    });

  it('when a job\'s link has already expired, then it is archived through one fresh link, with the right SHA-256, and status shows the refresh', async () => {
    const session = stand.addSession({ chat: { size: 30_000, contentType: 'text/csv' } });
    const file = session.files.chat as string;
    const before = await refreshes({ kind: 'chat', trigger: 'expired', outcome: 'refreshed' });
    assert.equal((await postWebhook(ingress, chatSynced(session, stand.artifacts.url(file, -60_000)))).status, 202);

    const result = await archivedFile(`chat.${session.id}`, file);
    assert.equal(result.value.linkRefreshes, 1);
    assert.equal(result.value.bytes, 30_000);
    assert.equal(apiCalls(`/sessions/${session.id}/chat`).length, 1, 'one request for a fresh link');
    assert.deepEqual(stand.artifacts.requests(file).map((r) => r.status), [200], 'the expired link is never tried: one download, with the fresh link');
    assert.equal(await refreshes({ kind: 'chat', trigger: 'expired', outcome: 'refreshed' }), before + 1);

    const status = await runCli(['archive', 'status', session.meetingId, '--json'], fleet.env);
    assert.equal(status.code, 0, status.stderr);
    const artifact = (JSON.parse(status.stdout) as { artifacts: { jobId: string; state: string; linkRefreshes: number; expiresAt: string }[] }).artifacts[0];
    assert.equal(artifact?.state, 'archived');
    assert.equal(artifact?.linkRefreshes, 1, 'the job data carries the count');
    assert.ok(Date.parse(artifact?.expiresAt ?? '') > Date.now(), `the job data carries the fresh link's expiry (${artifact?.expiresAt})`);
    const text = await runCli(['archive', 'status', session.meetingId], fleet.env);
    assert.match(text.stdout, /^archived +chat .* link refreshed 1x$/m);
  });

  it('when the sample chatSynced webhook is sent as it is (its link expired in 2022, on a host not allowed), then the fresh link archives it', async () => {
    // What `make run` shows: its stand-in holds the sample sessions, so `dyte-bridge send meeting-chatSynced` is archived.
    const sample = fixture('seed', 'meeting-chatSynced');
    const session = stand.addSession({ id: String(sample.sessionId), meetingId: String(sample.meetingId), chat: { size: 4096, contentType: 'text/csv' } });
    assert.equal((await postWebhook(ingress, sample)).status, 202);
    const result = await archivedFile(`chat.${session.id}`, session.files.chat as string);
    assert.equal(result.value.linkRefreshes, 1);
    assert.match(String(result.value.location), new RegExp(`/${String((sample.organizedBy as { id: string }).id)}/${session.meetingId}/${session.id}/chat\\.csv$`));
  });

  it('when an attempt fails after a refresh, then the retry uses the fresh link saved in the job, without asking again', async () => {
    const session = stand.addSession({ chat: { size: 10_000 } });
    const file = session.files.chat as string;
    // The first request (the fresh link's) gets a 503: a retriable failure of the attempt.
    stand.artifacts.add(file, { size: 10_000, failFirst: 1 });
    assert.equal((await postWebhook(ingress, chatSynced(session, stand.artifacts.url(file, -60_000)))).status, 202);
    const result = await archivedFile(`chat.${session.id}`, file);
    assert.equal(result.value.attempts, 2);
    assert.equal(result.value.linkRefreshes, 1);
    assert.equal(apiCalls(`/sessions/${session.id}/chat`).length, 1, 'the second attempt did not ask for another link');
    assert.deepEqual(stand.artifacts.requests(file).map((r) => r.status), [503, 200]);
  });

  it('when a link expires in the middle of a download, then a fresh link resumes it with Range and the file is complete and right', async () => {
    const session = stand.addSession({ recordings: [{ size: 12 * MiB }] });
    const recording = session.recordings[0];
    const file = recording?.video as string;
    // The same bytes, served at 1.5 MiB/s: about 8 s, while the webhook's link lives 4 s.
    stand.artifacts.add(file, { size: 12 * MiB, contentType: 'video/mp4', bytesPerSecond: 1.5 * MiB });
    // No fileSize: nothing predicts the expiry, so the cut at the expiry is what asks for the fresh link.
    assert.equal((await postWebhook(ingress, recordingUploaded(session, stand.artifacts.url(file, 4000)))).status, 202);

    const jobId = `recording.${recording?.id}`;
    const result = await archivedFile(jobId, file);
    assert.equal(result.value.bytes, 12 * MiB);
    assert.equal(result.value.attempts, 1, 'resumed within the same attempt');
    assert.equal(result.value.linkRefreshes, 1);
    assert.deepEqual(refreshLog(jobId).map((line) => [line.trigger, line.sameObject]), [['mid_download', true]]);
    const requests = stand.artifacts.requests(file);
    assert.equal(requests[0]?.status, 200);
    const resumed = requests.find((r) => r.status === 206);
    assert.ok(resumed, `the fresh link resumed the download: ${JSON.stringify(requests)}`);
    assert.match(resumed.range ?? '', /^bytes=[1-9]\d*-$/);
    assert.equal(apiCalls(`/recordings/${recording?.id}`).length, 1);
  });

  it('when the fresh link names another object, then the bytes kept are dropped and the download starts over from the fresh link', async () => {
    const session = stand.addSession({ chat: { size: 3 * MiB, contentType: 'text/csv' } });
    const file = session.files.chat as string;
    // The webhook's link names a copy elsewhere (other bytes), slow enough to be cut at its expiry.
    const elsewhere = `mirror/${session.id}/chat.csv`;
    stand.artifacts.add(elsewhere, { size: 8 * MiB, contentType: 'text/csv', bytesPerSecond: MiB });
    assert.equal((await postWebhook(ingress, chatSynced(session, stand.artifacts.url(elsewhere, 4000)))).status, 202);

    const jobId = `chat.${session.id}`;
    const result = await archivedFile(jobId, file);
    assert.equal(result.value.bytes, 3 * MiB, "the provider's object, whole");
    assert.deepEqual(refreshLog(jobId).map((line) => [line.trigger, line.sameObject]), [['mid_download', false]]);
    assert.deepEqual(stand.artifacts.requests(elsewhere).map((r) => r.status), [200]);
    assert.deepEqual(stand.artifacts.requests(file).map((r) => [r.status, r.range]), [[200, undefined]], 'started over: no Range');
  });

  it('when the object store refuses a link with 403 before its announced expiry, then a fresh link is asked for and the file archived', async () => {
    const session = stand.addSession({ summary: { size: 4000, contentType: 'text/plain' } });
    const file = session.files.summary as string;
    // The store says "Request has expired" while the webhook claims an hour left (a clock or an expiry that lies).
    const refused = stand.artifacts.url(file, -1000);
    const body = {
      event: 'meeting.summary',
      meeting: { id: session.meetingId, sessionId: session.id },
      summaryDownloadUrl: refused.url,
      summaryDownloadUrlExpiry: dyteTimestamp(new Date(Date.now() + 3600_000)),
    };
    assert.equal((await postWebhook(ingress, body)).status, 202);
    const jobId = `summary.${session.id}`;
    const result = await archivedFile(jobId, file);
    assert.equal(result.value.linkRefreshes, 1);
    assert.equal(result.value.attempts, 1);
    assert.deepEqual(refreshLog(jobId).map((line) => line.trigger), ['refused']);
    assert.deepEqual(stand.artifacts.requests(file).map((r) => r.status), [403, 200]);
  });

  it('when a link would expire before a download of its announced size could finish, then a fresh link is asked for before fetching', async () => {
    const session = stand.addSession({ recordings: [{ size: 2 * MiB }] });
    const recording = session.recordings[0];
    const file = recording?.video as string;
    // 25 s left is under the 30 s margin alone, whatever rate the downloader has seen.
    assert.equal((await postWebhook(ingress, recordingUploaded(session, stand.artifacts.url(file, 25_000), 2 * MiB))).status, 202);

    const jobId = `recording.${recording?.id}`;
    const result = await archivedFile(jobId, file);
    assert.equal(result.value.linkRefreshes, 1);
    assert.deepEqual(refreshLog(jobId).map((line) => line.trigger), ['expiring']);
    assert.deepEqual(stand.artifacts.requests(file).map((r) => r.status), [200], 'one download, from the start');
  });

  it('when the provider no longer holds the artifact, then the job ends as a final EXPIRED saying NOT_HELD', async () => {
    // Ended 8 days ago: past the 7 days of retention, so the provider answers 404.
    const session = stand.addSession({ startedAt: new Date(Date.now() - 8 * DAY - 3600_000), endedAt: new Date(Date.now() - 8 * DAY), chat: { size: 100 } });
    const before = await refreshes({ kind: 'chat', trigger: 'expired', outcome: 'not_held' });
    assert.equal((await postWebhook(ingress, chatSynced(session, stand.artifacts.url(session.files.chat as string, -60_000)))).status, 202);

    const result = await fleet.archive.waitFor(`chat.${session.id}`);
    assert.equal(result.type, 'ArtifactFailed', JSON.stringify(result.value));
    assert.equal(result.value.reason, 'EXPIRED');
    assert.equal(result.value.expiredBecause, 'NOT_HELD');
    assert.equal(result.value.attempts, 1, 'final at once, not retried');
    assert.equal(result.value.linkRefreshes, 0);
    assert.match(String(result.value.message), /NOT_FOUND/);
    assert.equal(await refreshes({ kind: 'chat', trigger: 'expired', outcome: 'not_held' }), before + 1);
    const status = await runCli(['archive', 'status', session.meetingId], fleet.env);
    assert.equal(status.code, 1);
    assert.match(status.stdout, /^failed +chat .* EXPIRED \(NOT_HELD\): /m);
  });

  for (const [outage, code] of [
    [503, 'PROVIDER_UNAVAILABLE'],
    [429, 'PROVIDER_THROTTLED'],
  ] as const) {
    it(`when the provider API answers ${outage} (${code}), then the attempt is retried, and archived once the API answers again`, async () => {
      const session = stand.addSession({ transcript: { size: 20_000, contentType: 'text/csv' } });
      const file = session.files.transcript as string;
      const link = stand.artifacts.url(file, -60_000);
      const before = await refreshes({ kind: 'transcript', trigger: 'expired', outcome: 'retriable_error' });
      stand.outageStatus = outage;
      try {
        const body = {
          event: 'meeting.transcript',
          meeting: { id: session.meetingId, sessionId: session.id },
          transcriptDownloadUrl: link.url,
          transcriptDownloadUrlExpiry: dyteTimestamp(link.expiresAt),
        };
        assert.equal((await postWebhook(ingress, body)).status, 202);
        await waitFor(() => apiCalls(`/sessions/${session.id}/transcript`).some((r) => r.status === outage), {
          timeoutMs: 60_000,
          description: `the downloader to meet the ${outage}`,
        });
        await waitFor(async () => (await refreshes({ kind: 'transcript', trigger: 'expired', outcome: 'retriable_error' })) > before, {
          timeoutMs: 10_000,
          description: 'the failed refresh to be counted',
        });
      } finally {
        stand.outageStatus = undefined;
      }
      const result = await archivedFile(`transcript.${session.id}`, file);
      assert.ok(Number(result.value.attempts) >= 2, `retried: attempts ${String(result.value.attempts)}`);
      assert.equal(result.value.linkRefreshes, 1, 'only the fresh link that was had is counted');
      assert.deepEqual(
        fleet.archive.about(`transcript.${session.id}`).map((r) => r.type),
        ['ArtifactArchived'],
        'no failure was reported in between',
      );
      const retried = fleet.downloader.lines.some((line) => line.includes('attempt failed; will retry') && line.includes(session.id) && line.includes(code));
      assert.ok(retried, `the downloader logged a retry for ${code}`);
    });
  }
});

describe('link refresh: without a provider API, an expired link is final as before', function () {
  this.timeout(120_000);
  let ingress: IngressUnderTest;
  let stand: StandInProvider;
  let fleet: Awaited<ReturnType<typeof startFleet>>;

  before(async () => {
    // Only its artifact server is used: the fleet is not told about the API.
    stand = await new StandInProvider().start();
    ingress = await startIngress();
    fleet = await startFleet(ingress, stand, { PROVIDER: 'none' });
  });

  after(async () => {
    await fleet?.stop();
    await ingress?.stop();
    await stand?.close();
  });

  it('when a link has expired before the fetch, then the job ends as EXPIRED saying NO_PROVIDER_API, never tried', async () => {
    const session = stand.addSession({ chat: { size: 1000 } });
    const file = session.files.chat as string;
    assert.equal((await postWebhook(ingress, chatSynced(session, stand.artifacts.url(file, -60_000)))).status, 202);
    const result = await fleet.archive.waitFor(`chat.${session.id}`);
    assert.equal(result.type, 'ArtifactFailed', JSON.stringify(result.value));
    assert.equal(result.value.reason, 'EXPIRED');
    assert.equal(result.value.expiredBecause, 'NO_PROVIDER_API');
    assert.equal(result.value.linkRefreshes, 0);
    assert.equal(stand.artifacts.requests(file).length, 0, 'an expired link is not even tried');
    assert.equal(stand.requests.length, 0, 'the provider API is never asked');
  });

  it('when a link expires in the middle of a download, then the attempt is cut there as a final EXPIRED saying NO_PROVIDER_API', async () => {
    const session = stand.addSession({ chat: { size: 8 * MiB } });
    const file = session.files.chat as string;
    stand.artifacts.add(file, { size: 8 * MiB, bytesPerSecond: MiB });
    assert.equal((await postWebhook(ingress, chatSynced(session, stand.artifacts.url(file, 3000)))).status, 202);
    const result = await fleet.archive.waitFor(`chat.${session.id}`, 60_000);
    assert.equal(result.type, 'ArtifactFailed', JSON.stringify(result.value));
    assert.equal(result.value.reason, 'EXPIRED');
    assert.equal(result.value.expiredBecause, 'NO_PROVIDER_API');
    assert.match(String(result.value.message), /while downloading/);
    assert.deepEqual(stand.artifacts.requests(file).map((r) => r.status), [200], 'one transfer, cut, never resumed');
    assert.equal(stand.requests.length, 0, 'the provider API is never asked');
  });
});
