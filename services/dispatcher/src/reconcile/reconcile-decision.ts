import {
  artifactJobId,
  type ArchiveJobData,
  type ProviderArtifact,
  type ProviderSession,
} from '../../../../shared/src/index.js';

/** The event name download jobs added by the reconciler carry in `sourceEvent` (webhook jobs carry the webhook's). */
export const RECONCILE_SOURCE_EVENT = 'reconcile';

/** A job of the download queue as the reconciler sees it. */
export interface ExistingJob {
  /** BullMQ's state: completed, failed, active, waiting, prioritized, delayed, waiting-children. */
  state: string;
  /** `<REASON>: <message>` for a failed job. */
  failedReason?: string;
}

/** What to do about one artifact the provider holds. */
export type Decision = 'recover' | 'retry' | 'already_archived' | 'pending' | 'failed';

// Failures a fresh link cures: the link had expired, or the object store refused or lost it (a presigned link
// answers 403 once expired, 404/410 when revoked). Anything else (TOO_LARGE, NOT_ALLOWED, INVALID_ID,
// EXISTS_DIFFERENT, or transfer failures that already had every attempt) would fail again the same way: retrying
// them on every sweep would only loop, so they are left to an operator.
const CURED_BY_A_FRESH_LINK = /^(EXPIRED|HTTP_(401|403|404|410))\b/;

/**
 * The download job the webhook path would have made for an artifact the provider holds: the same job id (the one
 * rule of shared/src/ids), the same ids, the fresh link. Returns a reason instead when no job can be made (no
 * meeting id: the archive is laid out by meeting, and the webhook path parks such events too).
 */
export function jobFromProvider(session: ProviderSession, artifact: ProviderArtifact, deliveryId: string): ArchiveJobData | { unusable: string } {
  const meetingId = artifact.meetingId ?? session.meetingId;
  if (!meetingId) return { unusable: `session ${session.sessionId} has no meeting id (associated_id): no archive place for its ${artifact.kind}` };
  const ids = {
    kind: artifact.kind,
    organizationId: session.organizationId,
    meetingId,
    sessionId: artifact.sessionId ?? session.sessionId,
    recordingId: artifact.recordingId ?? null,
  };
  return {
    // A held chat, transcript or summary always has its session id and a recording its id, so the fallback that
    // names session-less webhook artifacts is never needed here.
    artifact: { jobId: artifactJobId(ids, () => `${meetingId} ${session.sessionId}`), ...ids },
    url: artifact.url,
    expiresAt: artifact.expiresAt === null ? null : artifact.expiresAt.getTime() * 1000,
    sourceEvent: RECONCILE_SOURCE_EVENT,
    deliveryId,
    expectedBytes: artifact.bytes ?? null,
  };
}

/**
 * What an artifact the provider holds needs, from its job: none (recover it), one that completed or is still on its
 * way (nothing), or one that failed for good (retry it with the fresh link when that cures the failure).
 */
export function decide(existing: ExistingJob | undefined): Decision {
  if (!existing) return 'recover';
  switch (existing.state) {
    case 'completed':
      return 'already_archived';
    case 'failed':
      return CURED_BY_A_FRESH_LINK.test(existing.failedReason ?? '') ? 'retry' : 'failed';
    default:
      // waiting, prioritized, active, delayed, waiting-children: on its way; its own retries (and the downloader's
      // link refresh) see it through.
      return 'pending';
  }
}
