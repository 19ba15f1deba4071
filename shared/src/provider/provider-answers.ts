import type { ArtifactKind } from '../contract/index.js';
import type { ArtifactAnswer, ProviderArtifact, ProviderRecording, ProviderSession } from './provider-client.js';
import { ProviderError } from './provider-errors.js';
import { isObject, ProviderFields } from './provider-fields.js';

// Turns the provider's answers into the client's shapes. Field names are written once, in snake case: ProviderFields
// finds them in either casing. Any shape error is a TypeError naming the field; `readAnswer` makes it a ProviderError.

/** Runs `read` on an answer, turning a shape error into PROVIDER_INVALID_ANSWER that names `what` and the field. */
export function readAnswer<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TypeError) throw new ProviderError('PROVIDER_INVALID_ANSWER', `${what}: ${error.message}`, { cause: error });
    throw error;
  }
}

/** The link fields of each artifact kind that has its own endpoint. */
export const LINK_FIELDS = {
  chat: { url: 'chat_download_url', expiry: 'chat_download_url_expiry' },
  transcript: { url: 'transcript_download_url', expiry: 'transcript_download_url_expiry' },
  // RealtimeKit documents summaryDownloadUrl (camelCase) here; the same normalised name reads both.
  summary: { url: 'summary_download_url', expiry: 'summary_download_url_expiry' },
} as const;

/** One session of a listing. */
export function sessionFromAnswer(value: unknown, where: string): ProviderSession {
  const f = new ProviderFields(value, where);
  const sessionId = f.text('id', 'session_id');
  if (sessionId === null) throw new TypeError(`${where}: id is missing`);
  return {
    sessionId,
    meetingId: f.text('associated_id', 'meeting_id'),
    organizationId: f.text('organization_id'),
    title: f.text('meeting_display_name', 'title'),
    status: f.text('status'),
    type: f.text('type'),
    createdAt: f.timestamp('created_at'),
    startedAt: f.timestamp('started_at'),
    endedAt: f.timestamp('ended_at'),
  };
}

/** The chat, transcript or summary answer of a session. */
export function linkFromAnswer(kind: keyof typeof LINK_FIELDS, data: unknown, sessionId: string, where: string): ArtifactAnswer {
  const f = new ProviderFields(data, where);
  const names = LINK_FIELDS[kind];
  const url = f.url(names.url);
  if (url === null) {
    return { held: false, kind, sessionId, reason: 'NO_LINK', message: `${where} has no ${names.url}: the provider holds no ${kind} file for session ${sessionId}` };
  }
  const meetingId = f.text('meeting_id', 'associated_id');
  return { held: true, kind, sessionId, ...(meetingId ? { meetingId } : {}), url, expiresAt: f.timestamp(names.expiry) };
}

/** One recording, with its video and (when exported) audio links. */
export function recordingFromAnswer(value: unknown, where: string): ProviderRecording {
  const f = new ProviderFields(value, where);
  const recordingId = f.text('id', 'recording_id');
  if (recordingId === null) throw new TypeError(`${where}: id is missing`);
  const sessionId = f.text('session_id', 'room_uuid');
  const meeting = f.object('meeting');
  const meetingId = f.text('meeting_id') ?? (meeting ? new ProviderFields(meeting, `${where}.meeting`).text('id') : null);
  const status = f.text('status');
  const expiresAt = f.timestamp('download_url_expiry');
  const bytes = f.count('file_size');
  const ids = { sessionId, recordingId, ...(meetingId ? { meetingId } : {}) };
  const link = (kind: ArtifactKind, url: string, size: number | null): ProviderArtifact => ({
    held: true,
    kind,
    ...ids,
    url,
    expiresAt,
    ...(size !== null ? { bytes: size } : {}),
  });
  const videoUrl = f.url('download_url');
  const audioUrl = f.url('audio_download_url');
  const video: ArtifactAnswer = videoUrl
    ? link('recording', videoUrl, bytes)
    : {
        held: false,
        kind: 'recording',
        sessionId,
        recordingId,
        reason: 'NO_LINK',
        message: `${where} has no download_url (status ${status ?? 'unknown'}): not uploaded yet, failed, or kept in another bucket`,
      };
  return { held: true, recordingId, sessionId, meetingId, status, video, audio: audioUrl ? link('recording_audio', audioUrl, null) : null };
}

/** A page of a listing: its items, the total when given, and whether it is the last page. */
export function pageFromAnswer(
  body: Record<string, unknown>,
  itemsField: string,
  pageNo: number,
  perPage: number,
  where: string,
): { items: unknown[]; totalCount: number | null; last: boolean } {
  const data = body.data;
  // RealtimeKit: {data: {sessions: [...]}, paging} for sessions, {data: [...], paging} for recordings.
  const items = Array.isArray(data) ? data : new ProviderFields(data, `${where} data`).array(itemsField);
  if (items === null) throw new TypeError(`${where}: data.${itemsField} is missing`);
  const pagingSource = isObject(body.paging) ? body.paging : isObject(data) ? new ProviderFields(data, `${where} data`).object('paging') : null;
  const paging = pagingSource ? new ProviderFields(pagingSource, `${where} paging`) : null;
  const totalCount = paging?.count('total_count') ?? null;
  const endOffset = paging?.count('end_offset') ?? null;
  let last: boolean;
  if (items.length === 0) last = true;
  else if (totalCount !== null && endOffset !== null) last = endOffset >= totalCount;
  else if (totalCount !== null) last = pageNo * perPage >= totalCount;
  else last = items.length < perPage;
  return { items, totalCount, last };
}
