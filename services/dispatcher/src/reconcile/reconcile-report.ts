import type { ArtifactKind } from '../../../../shared/src/index.js';
import type { IncompleteSession } from './ledger-sources.js';

/**
 * What the reconciler found for one artifact of a provider session:
 * - `recovered`: the provider holds it and the fleet had no job for it: a job was added (in a dry run: would be);
 * - `retried`: its job had failed for good on a dead link (EXPIRED, HTTP_403, ...): retried with the fresh link;
 * - `already_archived`: its job completed;
 * - `pending`: its job waits, runs or waits to be retried;
 * - `failed`: its job failed for good for a reason a fresh link cannot fix (TOO_LARGE, NOT_ALLOWED, ...): left to
 *   an operator (`dyte-bridge requeue`);
 * - `not_held`: the provider holds no file for it (none made, not uploaded yet, past retention);
 * - `unusable`: held, but without a meeting id no job can be made for it.
 */
export const ARTIFACT_OUTCOMES = ['recovered', 'retried', 'already_archived', 'pending', 'failed', 'not_held', 'unusable'] as const;
export type ArtifactOutcome = (typeof ARTIFACT_OUTCOMES)[number];

/** One artifact of a session, and what the reconciler made of it. */
export interface ArtifactFinding {
  kind: ArtifactKind;
  /** The job id it has or would have (the webhook path's); absent for a recording the provider names no id for. */
  jobId?: string;
  recordingId?: string;
  outcome: ArtifactOutcome;
  /** For `failed`, `retried`, `not_held`, `unusable`: why. */
  reason?: string;
  /** When the fresh link expires (held artifacts). */
  expiresAt?: string | null;
}

/** One session of the provider's listing. */
export interface SessionFinding {
  sessionId: string;
  meetingId: string | null;
  startedAt: string | null;
  endedAt: string | null;
  artifacts: ArtifactFinding[];
  /** Provider calls about this session that failed (the rest of the session is still reported). */
  errors: string[];
}

/** What one reconcile found and did. */
export interface ReconcileReport {
  /** What the reconcile asked: `realtimekit (account …)`, or null without a provider API. */
  provider: string | null;
  since: string;
  until: string;
  /** Sessions that ended after this were left for a later reconcile (their webhooks may still be on the way). */
  settledBefore: string;
  dryRun: boolean;
  /** Every session looked at (live and too recent ones are only counted). */
  sessions: SessionFinding[];
  skipped: { live: number; recent: number };
  /** Artifacts by outcome, over every session. */
  totals: Record<ArtifactOutcome, number>;
  /** Sessions with at least one failed provider call. */
  sessionsWithErrors: number;
  /** True when the reconcile was stopped before the end of the listing (a stop, a lost lock). */
  aborted: boolean;
  /** From the IncompleteSessionsSource, when one is given: announced, never archived. */
  incomplete?: IncompleteSession[];
}

/** A totals record with every outcome at 0. */
export function emptyTotals(): Record<ArtifactOutcome, number> {
  return Object.fromEntries(ARTIFACT_OUTCOMES.map((outcome) => [outcome, 0])) as Record<ArtifactOutcome, number>;
}
