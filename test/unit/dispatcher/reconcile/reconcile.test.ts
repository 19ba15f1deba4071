import { strict as assert } from 'node:assert';
import {
  ConfigError,
  ProviderError,
  type ArchiveJobData,
  type ArtifactAnswer,
  type ProviderClient,
  type ProviderRecording,
  type ProviderSession,
} from '../../../../shared/src/index.js';
import { decide, type ExistingJob } from '../../../../services/dispatcher/src/reconcile/reconcile-decision.js';
import type { ReconcileJobStore } from '../../../../services/dispatcher/src/reconcile/reconcile-job-store.js';
import { reconcile, type ReconcileOptions } from '../../../../services/dispatcher/src/reconcile/reconcile.js';

// The reconcile step against a provider and a queue held in memory: what it decides for each artifact. The same
// step against the stand-in provider, real Redis and a real downloader is in test/integration/reconcile/.

const HOUR = 3600_000;
const now = Date.now();
const options: ReconcileOptions = { since: new Date(now - 72 * HOUR), until: new Date(now), settledBefore: new Date(now - 0.5 * HOUR), dryRun: false, runId: 'reconcile:test' };

function session(id: string, overrides: Partial<ProviderSession> = {}): ProviderSession {
  return {
    sessionId: id,
    meetingId: `m-${id}`,
    organizationId: 'org',
    title: null,
    status: 'ENDED',
    type: 'meeting',
    createdAt: new Date(now - 3 * HOUR),
    startedAt: new Date(now - 3 * HOUR),
    endedAt: new Date(now - 2 * HOUR),
    ...overrides,
  };
}

const held = (kind: 'chat' | 'transcript' | 'summary', sessionId: string): ArtifactAnswer => ({
  held: true,
  kind,
  sessionId,
  url: `https://files.example/${sessionId}/${kind}?sig=1`,
  expiresAt: new Date(now + HOUR),
});
const notHeld = (kind: 'chat' | 'transcript' | 'summary', sessionId: string): ArtifactAnswer => ({
  held: false,
  kind,
  sessionId,
  reason: 'NOT_FOUND',
  message: `no ${kind}`,
});

/** A provider whose sessions and answers the test sets; counts its calls. */
function fakeProvider(sessions: ProviderSession[], answers: (kind: 'chat' | 'transcript' | 'summary', sessionId: string) => ArtifactAnswer | Error, recordings: ProviderRecording[] = []) {
  const calls: string[] = [];
  const answer = (kind: 'chat' | 'transcript' | 'summary') => async (sessionId: string) => {
    calls.push(`${kind} ${sessionId}`);
    const result = answers(kind, sessionId);
    if (result instanceof Error) throw result;
    return result;
  };
  const provider: ProviderClient = {
    provider: 'realtimekit',
    description: 'realtimekit (fake)',
    async *listSessions() {
      calls.push('listSessions');
      yield { pageNo: 1, sessions, totalCount: sessions.length };
    },
    getChat: answer('chat'),
    getTranscript: answer('transcript'),
    getSummary: answer('summary'),
    async *listRecordings() {
      calls.push('listRecordings');
      yield recordings;
    },
    async getRecording() {
      throw new Error('not used');
    },
  };
  return { provider, calls };
}

/** A download queue in memory. */
function fakeStore(existing: Record<string, ExistingJob> = {}) {
  const jobs = new Map(Object.entries(existing));
  const added: ArchiveJobData[] = [];
  const retried: ArchiveJobData[] = [];
  const store: ReconcileJobStore = {
    async find(ids) {
      return new Map(ids.flatMap((id) => (jobs.has(id) ? [[id, jobs.get(id) as ExistingJob] as const] : [])));
    },
    async add(list) {
      for (const job of list) {
        if (jobs.has(job.artifact.jobId)) continue;
        jobs.set(job.artifact.jobId, { state: 'prioritized' });
        added.push(job);
      }
    },
    async retry(fresh) {
      if (jobs.get(fresh.artifact.jobId)?.state !== 'failed') return false;
      jobs.set(fresh.artifact.jobId, { state: 'waiting' });
      retried.push(fresh);
      return true;
    },
  };
  return { store, added, retried };
}

