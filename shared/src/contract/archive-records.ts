import { RECORD_NAMES, type ArchiveJob, type ArtifactRef as ArtifactRefRecord } from '../generated/records.js';

/** A BullMQ download job (schemas/archive-job.avsc). */
export const ARCHIVE_JOB_RECORD = RECORD_NAMES.ArchiveJob;
/** An artifact stored in the archive, on the archive topic. */
export const ARTIFACT_ARCHIVED_RECORD = RECORD_NAMES.ArtifactArchived;
/** An artifact that could not be archived, on the archive topic. */
export const ARTIFACT_FAILED_RECORD = RECORD_NAMES.ArtifactFailed;

/** One chat message of an archived chat, on the chat topic (schemas/chat-message.avsc). */
export const CHAT_MESSAGE_RECORD = RECORD_NAMES.ChatMessage;
/** One line of an archived transcript, on the transcript topic. */
export const TRANSCRIPT_SEGMENT_RECORD = RECORD_NAMES.TranscriptSegment;
/** The (bounded) text of an archived summary, on the transcript topic. */
export const MEETING_SUMMARY_TEXT_RECORD = RECORD_NAMES.MeetingSummaryText;

/** The state of a session, on the compacted sessions topic (schemas/session-state.avsc). */
export const SESSION_STATE_RECORD = RECORD_NAMES.SessionState;

/** The kinds of artifact the fleet archives (a plain string in the schema, so a new kind never breaks a consumer). */
export type ArtifactKind = 'chat' | 'transcript' | 'summary' | 'recording' | 'recording_audio';

/** Which artifact a job or result is about (schemas/artifact-ref.avsc), with `kind` narrowed to the known kinds. */
export type ArtifactRef = Omit<ArtifactRefRecord, 'kind'> & { kind: ArtifactKind };

/**
 * The data of a download job (schemas/archive-job.avsc); checked against that schema at both ends of the queue.
 * `linkRefreshes`, `stored` and `streamProgress` are the downloader's own: whoever adds a job leaves them out, the
 * schema's defaults (0, null) apply. `traceparent` is the dispatch's W3C trace context; absent (jobs added before it
 * existed, or by the reconciler) the downloader starts a trace of its own.
 */
export type ArchiveJobData = Omit<ArchiveJob, 'artifact' | 'linkRefreshes' | 'traceparent' | 'stored' | 'streamProgress'> & {
  artifact: ArtifactRef;
  linkRefreshes?: number;
  traceparent?: string | null;
  stored?: ArchiveJob['stored'];
  streamProgress?: ArchiveJob['streamProgress'];
};
