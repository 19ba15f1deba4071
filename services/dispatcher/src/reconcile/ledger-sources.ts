// What the reconciler can take from the session ledger (built elsewhere): both optional, neither needed with a
// provider API; with them, a reconcile reports what the ledger knows and never fetches what it knows archived.
import type { SessionLedger, SessionState } from '../../../../shared/src/index.js';

/** An artifact the fleet was told about (a webhook) and has not archived. */
export interface UnarchivedArtifact {
  /** chat, transcript, summary, recording, recording_audio. */
  kind: string;
  jobId: string;
  /** What the fleet knows of it: `pending`, `failed`, ... as the source words it. */
  state: string;
  /** Why it is not archived, when known (e.g. `EXPIRED: ...`). */
  reason?: string;
}

/** A session with at least one artifact announced but never archived. */
export interface IncompleteSession {
  sessionId: string;
  meetingId: string | null;
  /** When its first artifact was announced, when known. */
  announcedAt?: Date;
  artifacts: UnarchivedArtifact[];
}

/**
 * Where the reconciler learns which sessions are incomplete without asking the provider: the session ledger
 * (built elsewhere) implements it. With it, a reconcile reports those sessions even when no provider API is
 * configured.
 */
export interface IncompleteSessionsSource {
  /** Sessions whose artifacts were announced before `olderThan` and are not all archived. */
  incompleteSessions(olderThan: Date): Promise<IncompleteSession[]>;
}

/**
 * What the fleet knows to be archived beyond the download queue (the session ledger, built elsewhere, implements it):
 * with it, an artifact whose job is gone (a Redis that lost its queue) is not fetched again.
 */
export interface ArchivedArtifactsSource {
  /** The ids among `jobIds` (artifacts of session `sessionId`) whose artifact is archived. */
  archivedJobIds(sessionId: string, jobIds: string[]): Promise<Set<string>>;
}

/** A session as the ledger holds it, as an incomplete session: the artifacts not archived, with the latest failure. */
export function incompleteFromState(state: SessionState): IncompleteSession {
  const announced = state.artifacts.map((a) => a.announcedAt).filter((at): at is number => at !== null);
  return {
    sessionId: state.sessionId ?? state.ledgerKey,
    meetingId: state.meetingId,
    ...(announced.length > 0 ? { announcedAt: new Date(Math.min(...announced) / 1000) } : {}),
    artifacts: state.artifacts
      .filter((a) => a.state !== 'archived')
      .map((a) => ({ kind: a.kind, jobId: a.jobId, state: a.state, ...(a.failure ? { reason: `${a.failure.reason}: ${a.failure.detail}` } : {}) })),
  };
}

/** Both sources on the fleet's session ledger (shared/src/ledger). */
export function ledgerSources(ledger: Pick<SessionLedger, 'incomplete' | 'read'>): { incompleteSessions: IncompleteSessionsSource; archived: ArchivedArtifactsSource } {
  return {
    incompleteSessions: {
      async incompleteSessions(olderThan) {
        const olderThanSeconds = Math.max(0, Math.floor((Date.now() - olderThan.getTime()) / 1000));
        return (await ledger.incomplete({ olderThanSeconds })).map(incompleteFromState);
      },
    },
    archived: {
      async archivedJobIds(sessionId, jobIds) {
        const state = await ledger.read(sessionId);
        const archived = new Set((state?.artifacts ?? []).filter((a) => a.state === 'archived').map((a) => a.jobId));
        return new Set(jobIds.filter((id) => archived.has(id)));
      },
    },
  };
}
