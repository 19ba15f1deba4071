import { RECORD_NAMES, type ArchiveJob, type ArtifactRef as ArtifactRefRecord } from '../generated/records.js';

/** A BullMQ download job (schemas/archive-job.avsc). */
export const ARCHIVE_JOB_RECORD = RECORD_NAMES.ArchiveJob;
/** An artifact stored in the archive, on the archive topic. */
export const ARTIFACT_ARCHIVED_RECORD = RECORD_NAMES.ArtifactArchived;
/** An artifact that could not be archived, on the archive topic. */
export const ARTIFACT_FAILED_RECORD = RECORD_NAMES.ArtifactFailed;

/** The state of a session, on the compacted sessions topic (schemas/session-state.avsc). */
export const SESSION_STATE_RECORD = RECORD_NAMES.SessionState;

/** The kinds of artifact the fleet archives (a plain string in the schema, so a new kind never breaks a consumer). */
export type ArtifactKind = 'chat' | 'transcript' | 'summary' | 'recording' | 'recording_audio';

/** Which artifact a job or result is about (schemas/artifact-ref.avsc), with `kind` narrowed to the known kinds. */
export type ArtifactRef = Omit<ArtifactRefRecord, 'kind'> & { kind: ArtifactKind };

/**
 * The data of a download job (schemas/archive-job.avsc); checked against that schema at both ends of the queue.
 * `linkRefreshes` is the downloader's own count: whoever adds a job leaves it out, the schema's default (0) applies.
 * `traceparent` is the dispatch's W3C trace context; absent (jobs added before it existed, or by the reconciler) the
 * downloader starts a trace of its own.
 */
export type ArchiveJobData = Omit<ArchiveJob, 'artifact' | 'linkRefreshes' | 'traceparent'> & {
  artifact: ArtifactRef;
  linkRefreshes?: number;
  traceparent?: string | null;
};
