import type { ArchiveJob, ArtifactRef as GeneratedArtifactRef } from '../generated/records.js';
import { SCHEMA_NAMESPACE } from './dyte-events.js';

/** A BullMQ download job (schemas/archive-job.avsc). */
export const ARCHIVE_JOB_RECORD = `${SCHEMA_NAMESPACE}.ArchiveJob`;
/** An artifact stored in the archive, on the archive topic. */
export const ARTIFACT_ARCHIVED_RECORD = `${SCHEMA_NAMESPACE}.ArtifactArchived`;
/** An artifact that could not be archived, on the archive topic. */
export const ARTIFACT_FAILED_RECORD = `${SCHEMA_NAMESPACE}.ArtifactFailed`;

/** The kinds of artifact the fleet archives. */
export type ArtifactKind = 'chat' | 'transcript' | 'summary' | 'recording' | 'recording_audio';

/** Which artifact a job or result is about (schemas/artifact-ref.avsc), with `kind` narrowed to the known kinds. */
export type ArtifactRef = Omit<GeneratedArtifactRef, 'kind'> & { kind: ArtifactKind };

/** The data of a download job (schemas/archive-job.avsc); checked against that schema at both ends of the queue. */
export type ArchiveJobData = Omit<ArchiveJob, 'artifact'> & { artifact: ArtifactRef };
