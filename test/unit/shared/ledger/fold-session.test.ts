import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  emptySessionState,
  foldSession,
  incompleteSince,
  mergeSessionStates,
  type SessionArtifact,
  type SessionContribution,
} from '../../../../shared/src/index.js';

const KEY = 'session-1';
const at = (minute: number) => Date.UTC(2026, 0, 1, 10, minute) * 1000;
const base = (patch: Partial<SessionContribution> = {}): SessionContribution => ({ ...emptySessionState(KEY, KEY, 'meeting-1'), ...patch });
const artifact = (jobId: string, patch: Partial<SessionArtifact>): SessionArtifact => ({
  jobId,
  kind: jobId.split('.')[0] ?? 'chat',
  recordingId: null,
  state: 'pending',
  announcedAt: null,
  expiresAt: null,
  archived: null,
  failure: null,
  ...patch,
});

// Contributions as the ledger consumer makes them: one fact each, about a few artifacts of one session.
const time = fc.integer({ min: 0, max: 600 }).map(at);
const jobId = fc.constantFrom('chat.s1', 'transcript.s1', 'summary.s1', 'recording.r1', 'recording_audio.r1');
const contribution: fc.Arbitrary<SessionContribution> = fc.oneof(
  fc.record({ t: time, org: fc.constantFrom('org-a', 'org-b'), name: fc.option(fc.constantFrom('Acme', 'Dyte'), { nil: null }) }).map(({ t, org, name }) =>
    base({ startedAt: t, organizationId: org, organizationName: name, title: 'weekly', updatedAt: t }),
  ),
  time.map((t) => base({ endedAt: t, updatedAt: t })),
  fc.record({ id: jobId, t: time, expires: time }).map(({ id, t, expires }) =>
    base({ artifacts: [artifact(id, { announcedAt: t, expiresAt: expires + 3_600_000_000 })], updatedAt: t }),
  ),
  fc.record({ id: jobId, t: time, sha: fc.constantFrom('aa', 'bb'), bytes: fc.nat(1000) }).map(({ id, t, sha, bytes }) =>
    base({
      artifacts: [artifact(id, { state: 'archived', archived: { location: `file:///a/${id}`, bytes, sha256: sha, contentType: null, archivedAt: t } })],
      updatedAt: t,
    }),
  ),
  fc.record({ id: jobId, t: time, reason: fc.constantFrom('EXPIRED', 'HTTP_404', 'NETWORK') }).map(({ id, t, reason }) =>
    base({ artifacts: [artifact(id, { state: 'failed', failure: { reason, detail: `${reason} detail`, failedAt: t } })], updatedAt: t }),
  ),
);

/** The same records redelivered (each up to 3 times) and read in another order. */
const redeliveredShuffled = (records: SessionContribution[]) =>
  fc
    .tuple(fc.array(fc.integer({ min: 1, max: 3 }), { minLength: records.length, maxLength: records.length }), fc.array(fc.double({ noNaN: true }), { minLength: 64, maxLength: 64 }))
    .map(([copies, keys]) => {
      const all = records.flatMap((record, i) => Array.from({ length: copies[i] ?? 1 }, () => structuredClone(record)));
      return all.map((record, i) => ({ record, key: keys[i % keys.length] ?? 0, i })).sort((a, b) => a.key - b.key || b.i - a.i).map(({ record }) => record);
    });

