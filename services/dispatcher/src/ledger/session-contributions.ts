import { emptySessionState, ledgerKeyOf, SCHEMA_NAMESPACE, type SessionArtifact, type SessionContribution } from '../../../../shared/src/index.js';
import { artifactJobs } from '../domain/artifact-jobs.js';

/** What one decoded record gives the ledger: contributions, and whether a session id was missing (placeholder used). */
export interface LedgerReading {
  contributions: SessionContribution[];
  /** The record named no session: it was filed under the meeting's `_no-session:<meetingId>` placeholder. */
  withoutSession: boolean;
}

type Obj = Record<string, unknown>;
const obj = (value: unknown): Obj => (typeof value === 'object' && value !== null ? (value as Obj) : {});
const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const NOTHING: LedgerReading = { contributions: [], withoutSession: false };

/**
 * What a record of the meeting, recording or archive topic tells the ledger about a session: meeting.started and
 * meeting.ended its times, ids and organizer; an artifact event each artifact announced (the very job ids the
 * dispatcher gives it); ArtifactArchived and ArtifactFailed an artifact's outcome. `recordTimeMicros` (the Kafka
 * record's time) stands in when a record carries no time of its own. Other records tell it nothing.
 */
export function sessionContributions(recordName: string, value: Obj, recordTimeMicros: number): LedgerReading {
  const name = recordName.startsWith(`${SCHEMA_NAMESPACE}.`) ? recordName.slice(SCHEMA_NAMESPACE.length + 1) : recordName;
  const receivedAt = num(obj(value.delivery).receivedAt) ?? recordTimeMicros;
  switch (name) {
    case 'MeetingStarted':
    case 'MeetingEnded': {
      const meeting = obj(value.meeting);
      const meetingId = text(meeting.id);
      if (!meetingId) return NOTHING;
      const sessionId = text(meeting.sessionId);
      const organizer = obj(meeting.organizedBy);
      const state = {
        ...emptySessionState(ledgerKeyOf(sessionId, meetingId), sessionId, meetingId),
        organizationId: text(organizer.id),
        organizationName: text(organizer.name),
        title: text(meeting.title),
        updatedAt: receivedAt,
      };
      if (name === 'MeetingStarted') state.startedAt = num(meeting.startedAt) ?? num(meeting.createdAt) ?? receivedAt;
      else state.endedAt = num(meeting.endedAt) ?? receivedAt;
      return { contributions: [state], withoutSession: sessionId === null };
    }
    case 'ArtifactArchived':
    case 'ArtifactFailed': {
      const ref = obj(value.artifact);
      const meetingId = text(ref.meetingId);
      const jobId = text(ref.jobId);
      if (!meetingId || !jobId) return NOTHING;
      const sessionId = text(ref.sessionId);
      const artifact: SessionArtifact = { jobId, kind: text(ref.kind) ?? 'unknown', recordingId: text(ref.recordingId), state: 'pending', announcedAt: null, expiresAt: null, archived: null, failure: null };
      let at: number;
      if (name === 'ArtifactArchived') {
        at = num(value.archivedAt) ?? recordTimeMicros;
        artifact.state = 'archived';
        artifact.archived = { location: String(value.location), bytes: num(value.bytes) ?? 0, sha256: String(value.sha256), contentType: text(value.contentType), archivedAt: at };
      } else {
        at = num(value.failedAt) ?? recordTimeMicros;
        artifact.state = 'failed';
        artifact.failure = { reason: String(value.reason), detail: String(value.message ?? ''), failedAt: at };
      }
      const state = {
        ...emptySessionState(ledgerKeyOf(sessionId, meetingId), sessionId, meetingId),
        organizationId: text(ref.organizationId),
        artifacts: [artifact],
        updatedAt: at,
      };
      return { contributions: [state], withoutSession: sessionId === null };
    }
    default: {
      // Artifact events: the dispatcher's own reading, so the ledger lists exactly the jobs it adds.
      const dispatch = artifactJobs(recordName, value, 'ledger');
      if (!('jobs' in dispatch) || dispatch.jobs.length === 0) return NOTHING;
      const meeting = obj(value.meeting);
      const organizer = obj(meeting.organizedBy ?? value.organizedBy);
      let withoutSession = false;
      const contributions = dispatch.jobs.map((job) => {
        const { sessionId, meetingId, organizationId, recordingId, jobId, kind } = job.artifact;
        withoutSession ||= sessionId === null;
        return {
          ...emptySessionState(ledgerKeyOf(sessionId, meetingId), sessionId, meetingId),
          organizationId,
          organizationName: text(organizer.name),
          title: text(meeting.title),
          artifacts: [{ jobId, kind, recordingId, state: 'pending', announcedAt: receivedAt, expiresAt: job.expiresAt, archived: null, failure: null }],
          updatedAt: receivedAt,
        };
      });
      return { contributions, withoutSession };
    }
  }
}
