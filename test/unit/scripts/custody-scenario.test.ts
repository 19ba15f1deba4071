import { strict as assert } from 'node:assert';
import type { ArchiveOutcome } from '../../../scripts/custody/archive-outcomes.js';
import { custodyPlan, CUSTODY_KINDS, CUSTODY_PHASES } from '../../../scripts/custody/custody-plan.js';
import { custodyRows, custodyVerdicts, type CustodyEvidence } from '../../../scripts/custody/custody-tally.js';
import type { CustodyArtifact } from '../../../scripts/custody/run-custody-chaos.js';
import type { SeenRequest } from '../../../scripts/stand-ins/artifact-server.js';
import type { StandInSession } from '../../../scripts/stand-ins/stand-in-provider.js';

describe('the custody chaos scenario: its plan and how it judges each artifact', () => {
  it('when 50 sessions are planned, then each kind has exactly 15 webhooks never delivered, 10 late and 25 on time, spread over every phase', () => {
    const plan = custodyPlan({ sessions: 50 });
    assert.equal(plan.length, 50);
    for (const kind of CUSTODY_KINDS) {
      const fates = plan.map((s) => s.fate[kind]);
      assert.deepEqual([fates.filter((f) => f === 'never').length, fates.filter((f) => f === 'late').length, fates.filter((f) => f === 'on_time').length], [15, 10, 25], kind);
    }
    for (const phase of CUSTODY_PHASES) {
      const sessions = plan.filter((s) => s.phase === phase);
      assert.ok(sessions.length >= 10, `${phase}: ${sessions.length} sessions`);
      assert.ok(sessions.some((s) => s.fate.recording === 'on_time'), `${phase} has an on-time recording`);
    }
    assert.ok(plan.every((s) => s.bytes.recording >= 64 * 1024 && s.bytes.recording <= 512 * 1024), 'recordings of 64-512 KiB');
    assert.deepEqual(custodyPlan({ sessions: 50 }), plan, 'the same plan every time');
  });

  it('when the shares do not fit or there are fewer sessions than phases, then the plan is refused naming the rule', () => {
    assert.throws(() => custodyPlan({ sessions: 3 }), /sessions must be an integer >= 4/);
    assert.throws(() => custodyPlan({ sessions: 10, neverShare: 0.7, lateShare: 0.5 }), /neverShare \+ lateShare must be at most 1/);
  });

  describe('verdicts', () => {
    const session = { id: 's1', meetingId: 'm1' } as StandInSession;
    const artifact = (jobId: string, fate: CustodyArtifact['fate'], announced: boolean): CustodyArtifact => ({
      session,
      kind: 'chat',
      fate,
      phase: 'steady',
      jobId,
      file: jobId,
      bytes: 100,
      wiped: false,
      ...(announced ? { webhookStatus: 202 } : {}),
    });
    const evidence = (over: Omit<Partial<CustodyEvidence>, 'served'> & { results: ArchiveOutcome[]; served: Record<string, SeenRequest[]> }): CustodyEvidence => ({
      api: true,
      artifacts: [],
      outcomes: { all: over.results, about: (jobId) => over.results.filter((r) => r.jobId === jobId), stop: async () => undefined },
      expectedSha256: () => 'good',
      storedSha256: async (location) => (location === 'bad-file' ? 'bad' : 'good'),
      named: new Set(),
      ...over,
      served: (file) => over.served[file] ?? [],
    });
    const archived = (jobId: string, sha = 'good', location = 'file'): ArchiveOutcome => ({ type: 'archived', jobId, value: { sha256: sha, location, linkRefreshes: 0 } });

    it('when an artifact was served as two full copies, or as ranges adding up to more than one, then it counts as fetched more than once', async () => {
      const verdicts = await custodyVerdicts(
        evidence({
          artifacts: [artifact('twice', 'on_time', true), artifact('resumed', 'on_time', true), artifact('overlap', 'on_time', true)],
          results: [archived('twice'), archived('resumed'), archived('overlap')],
          served: {
            twice: [{ range: undefined, status: 200, bytes: 100, complete: true }, { range: undefined, status: 200, bytes: 100, complete: true }],
            resumed: [{ range: undefined, status: 200, bytes: 40, complete: false }, { range: 'bytes=40-', status: 206, bytes: 60, complete: true }, { range: undefined, status: 403 }],
            overlap: [{ range: undefined, status: 200, bytes: 40, complete: false }, { range: 'bytes=20-', status: 206, bytes: 80, complete: true }],
          },
        }),
      );
      assert.deepEqual(verdicts.map((v) => [v.artifact.jobId, v.fetchedMoreThanOnce]), [['twice', true], ['resumed', false], ['overlap', true]]);
    });

    it('when a record or the stored file has another SHA-256, then it is wrong; when it is named though archived, that is said apart', async () => {
      const verdicts = await custodyVerdicts(
        evidence({
          artifacts: [artifact('record', 'on_time', true), artifact('stored', 'on_time', true), artifact('named', 'on_time', true)],
          results: [archived('record', 'other'), archived('stored', 'good', 'bad-file'), archived('named')],
          served: {},
          named: new Set(['named']),
        }),
      );
      assert.deepEqual(verdicts.map((v) => [v.artifact.jobId, v.wrongSha, v.namedButArchived, v.namedMissing]), [['record', true, false, false], ['stored', true, false, false], ['named', false, true, false]]);
    });

    it('when an artifact is not archived, then it is named, not knowable (never announced, no API) or silently missing', async () => {
      const artifacts = [artifact('named', 'late', true), artifact('unknowable', 'never', false), artifact('silent', 'on_time', true)];
      const withoutApi = await custodyVerdicts(evidence({ api: false, artifacts, results: [], served: {}, named: new Set(['named']) }));
      assert.deepEqual(withoutApi.map((v) => [v.artifact.jobId, v.namedMissing, v.notKnowable, v.silentlyMissing]), [['named', true, false, false], ['unknowable', false, true, false], ['silent', false, false, true]]);
      const withApi = await custodyVerdicts(evidence({ api: true, artifacts, results: [], served: {}, named: new Set(['named']) }));
      assert.equal(withApi.find((v) => v.artifact.jobId === 'unknowable')?.silentlyMissing, true, 'with the API, nothing the provider holds is unknowable');

      const rows = custodyRows(withoutApi, { sweepKnown: false });
      assert.deepEqual(rows.map((r) => [r.artifact, r.webhook, r['silently missing']]), [
        ['chat', 'delivered on time', 1],
        ['chat', 'delivered late', 0],
        ['chat', 'never delivered', '0 (+1 not announced, not knowable)'],
        ['all', 'all', '1 (+1 not announced, not knowable)'],
      ]);
    });
  });
});
