import { safeSegment } from '../../shared/src/index.js';
import type { StandInSession } from '../stand-ins/stand-in-provider.js';
import type { CustodyKind } from './custody-plan.js';

/** A presigned link as the stand-in's artifact server gives it. */
export interface Link {
  url: string;
  expiresAt: Date;
}

/** Dyte's space-separated timestamp form with microseconds, as in every *Expiry field. */
export function dyteTimestamp(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '000Z');
}

/**
 * The webhook that announces `kind` of `session` with `link`, shaped as Dyte sends it (meeting.chatSynced,
 * meeting.transcript, meeting.summary, recording.statusUpdate UPLOADED without fileSize). `organizationId` must be
 * what the provider's API answers as the session's organization (the app id for RealtimeKit), so that the webhook
 * path and the reconciler file the artifact under the same key.
 */
export function artifactWebhook(session: StandInSession, kind: CustodyKind, link: Link, organizationId: string): Record<string, unknown> {
  const organizedBy = { id: organizationId, name: 'Custody chaos' };
  const meeting = { id: session.meetingId, sessionId: session.id, title: session.title, status: 'ENDED', organizedBy };
  const expiry = dyteTimestamp(link.expiresAt);
  switch (kind) {
    case 'chat':
      return { event: 'meeting.chatSynced', meetingId: session.meetingId, sessionId: session.id, chatDownloadUrl: link.url, chatDownloadUrlExpiry: expiry, organizedBy };
    case 'transcript':
      return { event: 'meeting.transcript', meeting, transcriptDownloadUrl: link.url, transcriptDownloadUrlExpiry: expiry };
    case 'summary':
      return { event: 'meeting.summary', meeting, summaryDownloadUrl: link.url, summaryDownloadUrlExpiry: expiry };
    case 'recording': {
      const recording = session.recordings[0];
      if (!recording) throw new Error(`session ${session.id} has no recording`);
      return {
        event: 'recording.statusUpdate',
        recording: {
          id: recording.id,
          meetingId: session.meetingId,
          organizationId,
          roomUUID: session.id,
          status: 'UPLOADED',
          downloadUrl: link.url,
          downloadUrlExpiry: expiry,
        },
        meeting,
      };
    }
  }
}

/** The stand-in's file name of `kind` of `session`. */
export function fileOf(session: StandInSession, kind: CustodyKind): string {
  const file = kind === 'recording' ? session.recordings[0]?.video : session.files[kind];
  if (!file) throw new Error(`session ${session.id} has no ${kind} file`);
  return file;
}

/** The download job id the fleet gives `kind` of `session`: `<kind>.<session id>`, `recording.<recording id>`. */
export function jobIdOf(session: StandInSession, kind: CustodyKind): string {
  return kind === 'recording' ? `recording.${safeSegment(session.recordings[0]?.id ?? '')}` : `${kind}.${safeSegment(session.id)}`;
}