describe('the session fold (shared/src/ledger)', () => {
  it('when the same records arrive redelivered and in any order across topics, then the state is the same', () => {
    fc.assert(
      fc.property(
        fc.array(contribution, { minLength: 1, maxLength: 20 }).chain((records) => fc.tuple(fc.constant(records), redeliveredShuffled(records))),
        ([records, delivered]) => {
          assert.deepEqual(foldSession(delivered), foldSession(records));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('when two halves are folded apart and joined, then the state is that of all records folded at once (a published state joins like its records)', () => {
    fc.assert(
      fc.property(fc.array(contribution, { minLength: 1, maxLength: 12 }), fc.array(contribution, { minLength: 1, maxLength: 12 }), (a, b) => {
        const left = foldSession(a);
        const right = foldSession(b);
        assert.ok(left && right);
        assert.deepEqual(mergeSessionStates(left, right), foldSession([...a, ...b]));
        assert.deepEqual(mergeSessionStates(right, left), foldSession([...a, ...b]));
      }),
      { numRuns: 300 },
    );
  });

  it('when a state read back from the sessions topic is joined with its own records or alone, then nothing changes (rebuild)', () => {
    fc.assert(
      fc.property(fc.array(contribution, { minLength: 1, maxLength: 20 }), (records) => {
        const state = foldSession(records);
        assert.ok(state);
        assert.deepEqual(foldSession([JSON.parse(JSON.stringify(state)) as SessionContribution]), state);
        assert.deepEqual(foldSession([...records, state]), state);
      }),
      { numRuns: 300 },
    );
  });

  it('when an artifact is archived before its announcement is read, then it is archived and keeps the announcement', () => {
    const archived = base({ artifacts: [artifact('chat.s1', { state: 'archived', archived: { location: 'file:///x', bytes: 5, sha256: 'ab', contentType: 'text/csv', archivedAt: at(5) } })], updatedAt: at(5) });
    const announced = base({ artifacts: [artifact('chat.s1', { announcedAt: at(1), expiresAt: at(60) })], updatedAt: at(1) });
    const state = foldSession([archived, announced]);
    assert.equal(state?.artifacts[0]?.state, 'archived');
    assert.equal(state?.artifacts[0]?.announcedAt, at(1));
    assert.equal(state?.artifacts[0]?.expiresAt, at(60));
    assert.equal(state?.artifacts[0]?.archived?.sha256, 'ab');
    assert.equal(state?.updatedAt, at(5));
    assert.equal(incompleteSince(state!), null, 'complete');
  });

  it('when an artifact failed, was requeued and then archived, then it is archived with its last failure kept; archived twice keeps the first copy', () => {
    const failed = base({ artifacts: [artifact('summary.s1', { state: 'failed', failure: { reason: 'EXPIRED', detail: 'link expired', failedAt: at(2) } })] });
    const first = base({ artifacts: [artifact('summary.s1', { state: 'archived', archived: { location: 'file:///1', bytes: 1, sha256: 'a1', contentType: null, archivedAt: at(3) } })] });
    const again = base({ artifacts: [artifact('summary.s1', { state: 'archived', archived: { location: 'file:///1', bytes: 1, sha256: 'a1', contentType: null, archivedAt: at(9) } })] });
    const state = foldSession([again, failed, first]);
    assert.equal(state?.artifacts[0]?.state, 'archived');
    assert.equal(state?.artifacts[0]?.archived?.archivedAt, at(3));
    assert.equal(state?.artifacts[0]?.failure?.reason, 'EXPIRED');
  });

  it('when artifacts are pending or failed, then the session is incomplete since the earliest announcement not archived', () => {
    const state = foldSession([
      base({ artifacts: [artifact('chat.s1', { announcedAt: at(4) })] }),
      base({ artifacts: [artifact('transcript.s1', { announcedAt: at(2) }), artifact('summary.s1', { announcedAt: at(1) })] }),
      base({ artifacts: [artifact('summary.s1', { state: 'archived', archived: { location: 'file:///s', bytes: 1, sha256: 'a', contentType: null, archivedAt: at(3) } })] }),
      base({ artifacts: [artifact('transcript.s1', { state: 'failed', failure: { reason: 'HTTP_404', detail: 'gone', failedAt: at(6) } })] }),
    ]);
    assert.deepEqual(state?.artifacts.map((a) => `${a.jobId} ${a.state}`), ['chat.s1 pending', 'summary.s1 archived', 'transcript.s1 failed']);
    assert.equal(incompleteSince(state!), at(2));
  });

  it('when meeting.started and meeting.ended arrive in either order, then started and ended are both kept', () => {
    const started = base({ startedAt: at(0), organizationId: 'org', organizationName: 'Acme', updatedAt: at(0) });
    const ended = base({ endedAt: at(50), updatedAt: at(50) });
    for (const order of [[started, ended], [ended, started]]) {
      const state = foldSession(order);
      assert.deepEqual([state?.startedAt, state?.endedAt, state?.organizationId, state?.organizationName], [at(0), at(50), 'org', 'Acme']);
    }
  });
});
