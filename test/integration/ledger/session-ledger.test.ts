import { strict as assert } from 'node:assert';
import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import { createRedis, sessionLedger, type SessionLedger, type SessionState } from '../../../shared/src/index.js';
import { startArchiveFleet, type ArchiveFleetUnderTest } from '../../helpers/archive-fleet.js';
import { ArtifactServer } from '../../../scripts/stand-ins/artifact-server.js';
import { dyteTimestamp } from '../../helpers/archive-watcher.js';
import { postWebhook, type IngressUnderTest } from '../../helpers/ingress-under-test.js';
import { runCli } from '../../helpers/run-cli.js';
import { metricsUrlOf, scrape } from '../../helpers/scrape-metrics.js';
import { spawnService, type RunningService } from '../../helpers/spawn-service.js';
import { testConfig } from '../../helpers/test-config.js';
import { uniqueName } from '../../helpers/unique-name.js';
import { waitFor } from '../../helpers/wait-for.js';

const ORG = 'c94c437b-592a-4a39-b9e2-47ef1451e43b';

interface SessionStatus {
  sessionId: string;
  meetingId: string;
  summary: Record<string, number>;
  artifacts: { jobId: string; state: string }[];
  sessions: { ledgerKey: string; startedAt: string | null; endedAt: string | null; summary: Record<string, number>; artifacts: { jobId: string; state: string; sha256?: string; reason?: string }[] }[];
}

