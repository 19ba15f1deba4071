import { SCHEMA_NAMESPACE } from './dyte-events.js';

/** A BullMQ download job (schemas/archive-job.avsc). */
export const ARCHIVE_JOB_RECORD = `${SCHEMA_NAMESPACE}.ArchiveJob`;
/** An artifact stored in the archive, on the archive topic. */
export const ARTIFACT_ARCHIVED_RECORD = `${SCHEMA_NAMESPACE}.ArtifactArchived`;
/** An artifact that could not be archived, on the archive topic. */
export const ARTIFACT_FAILED_RECORD = `${SCHEMA_NAMESPACE}.ArtifactFailed`;

/** The kinds of artifact the fleet archives. */
export type ArtifactKind = 'chat' | 'transcript' | 'summary' | 'recording' | 'recording_audio';

/** Which artifact a job or result is about (schemas/artifact-ref.avsc). */
export interface ArtifactRef {
  jobId: string;
  kind: ArtifactKind;
  organizationId: string | null;
  meetingId: string;
  sessionId: string | null;
  recordingId: string | null;
}

/** The data of a download job (schemas/archive-job.avsc); checked against that schema at both ends of the queue. */
export interface ArchiveJobData {
  artifact: ArtifactRef;
  url: string;
  /** Microseconds since the epoch, or null when the event gave no expiry. */
  expiresAt: number | null;
  sourceEvent: string;
  deliveryId: string;
  expectedBytes: number | null;
}
