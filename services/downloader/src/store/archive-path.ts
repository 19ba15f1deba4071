import type { ArtifactRef } from '../../../../shared/src/index.js';
import { DownloadError } from '../download/download-error.js';

const EXTENSIONS = new Set(['csv', 'json', 'txt', 'md', 'srt', 'vtt', 'mp4', 'm4a', 'mp3', 'webm', 'ogg', 'wav', 'mkv']);
const BY_CONTENT_TYPE: Record<string, string> = {
  'text/csv': 'csv', 'application/json': 'json', 'text/plain': 'txt', 'text/markdown': 'md', 'application/x-subrip': 'srt',
  'text/vtt': 'vtt', 'video/mp4': 'mp4', 'audio/mp4': 'm4a', 'audio/mpeg': 'mp3', 'video/webm': 'webm', 'audio/webm': 'webm',
};
const DEFAULTS: Record<ArtifactRef['kind'], string> = { chat: 'csv', transcript: 'csv', summary: 'txt', recording: 'mp4', recording_audio: 'm4a' };

/**
 * One path segment from a payload value: only letters, digits, `.`, `_` and `-`, never `.`/`..` or hidden, at most
 * 128 characters. Payload values are never trusted as paths.
 */
export function safeSegment(value: string | null, fallback: string): string {
  const cleaned = (value ?? '').replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 128);
  if (cleaned === '' || /^\.+$/.test(cleaned)) return fallback;
  return cleaned.startsWith('.') ? `_${cleaned.slice(1)}` : cleaned;
}

/** The artifact's file extension: from the link's path when known, else its content type, else the kind's usual one. */
export function extensionOf(kind: ArtifactRef['kind'], urlPath: string, contentType: string | null): string {
  const fromPath = /\.([A-Za-z0-9]{1,5})$/.exec(urlPath)?.[1]?.toLowerCase();
  if (fromPath && EXTENSIONS.has(fromPath)) return fromPath;
  // The content type comes from the artifact server: own keys only, so "constructor" maps to nothing.
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return Object.hasOwn(BY_CONTENT_TYPE, type) ? (BY_CONTENT_TYPE[type] as string) : DEFAULTS[kind];
}

/**
 * Where an artifact lives in the archive: `<organizationId>/<meetingId>/<sessionId>/<kind>.<ext>` (a missing session
 * id becomes `_no-session-<jobId>`), with recordings
 * named by recording id (a session can have several): `recording-<recordingId>.mp4`, `recording-<id>-audio.m4a`.
 */
export function archiveKey(artifact: ArtifactRef, extension: string): string {
  const org = safeSegment(artifact.organizationId, '_unknown-organization');
  const meeting = safeSegment(artifact.meetingId, '_unknown-meeting');
  // Without a session id, the job id keeps two sessions' files apart.
  const session = safeSegment(artifact.sessionId, `_no-session-${safeSegment(artifact.jobId, 'job')}`);
  const recording = safeSegment(artifact.recordingId, '_unknown-recording');
  const name =
    artifact.kind === 'recording' ? `recording-${recording}` : artifact.kind === 'recording_audio' ? `recording-${recording}-audio` : artifact.kind;
  return `${org}/${meeting}/${session}/${name}.${extension}`;
}

/**
 * Refuses ids that try to leave their folder (`..`, `.`, a slash or backslash, a NUL): such a value cannot come
 * from an honest payload. Other odd characters are merely replaced by safeSegment.
 */
export function checkIds(artifact: ArtifactRef): void {
  for (const field of ['organizationId', 'meetingId', 'sessionId', 'recordingId'] as const) {
    const value = artifact[field];
    if (value !== null && (/^\.{1,2}$/.test(value) || /[/\\\0]/.test(value))) {
      throw new DownloadError('INVALID_ID', `${field} ${JSON.stringify(value.slice(0, 80))} is not a safe path segment (path traversal refused)`, false);
    }
  }
}
