import { strict as assert } from 'node:assert';
import { emptyArtifact, emptySessionState, type SessionState } from '../../../../shared/src/index.js';
import { ledgerSources } from '../../../../services/dispatcher/src/reconcile/ledger-sources.js';

// The reconciler's view of the session ledger: its incomplete sessions, and what it knows archived.

function state(): SessionState {
  const session = emptySessionState('s1', 's1', 'm1');
  const archived = { ...emptyArtifact('chat.s1', 'chat', null), state: 'archived', announcedAt: 2_000_000 };
  const failed = {
    ...emptyArtifact('summary.s1', 'summary', null),
    state: 'failed',
    announcedAt: 1_000_000,
    failure: { reason: 'EXPIRED', detail: 'the link expired', failedAt: 3_000_000 },
  };
  const pending = emptyArtifact('transcript.s1', 'transcript', null);
  return { ...session, artifacts: [archived, failed, pending] };
}

describe('ledger sources of the reconciler', () => {
  it('when the ledger lists an incomplete session, then its artifacts not archived are reported with state and failure, announced at the earliest', async () => {
    let asked: number | undefined;
    const sources = ledgerSources({
      incomplete: async ({ olderThanSeconds }) => {
        asked = olderThanSeconds;
        return [state()];
      },
      read: async () => undefined,
    });
    const [session] = await sources.incompleteSessions.incompleteSessions(new Date(Date.now() - 1800_000));
    assert.ok(asked !== undefined && Math.abs(asked - 1800) <= 1, `asked for sessions incomplete over ${asked} s`);
    assert.deepEqual(session, {
      sessionId: 's1',
      meetingId: 'm1',
      announcedAt: new Date(1000),
      artifacts: [
        { kind: 'summary', jobId: 'summary.s1', state: 'failed', reason: 'EXPIRED: the link expired' },
        { kind: 'transcript', jobId: 'transcript.s1', state: 'pending' },
      ],
    });
  });

  it('when asked which jobs of a session are archived, then only those the ledger holds as archived are named', async () => {
    const sources = ledgerSources({ incomplete: async () => [], read: async (key) => (key === 's1' ? state() : undefined) });
    assert.deepEqual([...(await sources.archived.archivedJobIds('s1', ['chat.s1', 'summary.s1', 'recording.r']))], ['chat.s1']);
    assert.deepEqual([...(await sources.archived.archivedJobIds('other', ['chat.other']))], []);
  });
});
