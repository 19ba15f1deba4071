import type { SessionArchivedCopy, SessionArtifact, SessionArtifactFailure, SessionState } from '../contract/index.js';

/**
 * What one source record (or a state read back from the sessions topic) says about a session: a SessionState with
 * only what that record knows filled in. Folding is a join: commutative, associative and idempotent, so records
 * redelivered, replayed or read in any order across topics give the same state.
 */
export type SessionContribution = SessionState;

/** The ledger key of artifacts whose events named no session: one placeholder per meeting. */
export function noSessionKey(meetingId: string): string {
  return `_no-session:${meetingId}`;
}

/** The ledger key of a session, or the meeting's placeholder when the record names no session. */
export function ledgerKeyOf(sessionId: string | null, meetingId: string): string {
  return sessionId ?? noSessionKey(meetingId);
}

/** An empty state of `ledgerKey`, the neutral element of the join (updatedAt 0: no fact yet). */
export function emptySessionState(ledgerKey: string, sessionId: string | null, meetingId: string): SessionState {
  return {
    ledgerKey,
    sessionId,
    meetingId,
    organizationId: null,
    organizationName: null,
    title: null,
    startedAt: null,
    endedAt: null,
    artifacts: [],
    updatedAt: 0,
  };
}

/** An artifact known only by its identity, the neutral element of the artifact join. */
export function emptyArtifact(jobId: string, kind: string, recordingId: string | null): SessionArtifact {
  return { jobId, kind, recordingId, state: 'pending', announcedAt: null, expiresAt: null, archived: null, failure: null };
}

// Each rule below picks by a total order, never "the newer write": that is what makes the join order-free.
const minText = (a: string | null, b: string | null) => (a === null ? b : b === null ? a : a <= b ? a : b);
const minTime = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.min(a, b));
const maxTime = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));
// Ties are broken on every field in a fixed order, whatever order a decoder or JSON.parse gave the keys in.
const canonicalCopy = (c: SessionArchivedCopy) => JSON.stringify([c.archivedAt, c.location, c.bytes, c.sha256, c.contentType]);
const canonicalFailure = (f: SessionArtifactFailure) => JSON.stringify([f.failedAt, f.reason, f.detail]);

/** The copy archived first (an artifact re-reported after a crash keeps its first location and time). */
function firstArchived(a: SessionArchivedCopy | null, b: SessionArchivedCopy | null): SessionArchivedCopy | null {
  if (a === null || b === null) return a ?? b;
  if (a.archivedAt !== b.archivedAt) return a.archivedAt < b.archivedAt ? a : b;
  return canonicalCopy(a) <= canonicalCopy(b) ? a : b;
}

/** The latest failure (a retry that failed again says more than the first failure). */
function latestFailure(a: SessionArtifactFailure | null, b: SessionArtifactFailure | null): SessionArtifactFailure | null {
  if (a === null || b === null) return a ?? b;
  if (a.failedAt !== b.failedAt) return a.failedAt > b.failedAt ? a : b;
  return canonicalFailure(a) >= canonicalFailure(b) ? a : b;
}

/** Archived wins over failed (a requeued artifact that was stored is in the archive), failed over pending. */
function stateOf(artifact: Pick<SessionArtifact, 'archived' | 'failure'>): string {
  return artifact.archived ? 'archived' : artifact.failure ? 'failed' : 'pending';
}

/** The join of two views of one artifact (same job id). */
export function mergeArtifacts(a: SessionArtifact, b: SessionArtifact): SessionArtifact {
  const archived = firstArchived(a.archived, b.archived);
  const failure = latestFailure(a.failure, b.failure);
  // Copies, in the schema's field order: a state never shares objects with the contributions it came from.
  return {
    jobId: a.jobId,
    kind: minText(a.kind, b.kind) ?? a.kind,
    recordingId: minText(a.recordingId, b.recordingId),
    state: stateOf({ archived, failure }),
    announcedAt: minTime(a.announcedAt, b.announcedAt),
    expiresAt: maxTime(a.expiresAt, b.expiresAt),
    archived: archived && { location: archived.location, bytes: archived.bytes, sha256: archived.sha256, contentType: archived.contentType, archivedAt: archived.archivedAt },
    failure: failure && { reason: failure.reason, detail: failure.detail, failedAt: failure.failedAt },
  };
}

/**
 * The join of two states of one ledger key: started the earliest, ended the latest, artifacts united by job id,
 * ids and names by a fixed order (they agree in practice; the order only makes a disagreement deterministic).
 */
export function mergeSessionStates(a: SessionState, b: SessionState): SessionState {
  const artifacts = new Map<string, SessionArtifact>();
  for (const artifact of [...a.artifacts, ...b.artifacts]) {
    const known = artifacts.get(artifact.jobId);
    artifacts.set(artifact.jobId, known ? mergeArtifacts(known, artifact) : mergeArtifacts(artifact, artifact));
  }
  return {
    ledgerKey: a.ledgerKey,
    sessionId: minText(a.sessionId, b.sessionId),
    meetingId: minText(a.meetingId || null, b.meetingId || null) ?? '',
    organizationId: minText(a.organizationId, b.organizationId),
    organizationName: minText(a.organizationName, b.organizationName),
    title: minText(a.title, b.title),
    startedAt: minTime(a.startedAt, b.startedAt),
    endedAt: maxTime(a.endedAt, b.endedAt),
    artifacts: [...artifacts.values()].sort((x, y) => (x.jobId < y.jobId ? -1 : x.jobId > y.jobId ? 1 : 0)),
    updatedAt: Math.max(a.updatedAt, b.updatedAt),
  };
}

/** Folds contributions of one ledger key into its state; undefined when there are none. */
export function foldSession(contributions: readonly SessionContribution[]): SessionState | undefined {
  const [first, ...rest] = contributions;
  if (!first) return undefined;
  return rest.reduce(mergeSessionStates, mergeSessionStates(first, first));
}

/** True when an artifact was announced (or reported) but is not archived: pending or failed. */
export function isIncomplete(artifact: SessionArtifact): boolean {
  return artifact.archived === null;
}

/**
 * Since when a session has been incomplete: the earliest announcement (or, lacking one, failure) of an artifact
 * not archived, in microseconds; null when every artifact it knows is archived.
 */
export function incompleteSince(state: SessionState): number | null {
  let since: number | null = null;
  for (const artifact of state.artifacts) {
    if (!isIncomplete(artifact)) continue;
    since = minTime(since, artifact.announcedAt ?? artifact.failure?.failedAt ?? state.updatedAt);
  }
  return since;
}
