import type { ArtifactKind } from '../contract/index.js';

/** Which provider API a client talks to. */
export type ProviderName = 'realtimekit' | 'dyte';

/** One session as the provider lists it, fields normalised from either casing. */
export interface ProviderSession {
  sessionId: string;
  /** The meeting (`associated_id`); a room name for meetings made with the v1 API. */
  meetingId: string | null;
  /** The app (RealtimeKit) or organization (Dyte) that hosted it. */
  organizationId: string | null;
  title: string | null;
  /** `LIVE` or `ENDED`. */
  status: string | null;
  /** `meeting`, `livestream` or `participant`. */
  type: string | null;
  createdAt: Date | null;
  startedAt: Date | null;
  /** Absent while the session is live. */
  endedAt: Date | null;
}

/** One page of `listSessions`. */
export interface SessionPage {
  /** 1 for the first page. */
  pageNo: number;
  sessions: ProviderSession[];
  /** The number of sessions the whole listing holds, when the provider says. */
  totalCount: number | null;
}

/** A window of sessions to list; both ends are optional. */
export interface ListSessionsOptions {
  /** Sessions from this time on (`start_time`). */
  since?: Date;
  /** Sessions up to this time (`end_time`). */
  until?: Date;
  /** Sessions per page (`per_page`), 50 unless set. */
  perPage?: number;
  /** Only `LIVE` or `ENDED` sessions. */
  status?: 'LIVE' | 'ENDED';
}

/** An artifact the provider holds, with a fresh link to it. */
export interface ProviderArtifact {
  held: true;
  kind: ArtifactKind;
  sessionId: string | null;
  meetingId?: string;
  recordingId?: string;
  /** A presigned link; valid until `expiresAt`. */
  url: string;
  /** When the link stops working; `null` when the provider did not say. */
  expiresAt: Date | null;
  /** The size in bytes, when the provider says (recordings). */
  bytes?: number;
}

/**
 * The provider does not hold the artifact: `NOT_FOUND` when it answered 404/410 (an unknown id, or past the 7 days
 * of retention), `NO_LINK` when it knows the artifact but gave no link (a recording still being made or uploaded,
 * a summary not generated, a recording kept in the customer's own bucket).
 */
export interface NotHeld {
  held: false;
  kind: ArtifactKind;
  sessionId: string | null;
  recordingId?: string;
  reason: 'NOT_FOUND' | 'NO_LINK';
  /** Why, in words, for a failure record or a log line. */
  message: string;
}

/** What asking for one artifact gives: a fresh link, or a typed "not held". */
export type ArtifactAnswer = ProviderArtifact | NotHeld;

/** A recording: its video and, when audio export is configured, its audio-only file. */
export interface ProviderRecording {
  /** The provider knows the recording; whether it has a link is `video.held`. */
  held: true;
  recordingId: string;
  sessionId: string | null;
  meetingId: string | null;
  /** INVOKED, RECORDING, UPLOADING, UPLOADED, ERRORED or PAUSED. */
  status: string | null;
  video: ArtifactAnswer;
  /** `null` when the recording has no audio-only file. */
  audio: ProviderArtifact | null;
}

/** Which recordings to list: the whole app, a meeting's, or a session's. */
export interface ListRecordingsOptions {
  /** Narrows the listing on the provider's side (`meeting_id`). */
  meetingId?: string;
  /** Keeps only this session's recordings (the API cannot filter by session: filtered here). */
  sessionId?: string;
  since?: Date;
  until?: Date;
  perPage?: number;
}

/**
 * The provider's REST API (RealtimeKit or Dyte v2), for fresh links and for reconciliation. Every call waits for
 * room in the request budget shared by all replicas, times out, and fails with a ProviderError (see
 * provider-errors.ts); an artifact the provider does not hold is an answer (`held: false`), not an error.
 */
export interface ProviderClient {
  readonly provider: ProviderName;
  /** "realtimekit (account …, app …, https://…)": what the client talks to, without credentials. */
  readonly description: string;
  /** The sessions in a window, page by page; stops after the last page. */
  listSessions(options?: ListSessionsOptions): AsyncIterable<SessionPage>;
  getChat(sessionId: string): Promise<ArtifactAnswer>;
  getTranscript(sessionId: string): Promise<ArtifactAnswer>;
  getSummary(sessionId: string): Promise<ArtifactAnswer>;
  /** Recordings, page by page (a session's when `sessionId` is given). */
  listRecordings(options?: ListRecordingsOptions): AsyncIterable<ProviderRecording[]>;
  /** One recording with fresh links, or `NotHeld` when the provider no longer has it. */
  getRecording(recordingId: string): Promise<ProviderRecording | NotHeld>;
}
