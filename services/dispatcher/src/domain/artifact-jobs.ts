import { artifactJobId, SCHEMA_NAMESPACE, type ArchiveJobData, type ArtifactKind, type ArtifactRef } from '../../../../shared/src/index.js';

/** What one Kafka record means for the archive: download jobs, nothing, or a reason to park it. */
export type Dispatch = { jobs: ArchiveJobData[] } | { parked: string };

type Obj = Record<string, unknown>;
const ARTIFACT_EVENTS = new Set(['meeting.chatSynced', 'meeting.transcript', 'meeting.summary', 'recording.statusUpdate']);

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const obj = (value: unknown): Obj => (typeof value === 'object' && value !== null ? (value as Obj) : {});
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/**
 * What a link points at, without what only authorises one fetch (the query: signature, date, expiry) and without
 * spaces: a presigned link issued again for the same object gives the same identity.
 */
function linkIdentity(url: string): string {
  try {
    const link = new URL(url);
    return `${link.protocol}//${link.host}${link.pathname}`;
  } catch {
    // Refused by the downloader later; escaping `%` and white space keeps it one to one and free of spaces.
    return (url.split(/[?#]/)[0] ?? '').replace(/[%\s]/g, encodeURIComponent);
  }
}

/**
 * The download jobs a decoded event asks for: chat, transcript and summary links, and an UPLOADED recording's
 * video and audio links. Records that are not about artifacts give no job; an artifact event that cannot give one
 * (no link, no meeting id, or kept raw because it broke its schema) is parked with the reason.
 */
export function artifactJobs(recordName: string, value: Obj, deliveryId: string): Dispatch {
  const name = recordName.startsWith(`${SCHEMA_NAMESPACE}.`) ? recordName.slice(SCHEMA_NAMESPACE.length + 1) : recordName;
  const job = (
    kind: ArtifactKind,
    ids: Omit<ArtifactRef, 'jobId' | 'kind'>,
    url: string | null,
    expiresAt: unknown,
    expectedBytes: number | null = null,
  ): ArchiveJobData | string => {
    if (!ids.meetingId) return `${String(value.event)}: no meeting id`;
    if (!url) return `${String(value.event)}: no ${kind} download URL`;
    // Without a session id, the meeting id alone would merge every session of a meeting (meeting ids repeat): the
    // link's expiry and the object it points at tell them apart. Only signed body content goes into a job id, never
    // the delivery id (an unsigned header: a replay with a new one would be archived again). Spaces join the parts:
    // the last two never hold one, so different parts never give the same string.
    const withoutSession = () => `${ids.meetingId} ${num(expiresAt) ?? 'no-expiry'} ${linkIdentity(url)}`;
    return {
      // The one job-id rule (shared/src/ids), which the reconciler uses too: the same artifact, the same job.
      artifact: { jobId: artifactJobId({ kind, ...ids }, withoutSession), kind, ...ids },
      url,
      expiresAt: num(expiresAt),
      sourceEvent: String(value.event),
      deliveryId,
      expectedBytes,
    };
  };
  const collect = (...results: (ArchiveJobData | string)[]): Dispatch => {
    const problem = results.find((r): r is string => typeof r === 'string');
    return problem ? { parked: problem } : { jobs: results as ArchiveJobData[] };
  };

  switch (name) {
    case 'MeetingChatSynced': {
      const ids = { organizationId: text(obj(value.organizedBy).id), meetingId: text(value.meetingId) ?? '', sessionId: text(value.sessionId), recordingId: null };
      return collect(job('chat', ids, text(value.chatDownloadUrl), value.chatDownloadUrlExpiry));
    }
    case 'MeetingTranscript': {
      const meeting = obj(value.meeting);
      const ids = { organizationId: text(obj(meeting.organizedBy).id), meetingId: text(meeting.id) ?? '', sessionId: text(meeting.sessionId), recordingId: null };
      return collect(job('transcript', ids, text(value.transcriptDownloadUrl), value.transcriptDownloadUrlExpiry));
    }
    case 'MeetingSummary': {
      const meeting = obj(value.meeting);
      const ids = {
        organizationId: text(obj(meeting.organizedBy).id),
        meetingId: text(meeting.id) ?? text(value.meetingId) ?? '',
        sessionId: text(meeting.sessionId) ?? text(value.sessionId),
        recordingId: null,
      };
      return collect(job('summary', ids, text(value.summaryDownloadUrl), value.summaryDownloadUrlExpiry));
    }
    case 'RecordingStatusUpdate': {
      const recording = obj(value.recording);
      if (recording.status !== 'UPLOADED') return { jobs: [] };
      const meeting = obj(value.meeting);
      const recordingId = text(recording.id) ?? text(recording.recordingId);
      if (!recordingId) return { parked: 'recording.statusUpdate UPLOADED: no recording id' };
      const ids = {
        organizationId: text(recording.organizationId) ?? text(obj(meeting.organizedBy).id),
        meetingId: text(recording.meetingId) ?? text(meeting.id) ?? '',
        sessionId: text(recording.roomUUID) ?? text(meeting.sessionId),
        recordingId,
      };
      const size = recording.fileSize;
      const expectedBytes = num(size) ?? (typeof size === 'string' && /^\d+$/.test(size) ? Number(size) : null);
      const results = [job('recording', ids, text(recording.downloadUrl), recording.downloadUrlExpiry, expectedBytes)];
      if (text(recording.audioDownloadUrl)) {
        results.push(job('recording_audio', ids, text(recording.audioDownloadUrl), recording.downloadUrlExpiry));
      }
      return collect(...results);
    }
    case 'RawEvent':
      // Authentic, but it broke its schema: an artifact event kept raw cannot be trusted to give a job.
      if (ARTIFACT_EVENTS.has(String(value.event)) && value.reason === 'SCHEMA_MISMATCH') {
        return { parked: `${String(value.event)} kept raw: ${(value.problems as string[] | undefined)?.join('; ') ?? 'schema mismatch'}` };
      }
      return { jobs: [] };
    default:
      return { jobs: [] };
  }
}