describe('session ledger: ingress -> dispatcher (ledger) + downloader -> Redis and the compacted sessions topic', function () {
  this.timeout(300_000);
  let fleet: ArchiveFleetUnderTest;
  let ingress: IngressUnderTest;
  let server: ArtifactServer;
  let env: Record<string, string>;
  let dispatcher: RunningService;
  let redis: ReturnType<typeof createRedis>;
  let ledger: SessionLedger;
  let watcher: Consumer;
  /** Every SessionState read from the sessions topic, in order, per key. */
  const published = new Map<string, SessionState[]>();
  const latest = (key: string) => published.get(key)?.at(-1);

  before(async () => {
    fleet = await startArchiveFleet('ledger', {
      // Every session with an artifact not archived counts as incomplete at once.
      env: { LEDGER_INCOMPLETE_AFTER_SECONDS: '0', ARCHIVE_JOB_ATTEMPTS: '2' },
      dispatcherLogs: ['ledger consuming', 'consuming'],
    });
    ({ server, ingress, env, dispatcher } = fleet);
    redis = createRedis(testConfig.redisUrl);
    ledger = sessionLedger(redis, ingress.topicPrefix);
    watcher = ingress.kafka.consumer({ groupId: uniqueName('sessions-watch'), maxWaitTimeInMs: 100 });
    await watcher.connect();
    await watcher.subscribe({ topic: `${ingress.topicPrefix}sessions`, fromBeginning: true });
    await watcher.run({
      eachMessage: async ({ message }) => {
        const key = message.key?.toString() ?? '';
        const state = { ...(await ingress.plainRegistry.decode(message.value as Buffer)) } as SessionState;
        published.set(key, [...(published.get(key) ?? []), JSON.parse(JSON.stringify(state)) as SessionState]);
      },
    });
  });

  after(async () => {
    await watcher?.disconnect();
    await fleet?.stop();
    await ledger?.clear();
    await redis?.quit();
  });

  const meetingId = randomUUID();
  const sessionId = randomUUID();
  const recordingId = randomUUID();
  const meeting = { id: meetingId, sessionId, title: 'weekly', status: 'LIVE', organizedBy: { id: ORG, name: 'Acme' } };
  const files = {
    chat: `${sessionId}/chat.csv`,
    transcript: `${sessionId}/transcript.csv`,
    summary: `${sessionId}/summary.md`,
    recording: `${recordingId}/rec.mp4`,
    recording_audio: `${recordingId}/rec.m4a`,
  };
  const allArchived = (state: SessionState | undefined) =>
    state && state.startedAt !== null && state.endedAt !== null && state.artifacts.length === 5 && state.artifacts.every((a) => a.state === 'archived') ? state : undefined;
  let complete: SessionState;

  it("when a session's events and artifacts arrive (some twice), then its last SessionState on the compacted topic shows every artifact archived with its SHA-256", async () => {
    for (const [kind, name] of Object.entries(files)) server.add(name, { size: 2000 + kind.length * 100, contentType: kind.startsWith('recording') ? 'video/mp4' : 'text/csv' });
    const link = (name: string) => server.url(name);
    const chat = link(files.chat);
    const transcript = link(files.transcript);
    const summary = link(files.summary);
    const video = link(files.recording);
    const bodies = [
      { event: 'meeting.started', meeting: { ...meeting, startedAt: '2026-01-02T10:00:00.000Z', createdAt: '2026-01-02T09:59:00.000Z' } },
      { event: 'meeting.chatSynced', meetingId, sessionId, chatDownloadUrl: chat.url, chatDownloadUrlExpiry: dyteTimestamp(chat.expiresAt), organizedBy: meeting.organizedBy },
      { event: 'meeting.transcript', meeting, transcriptDownloadUrl: transcript.url, transcriptDownloadUrlExpiry: dyteTimestamp(transcript.expiresAt) },
      { event: 'meeting.summary', meeting, summaryDownloadUrl: summary.url, summaryDownloadUrlExpiry: dyteTimestamp(summary.expiresAt) },
      {
        event: 'recording.statusUpdate',
        recording: { id: recordingId, recordingId, meetingId, organizationId: ORG, roomUUID: sessionId, status: 'UPLOADED', downloadUrl: video.url, audioDownloadUrl: link(files.recording_audio).url, downloadUrlExpiry: dyteTimestamp(video.expiresAt) },
        meeting: { id: meetingId, sessionId, organizedBy: meeting.organizedBy },
      },
      { event: 'meeting.ended', meeting: { ...meeting, status: 'ENDED', startedAt: '2026-01-02T10:00:00.000Z', endedAt: '2026-01-02T11:00:00.000Z' } },
    ];
    for (const body of bodies) assert.equal((await postWebhook(ingress, body)).status, 202);
    // Redelivered by Dyte under new uuids: the ledger must not count or change anything for them.
    for (const body of [bodies[1], bodies[5]]) assert.equal((await postWebhook(ingress, body, { headers: { 'dyte-uuid': randomUUID() } })).status, 202);

    complete = await waitFor(() => allArchived(latest(sessionId)), { timeoutMs: 120_000, description: `a SessionState of ${sessionId} with 5 artifacts archived` });
    assert.equal(complete.ledgerKey, sessionId);
    assert.equal(complete.meetingId, meetingId);
    assert.equal(complete.organizationId, ORG);
    assert.equal(complete.organizationName, 'Acme');
    assert.equal(complete.startedAt, Date.parse('2026-01-02T10:00:00.000Z') * 1000);
    assert.equal(complete.endedAt, Date.parse('2026-01-02T11:00:00.000Z') * 1000);
    for (const [kind, name] of Object.entries(files)) {
      const artifact = complete.artifacts.find((a) => a.kind === kind);
      assert.ok(artifact, kind);
      assert.equal(artifact.archived?.sha256, server.sha256(name), `${kind} has the source SHA-256`);
      assert.ok(artifact.announcedAt !== null && artifact.expiresAt !== null, `${kind} was announced with its link expiry`);
      assert.match(artifact.archived?.location ?? '', new RegExp(`^file://.*/${meetingId}/${sessionId}/`));
    }
    assert.deepEqual(await ledger.read(sessionId), complete, 'Redis holds what the topic says');
    assert.deepEqual((await ledger.sessionsOfMeeting(meetingId)).map((s) => s.ledgerKey), [sessionId]);
  });

  it("when the ledger's Redis keys are deleted, then dyte-bridge ledger rebuild brings back the same state from the topic", async () => {
    assert.ok((await ledger.clear()) > 0);
    assert.equal(await ledger.read(sessionId), undefined);
    const run = await runCli(['ledger', 'rebuild'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /rebuilt the session ledger from \S+sessions: \d+ record\(s\), \d+ session\(s\)/);
    assert.deepEqual(await ledger.read(sessionId), complete);
    assert.equal(await ledger.isLoaded(), true);
  });

  const rebuildLines = () => dispatcher.lines.filter((line) => line.includes('"msg":"ledger rebuilt"'));

  it('when Redis loses the ledger while the dispatcher runs, then it rebuilds on its own before folding, and nothing known is lost', async () => {
    const rebuildsBefore = rebuildLines().length;
    await ledger.clear();
    const secondRecording = randomUUID();
    server.add(`${secondRecording}/second.mp4`, { size: 1500, contentType: 'video/mp4' });
    const video = server.url(`${secondRecording}/second.mp4`);
    const body = {
      event: 'recording.statusUpdate',
      recording: { id: secondRecording, recordingId: secondRecording, meetingId, organizationId: ORG, roomUUID: sessionId, status: 'UPLOADED', downloadUrl: video.url, downloadUrlExpiry: dyteTimestamp(video.expiresAt) },
      meeting: { id: meetingId, sessionId, organizedBy: meeting.organizedBy },
    };
    assert.equal((await postWebhook(ingress, body)).status, 202);
    const grown = await waitFor(
      () => {
        const state = latest(sessionId);
        return state?.artifacts.find((a) => a.recordingId === secondRecording && a.state === 'archived') ? state : undefined;
      },
      { timeoutMs: 120_000, description: 'the second recording archived in the session state' },
    );
    assert.ok(rebuildLines().length > rebuildsBefore, 'the dispatcher rebuilt the ledger itself');
    assert.equal(grown.artifacts.length, 6);
    for (const artifact of complete.artifacts) assert.deepEqual(grown.artifacts.find((a) => a.jobId === artifact.jobId), artifact, `${artifact.jobId} kept`);
    assert.equal(grown.startedAt, complete.startedAt);
    assert.equal(grown.endedAt, complete.endedAt);
    // No state published after the loss forgot what was known before it.
    const states = published.get(sessionId) ?? [];
    for (const state of states.slice(states.indexOf(complete))) {
      assert.ok(state.startedAt !== null && state.endedAt !== null && state.artifacts.length >= 5, JSON.stringify(state));
    }
    assert.deepEqual(await ledger.read(sessionId), grown);
    complete = grown;
  });

  it('when every source record is read again from the beginning by a fresh ledger group (redelivered, in another order), then the state stays the same', async () => {
    const admin = ingress.kafka.admin();
    await admin.connect();
    let sourceRecords = 0;
    try {
      for (const role of ['meeting', 'recording', 'archive']) {
        for (const partition of await admin.fetchTopicOffsets(`${ingress.topicPrefix}${role}`)) sourceRecords += Number(partition.high) - Number(partition.low);
      }
    } finally {
      await admin.disconnect();
    }
    const replaying = spawnService('dispatcher', { ...env, DISPATCHER_GROUP_ID: uniqueName('replaying') });
    try {
      await replaying.waitForLog('ledger consuming');
      const url = await metricsUrlOf(replaying);
      await waitFor(async () => ((await scrape(url)).sum('dyte_bridge_ledger_records_total') ?? 0) >= sourceRecords, {
        timeoutMs: 60_000,
        description: `the fresh ledger group to read all ${sourceRecords} source records`,
      });
    } finally {
      await replaying.stop();
    }
    assert.deepEqual(await ledger.read(sessionId), complete, 'the same state in Redis');
    assert.deepEqual(latest(sessionId), complete, 'the same last state on the topic');
  });

  it('when archive status --session is asked, then it shows the session (started, ended, each artifact) and its jobs, and exits 0', async () => {
    const json = await runCli(['archive', 'status', '--session', sessionId, '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    const status = JSON.parse(json.stdout) as SessionStatus;
    assert.equal(status.sessionId, sessionId);
    assert.equal(status.meetingId, meetingId);
    assert.deepEqual(status.summary, { archived: 6 });
    assert.equal(status.artifacts.length, 6);
    const [view] = status.sessions;
    assert.ok(view);
    assert.equal(view.startedAt, '2026-01-02T10:00:00.000Z');
    assert.equal(view.endedAt, '2026-01-02T11:00:00.000Z');
    assert.deepEqual(view.summary, { archived: 6 });
    assert.equal(view.artifacts.find((a) => a.jobId === `chat.${sessionId}`)?.sha256, server.sha256(files.chat));

    const text = await runCli(['archive', 'status', '--session', sessionId], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, new RegExp(`^session ${sessionId} of meeting ${meetingId}, organization ${ORG} \\(Acme\\): started 2026-01-02T10:00:00.000Z, ended 2026-01-02T11:00:00.000Z; 6 artifact\\(s\\): 6 archived$`, 'm'));
    assert.match(text.stdout, new RegExp(`^  archived +chat +chat\\.${sessionId} +file://\\S+ +\\d+ bytes +sha256 ${server.sha256(files.chat)}`, 'm'));
    assert.match(text.stdout, new RegExp(`^jobs of session ${sessionId}: 6 artifact\\(s\\): 6 archived$`, 'm'));

    const byMeeting = await runCli(['archive', 'status', meetingId], env);
    assert.equal(byMeeting.code, 0, byMeeting.stderr);
    assert.match(byMeeting.stdout, new RegExp(`^meeting ${meetingId}: 6 artifact\\(s\\): 6 archived$`, 'm'));
    assert.match(byMeeting.stdout, new RegExp(`^session ${sessionId} of meeting ${meetingId}`, 'm'));

    const unknown = await runCli(['archive', 'status', '--session', randomUUID()], env);
    assert.equal(unknown.code, 3);
    assert.match(unknown.stderr, /no session \S+ in the session ledger/);
  });

  it('when a session has an artifact that failed, then status exits 1, the incomplete query lists it and the gauge counts it', async () => {
    const failing = randomUUID();
    const failingMeeting = randomUUID();
    const late = server.url(`${failing}/late.csv`, -60_000);
    assert.equal((await postWebhook(ingress, { event: 'meeting.chatSynced', meetingId: failingMeeting, sessionId: failing, chatDownloadUrl: late.url, chatDownloadUrlExpiry: dyteTimestamp(late.expiresAt) })).status, 202);
    const failed = await waitFor(() => (latest(failing)?.artifacts[0]?.state === 'failed' ? latest(failing) : undefined), { timeoutMs: 60_000, description: 'the failed chat in the session state' });
    assert.equal(failed.artifacts[0]?.failure?.reason, 'EXPIRED');

    const text = await runCli(['archive', 'status', '--session', failing], env);
    assert.equal(text.code, 1, text.stderr);
    assert.match(text.stdout, /^ {2}failed +chat +chat\.\S+ +EXPIRED: /m);

    const incomplete = await ledger.incomplete({ olderThanSeconds: 0 });
    assert.deepEqual(incomplete.map((s) => s.ledgerKey), [failing], 'only the failing session; the complete one is not listed');
    assert.deepEqual(await ledger.incomplete({ olderThanSeconds: 3600 }), [], 'not older than an hour');

    const url = await metricsUrlOf(dispatcher);
    await waitFor(async () => (await scrape(url)).sum('dyte_bridge_sessions_incomplete', { older_than_seconds: '0' }) === 1, {
      timeoutMs: 30_000,
      description: 'the dispatcher to report one incomplete session',
    });
    const metrics = await scrape(url);
    assert.ok((metrics.sum('dyte_bridge_ledger_records_total', { outcome: 'folded' }) ?? 0) > 0);
    assert.ok((metrics.sum('dyte_bridge_sessions_published_total') ?? 0) > 0);
    assert.ok((metrics.sum('dyte_bridge_ledger_rebuilds_total') ?? 0) >= 2, 'at its first start and after the keys were deleted');
  });
});