describe('reconcile (the step, against a provider and a queue in memory)', () => {
  it('when the provider holds artifacts some of which are archived, pending or failed, then only the missing ones are added and a dead link is retried', async () => {
    const { provider } = fakeProvider([session('a'), session('b')], (kind, id) => (id === 'b' && kind === 'summary' ? notHeld(kind, id) : held(kind, id)), [
      {
        held: true,
        recordingId: 'r1',
        sessionId: 'a',
        meetingId: 'm-a',
        status: 'UPLOADED',
        video: { held: true, kind: 'recording', sessionId: 'a', recordingId: 'r1', url: 'https://files.example/r1', expiresAt: new Date(now + HOUR), bytes: 42 },
        audio: null,
      },
    ]);
    const { store, added, retried } = fakeStore({
      'chat.a': { state: 'completed' },
      'transcript.a': { state: 'active' },
      'summary.a': { state: 'failed', failedReason: 'EXPIRED: the link expired at ...' },
      'chat.b': { state: 'failed', failedReason: 'TOO_LARGE: 30 GB over DOWNLOAD_MAX_BYTES' },
    });
    const report = await reconcile({ provider, jobs: store }, options);
    assert.deepEqual(added.map((j) => j.artifact.jobId).sort(), ['recording.r1', 'transcript.b']);
    assert.equal(added.find((j) => j.artifact.kind === 'recording')?.expectedBytes, 42);
    assert.deepEqual(retried.map((j) => j.artifact.jobId), ['summary.a']);
    assert.deepEqual(report.totals, { recovered: 2, retried: 1, already_archived: 1, pending: 1, failed: 1, not_held: 1, unusable: 0 });
    const a = report.sessions.find((s) => s.sessionId === 'a');
    assert.deepEqual(a?.artifacts.map((x) => [x.jobId, x.outcome]), [
      ['chat.a', 'already_archived'],
      ['transcript.a', 'pending'],
      ['summary.a', 'retried'],
      ['recording.r1', 'recovered'],
    ]);
    assert.equal(report.provider, 'realtimekit (fake)');
  });

  it('when a job is gone but the ledger knows its artifact archived, then it is not added again', async () => {
    const { provider } = fakeProvider([session('a')], held);
    const { store, added } = fakeStore({ 'chat.a': { state: 'completed' } });
    let asked: string[] = [];
    const report = await reconcile(
      {
        provider,
        jobs: store,
        archived: {
          async archivedJobIds(sessionId, ids) {
            asked = [sessionId, ...ids];
            return new Set(['transcript.a']);
          },
        },
      },
      options,
    );
    assert.deepEqual(asked, ['a', 'transcript.a', 'summary.a'], 'asked only about artifacts without a job');
    assert.deepEqual(added.map((j) => j.artifact.jobId), ['summary.a']);
    assert.equal(report.totals.already_archived, 2);
  });

  it('when run dry, then it reports what it would add and retry, and changes nothing', async () => {
    const { provider } = fakeProvider([session('a')], held);
    const { store, added, retried } = fakeStore({ 'chat.a': { state: 'failed', failedReason: 'HTTP_403: Request has expired' } });
    const report = await reconcile({ provider, jobs: store }, { ...options, dryRun: true });
    assert.deepEqual([added, retried], [[], []]);
    assert.deepEqual([report.totals.recovered, report.totals.retried, report.dryRun], [2, 1, true]);
  });

  it('when sessions are live or ended within the grace period, then they are counted and never asked about', async () => {
    const { provider, calls } = fakeProvider(
      [session('live', { status: 'LIVE', endedAt: null }), session('recent', { endedAt: new Date(now - 60_000) }), session('old')],
      held,
    );
    const report = await reconcile({ provider, jobs: fakeStore().store }, options);
    assert.deepEqual(report.skipped, { live: 1, recent: 1 });
    assert.deepEqual(report.sessions.map((s) => s.sessionId), ['old']);
    assert.ok(!calls.some((c) => c.endsWith(' live') || c.endsWith(' recent')), calls.join(', '));
  });

  it('when one call of a session fails, then the rest of the session and the other sessions are still reconciled', async () => {
    const { provider } = fakeProvider([session('a'), session('b')], (kind, id) =>
      id === 'a' && kind === 'transcript' ? new ProviderError('PROVIDER_UNAVAILABLE', 'realtimekit getTranscript answered 502') : held(kind, id),
    );
    const { store, added } = fakeStore();
    const report = await reconcile({ provider, jobs: store }, options);
    assert.equal(added.length, 5);
    assert.equal(report.sessionsWithErrors, 1);
    assert.match(report.sessions[0]?.errors[0] ?? '', /^transcript: .*502/);
  });

  it('when the provider refuses the credentials, then the reconcile stops with PROVIDER_UNAUTHORIZED', async () => {
    const { provider } = fakeProvider([session('a')], () => new ProviderError('PROVIDER_UNAUTHORIZED', 'answered 401'));
    await assert.rejects(reconcile({ provider, jobs: fakeStore().store }, options), (error: unknown) => error instanceof ProviderError && error.code === 'PROVIDER_UNAUTHORIZED');
  });

  it('when every call fails for 5 sessions in a row, then the reconcile stops instead of spending the budget on the rest', async () => {
    const sessions = Array.from({ length: 20 }, (_, i) => session(`s${i}`));
    const { provider, calls } = fakeProvider(sessions, () => new ProviderError('PROVIDER_UNAVAILABLE', 'answered 503'));
    await assert.rejects(reconcile({ provider, jobs: fakeStore().store }, options), /5 sessions in a row/);
    assert.equal(calls.filter((c) => c.startsWith('chat')).length, 5);
  });

  it('when stopped through its signal, then it ends between sessions and says it was aborted', async () => {
    const abort = new AbortController();
    const { provider } = fakeProvider([session('a'), session('b'), session('c')], held);
    const report = await reconcile({ provider, jobs: fakeStore().store, signal: abort.signal, onSession: () => abort.abort() }, options);
    assert.equal(report.aborted, true);
    assert.equal(report.sessions.length, 1);
  });

  it('when there is neither a provider nor a ledger, then it fails with a ConfigError naming PROVIDER', async () => {
    await assert.rejects(reconcile({ jobs: fakeStore().store }, options), (error: unknown) => error instanceof ConfigError && /PROVIDER is none/.test(error.message));
  });

  it('when only a ledger is given, then the incomplete sessions it knows are reported, settled before the grace period', async () => {
    let asked: Date | undefined;
    const incomplete = [{ sessionId: 's', meetingId: 'm', artifacts: [{ kind: 'chat' as const, jobId: 'chat.s', state: 'failed', reason: 'EXPIRED' }] }];
    const report = await reconcile(
      {
        jobs: fakeStore().store,
        incompleteSessions: {
          async incompleteSessions(olderThan) {
            asked = olderThan;
            return incomplete;
          },
        },
      },
      options,
    );
    assert.deepEqual(report.incomplete, incomplete);
    assert.equal(report.provider, null);
    assert.equal(asked?.getTime(), options.settledBefore.getTime());
  });
});

describe('decide (what an artifact the provider holds needs, from its job)', () => {
  it('when there is no job, then recover; completed: archived; on its way: pending', () => {
    assert.equal(decide(undefined), 'recover');
    assert.equal(decide({ state: 'completed' }), 'already_archived');
    for (const state of ['waiting', 'prioritized', 'active', 'delayed', 'waiting-children']) assert.equal(decide({ state }), 'pending', state);
  });

  it('when the job failed for good, then a dead link (EXPIRED, HTTP_401/403/404/410) is retried and anything else is left to an operator', () => {
    for (const reason of ['EXPIRED: the link expired', 'HTTP_403: forbidden', 'HTTP_404: gone', 'HTTP_410: gone', 'HTTP_401: no']) {
      assert.equal(decide({ state: 'failed', failedReason: reason }), 'retry', reason);
    }
    for (const reason of ['TOO_LARGE: big', 'NOT_ALLOWED: host', 'EXISTS_DIFFERENT: other', 'HTTP_500: again', 'HTTP_4030: odd', 'INVALID_JOB: x', '']) {
      assert.equal(decide({ state: 'failed', failedReason: reason }), 'failed', reason);
    }
  });
});
