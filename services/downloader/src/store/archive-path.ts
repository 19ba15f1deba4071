import { hashedSegment, safeSegment, type ArtifactRef } from '../../../../shared/src/index.js';
import { DownloadError } from '../download/download-error.js';

const EXTENSIONS = new Set(['csv', 'json', 'txt', 'md', 'srt', 'vtt', 'mp4', 'm4a', 'mp3', 'webm', 'ogg', 'wav', 'mkv']);
const BY_CONTENT_TYPE: Record<string, string> = {
  'text/csv': 'csv', 'application/json': 'json', 'text/plain': 'txt', 'text/markdown': 'md', 'application/x-subrip': 'srt',
  'text/vtt': 'vtt', 'video/mp4': 'mp4', 'audio/mp4': 'm4a', 'audio/mpeg': 'mp3', 'video/webm': 'webm', 'audio/webm': 'webm',
};
const DEFAULTS: Record<ArtifactRef['kind'], string> = { chat: 'csv', transcript: 'csv', summary: 'txt', recording: 'mp4', recording_audio: 'm4a' };

/** The artifact's file extension: from the link's path when known, else its content type, else the kind's usual one. */
export function extensionOf(kind: ArtifactRef['kind'], urlPath: string, contentType: string | null): string {
  const fromPath = /\.([A-Za-z0-9]{1,5})$/.exec(urlPath)?.[1]?.toLowerCase();
  if (fromPath && EXTENSIONS.has(fromPath)) return fromPath;
  // The content type comes from the artifact server: own keys only, so "constructor" maps to nothing.
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return Object.hasOwn(BY_CONTENT_TYPE, type) ? (BY_CONTENT_TYPE[type] as string) : DEFAULTS[kind];
}

/** A payload id as a path segment (one to one), or the name of its absence: a `_` name that no id is given. */
const segmentOr = (value: string | null, missing: string) => (value ? safeSegment(value) : missing);

/**
 * Where an artifact lives in the archive: `<organizationId>/<meetingId>/<sessionId>/<kind>.<ext>` (a missing session
 * id becomes `_no-session-<jobId>`), with recordings named by recording id (a session can have several):
 * `recording-<recordingId>.mp4`, `recording-<recordingId>-audio.m4a`. Different artifacts never share a key: every
 * id goes through safeSegment, and a recording id that itself ends in `-audio` is hashed in its video's name, which
 * could otherwise be another recording's audio name (whatever the extension).
 */
export function archiveKey(artifact: ArtifactRef, extension: string): string {
  const org = segmentOr(artifact.organizationId, '_unknown-organization');
  const meeting = segmentOr(artifact.meetingId, '_unknown-meeting');
  // Without a session id, the job id keeps two sessions' files apart.
  const session = segmentOr(artifact.sessionId, `_no-session-${safeSegment(artifact.jobId)}`);
  const recordingId = artifact.recordingId;
  const name =
    artifact.kind === 'recording'
      ? `recording-${recordingId?.endsWith('-audio') ? hashedSegment(recordingId) : segmentOr(recordingId, '_unknown-recording')}`
      : artifact.kind === 'recording_audio'
        ? `recording-${segmentOr(recordingId, '_unknown-recording')}-audio`
        : artifact.kind;
  return `${org}/${meeting}/${session}/${name}.${extension}`;
}

/**
 * Refuses ids that try to leave their folder (`..`, `.`, a slash or backslash, a NUL): such a value cannot come
 * from an honest payload. Other odd characters are replaced (and the value hashed) by safeSegment.
 */
export function checkIds(artifact: ArtifactRef): void {
  for (const field of ['organizationId', 'meetingId', 'sessionId', 'recordingId'] as const) {
    const value = artifact[field];
    if (value !== null && (/^\.{1,2}$/.test(value) || /[/\\\0]/.test(value))) {
      throw new DownloadError('INVALID_ID', `${field} ${JSON.stringify(value.slice(0, 80))} is not a safe path segment (path traversal refused)`, false);
    }
  }
}
