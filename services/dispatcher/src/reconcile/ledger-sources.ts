// What the reconciler can take from the session ledger (built elsewhere): both optional, neither needed with a
// provider API; with them, a reconcile reports what the ledger knows and never fetches what it knows archived.
import type { ArtifactKind } from '../../../../shared/src/index.js';

/** An artifact the fleet was told about (a webhook) and has not archived. */
export interface UnarchivedArtifact {
  kind: ArtifactKind;
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
  /** The ids among `jobIds` whose artifact is archived. */
  archivedJobIds(jobIds: string[]): Promise<Set<string>>;
}
