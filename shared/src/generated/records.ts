// Generated from schemas/ by scripts/contracts/generate.ts: do not edit by hand (make contracts).

/** Namespace of every record type of schemas/. */
export const SCHEMA_NAMESPACE = 'io.dytebridge.dyte';

/** The full name of every record type of schemas/, by its short name. */
export const RECORD_NAMES = {
  ArchiveJob: 'io.dytebridge.dyte.ArchiveJob',
  ArchivedFile: 'io.dytebridge.dyte.ArchivedFile',
  ArtifactArchived: 'io.dytebridge.dyte.ArtifactArchived',
  ArtifactFailed: 'io.dytebridge.dyte.ArtifactFailed',
  ArtifactRef: 'io.dytebridge.dyte.ArtifactRef',
  ChatMessage: 'io.dytebridge.dyte.ChatMessage',
  Delivery: 'io.dytebridge.dyte.Delivery',
  LivestreamingStatusUpdate: 'io.dytebridge.dyte.LivestreamingStatusUpdate',
  Meeting: 'io.dytebridge.dyte.Meeting',
  MeetingChatSynced: 'io.dytebridge.dyte.MeetingChatSynced',
  MeetingEnded: 'io.dytebridge.dyte.MeetingEnded',
  MeetingParticipantJoined: 'io.dytebridge.dyte.MeetingParticipantJoined',
  MeetingParticipantLeft: 'io.dytebridge.dyte.MeetingParticipantLeft',
  MeetingStarted: 'io.dytebridge.dyte.MeetingStarted',
  MeetingSummary: 'io.dytebridge.dyte.MeetingSummary',
  MeetingSummaryText: 'io.dytebridge.dyte.MeetingSummaryText',
  MeetingTranscript: 'io.dytebridge.dyte.MeetingTranscript',
  Organizer: 'io.dytebridge.dyte.Organizer',
  ParkedRecord: 'io.dytebridge.dyte.ParkedRecord',
  Participant: 'io.dytebridge.dyte.Participant',
  RawEvent: 'io.dytebridge.dyte.RawEvent',
  Recording: 'io.dytebridge.dyte.Recording',
  RecordingStatusUpdate: 'io.dytebridge.dyte.RecordingStatusUpdate',
  SessionArchivedCopy: 'io.dytebridge.dyte.SessionArchivedCopy',
  SessionArtifact: 'io.dytebridge.dyte.SessionArtifact',
  SessionArtifactFailure: 'io.dytebridge.dyte.SessionArtifactFailure',
  SessionState: 'io.dytebridge.dyte.SessionState',
  StreamProgress: 'io.dytebridge.dyte.StreamProgress',
  TranscriptSegment: 'io.dytebridge.dyte.TranscriptSegment',
} as const;

/** The full name of a record type of schemas/. */
export type RecordName = (typeof RECORD_NAMES)[keyof typeof RECORD_NAMES];

/** io.dytebridge.dyte.ArchiveJob: A BullMQ download job: fetch one artifact before its link expires. */
export interface ArchiveJob {
  artifact: ArtifactRef;
  /** The presigned download link (a secret: never logged with its query). */
  url: string;
  /** When the link expires; null when the event gave no expiry. Microseconds since the epoch. */
  expiresAt: null | number;
  /** The webhook event the job came from. */
  sourceEvent: string;
  /** The delivery id of that webhook. */
  deliveryId: string;
  /** The size the event announced, if any (recording fileSize). */
  expectedBytes: null | number;
  /** Fresh links the provider API gave for this job so far (url and expiresAt are then the latest one's); producers leave it 0. */
  linkRefreshes: number;
  /** W3C traceparent of the dispatch that added the job (null: added without one, e.g. by the reconciler): the downloader continues its trace. */
  traceparent: null | string;
  /** Set by the downloader once the file is in the archive; producers leave it null. */
  stored: null | ArchivedFile;
  /** Set by the downloader while it publishes the file's lines (chat, transcript, summary); producers leave it null. */
  streamProgress: null | StreamProgress;
}

/** io.dytebridge.dyte.ArchivedFile: A file a download job has stored in the archive: saved in the job so that a retry after a crash goes on from the stored file instead of fetching it again. */
export interface ArchivedFile {
  /** Where it is: file:///... or s3://bucket/key. */
  location: string;
  bytes: number;
  /** Hex SHA-256 of the stored bytes. */
  sha256: string;
  contentType: null | string;
}

/** io.dytebridge.dyte.ArtifactArchived: An artifact is stored in the archive, complete and checksummed. */
export interface ArtifactArchived {
  artifact: ArtifactRef;
  /** Where it is: file:///... or s3://bucket/key. */
  location: string;
  bytes: number;
  /** Hex SHA-256 of the stored bytes. */
  sha256: string;
  contentType: null | string;
  /** From the job's creation to the file stored. */
  tookMs: number;
  attempts: number;
  /** Microseconds since the epoch. */
  archivedAt: number;
  /** Fresh links the provider API gave for this artifact (its link had expired, was about to, or was refused) before it was stored. */
  linkRefreshes: number;
  /** W3C traceparent of the download that wrote this record; its trace id is the one of the webhook that announced the artifact (null: a job without a trace). */
  traceparent: null | string;
  /** What became of publishing the file's content (chat messages, transcript segments, summary text) on the chat and transcript topics: NOT_STREAMED (not a streamed kind, turned off, or a writer from before streams), COMPLETE (every row published or rejected), UNPARSEABLE (the file is archived but its format is not known, or it broke off: streamProblem says why). */
  stream: string;
  /** Records published from the file's content. */
  streamedRecords: number;
  /** Rows of the file that were not published (malformed); each is logged with its line number and reason. */
  rejectedRows: number;
  /** With UNPARSEABLE: why, and at which line. */
  streamProblem: null | string;
}

/** io.dytebridge.dyte.ArtifactFailed: An artifact could not be archived, for good. */
export interface ArtifactFailed {
  artifact: ArtifactRef;
  /** EXPIRED, HTTP_<status>, TOO_LARGE, NOT_ALLOWED, SIZE_MISMATCH, NETWORK, ... */
  reason: string;
  /** What went wrong, in words (never the link's query string). */
  message: string;
  attempts: number;
  /** Microseconds since the epoch. */
  failedAt: number;
  /** Fresh links the provider API gave for this artifact before it failed. */
  linkRefreshes: number;
  /** With reason EXPIRED: why no fresh link was used. NO_PROVIDER_API (the API is not configured), NOT_HELD (the provider no longer holds the artifact), NOT_ASKABLE (the job lacks the id the API is asked by), REFRESH_LIMIT, or the code of the provider's error (PROVIDER_UNAUTHORIZED, PROVIDER_THROTTLED, ...). */
  expiredBecause: null | string;
  /** W3C traceparent of the download that wrote this record; its trace id is the one of the webhook that announced the artifact (null: a job without a trace). */
  traceparent: null | string;
}

/** io.dytebridge.dyte.ArtifactRef: Which meeting artifact an archive job or result is about. */
export interface ArtifactRef {
  /** kind + session or recording id: the same artifact always has the same job id. */
  jobId: string;
  /** chat, transcript, summary, recording or recording_audio. */
  kind: string;
  organizationId: null | string;
  meetingId: string;
  sessionId: null | string;
  recordingId: null | string;
}

/** io.dytebridge.dyte.ChatMessage: One chat message of an archived chat dump (Dyte's CSV or RealtimeKit's JSON), on the chat topic, keyed by session id. The same line of the same artifact always gives the same record: skip duplicates by (artifact.jobId, line), also in the record-id header. */
export interface ChatMessage {
  /** The archived chat file the message comes from. */
  artifact: ArtifactRef;
  /** Where in the file: CSV, the line the row ends on (the header is line 1); JSON, the message's position in its array, from 1. */
  line: number;
  /** csv or json: the file's format, read from its content. */
  format: string;
  /** The message id. */
  id: string;
  participantId: null | string;
  /** As the file says; the record key is the artifact's session id. */
  sessionId: null | string;
  meetingId: null | string;
  displayName: null | string;
  pinned: boolean;
  isEdited: boolean;
  /** TEXT_MESSAGE, IMAGE_MESSAGE, FILE_MESSAGE, ... as the file says. */
  payloadType: null | string;
  /** The message text, or the file/image reference, as the file says. */
  payload: string;
  /** When the message was sent; null when the file gives none. Microseconds since the epoch. */
  createdAt: null | number;
  /** Columns or fields the schema does not model, as a JSON object; null when none. */
  extraJson: null | string;
}

/** io.dytebridge.dyte.Delivery: How the webhook reached the ingress. Not part of Dyte's body: filled in from the request. */
export interface Delivery {
  /** The dyte-uuid / rtk-uuid header, or bodySha256 when absent. Use it to skip duplicates. */
  deliveryId: string;
  /** SHA-256 (hex) of the body's canonical JSON (RFC 8785 JCS) without its secret fields, i.e. of the content as stored here: the same for every re-serialisation of the same content (whitespace, key order; a duplicate key counts with its last value). A second duplicate key, since the uuid may change across retries. */
  bodySha256: string;
  /** The dyte-webhook-id / rtk-webhook-id header. */
  webhookId: null | string;
  /** dyte or rtk: which header family the webhook came with. */
  source: string;
  /** When the ingress received the request. Microseconds since the epoch. */
  receivedAt: number;
}

/** io.dytebridge.dyte.LivestreamingStatusUpdate: livestreaming.statusUpdate. streamKey is a secret and is never stored. */
export interface LivestreamingStatusUpdate {
  event: string;
  streamId: string;
  /** Dyte: LIVE, OFFLINE; RTK adds IDLE. */
  status: string;
  /** RTK only. */
  manualIngest: null | boolean;
  /** RTK only. */
  playbackUrl: null | string;
  /** RTK only. */
  ingestServer: null | string;
  /** RTK only. Microseconds since the epoch. */
  meeting: null | Meeting;
  /** Microseconds since the epoch. */
  delivery: Delivery;
  /** JSON object of the fields of the body this schema does not model (nested as in the body), or null: nothing authentic is dropped. */
  extraJson: null | string;
}

/** io.dytebridge.dyte.Meeting: The meeting an event is about. */
export interface Meeting {
  id: string;
  /** Missing in some recording events. */
  sessionId: null | string;
  title: null | string;
  /** Only for meetings created with the v1 API. */
  roomName: null | string;
  /** e.g. LIVE; a string, not an enum, so new values never break consumers. */
  status: null | string;
  /** Microseconds since the epoch. */
  createdAt: null | number;
  /** Microseconds since the epoch. */
  startedAt: null | number;
  /** Absent before the end; null in recording events while live. Microseconds since the epoch. */
  endedAt: null | number;
  organizedBy: null | Organizer;
}

/** io.dytebridge.dyte.MeetingChatSynced: meeting.chatSynced: the chat dump is downloadable. Flat: no meeting object. */
export interface MeetingChatSynced {
  event: string;
  sessionId: string;
  meetingId: string;
  chatDownloadUrl: string;
  /** Microseconds since the epoch. */
  chatDownloadUrlExpiry: null | number;
  organizedBy: null | Organizer;
  /** RTK only. */
  title: null | string;
  /** RTK only. Microseconds since the epoch. */
  createdAt: null | number;
  /** RTK only. Microseconds since the epoch. */
  startedAt: null | number;
  /** RTK only. Microseconds since the epoch. */
  endedAt: null | number;
  /** Microseconds since the epoch. */
  delivery: Delivery;
  /** JSON object of the fields of the body this schema does not model (nested as in the body), or null: nothing authentic is dropped. */
  extraJson: null | string;
}

/** io.dytebridge.dyte.MeetingEnded: meeting.ended: the host ended the meeting or all participants left. */
export interface MeetingEnded {
  event: string;
  /** Microseconds since the epoch. */
  meeting: Meeting;
  /** HOST_ENDED_MEETING or ALL_PARTICIPANTS_LEFT. */
  reason: null | string;
  /** Microseconds since the epoch. */
  delivery: Delivery;
  /** JSON object of the fields of the body this schema does not model (nested as in the body), or null: nothing authentic is dropped. */
  extraJson: null | string;
}

/** io.dytebridge.dyte.MeetingParticipantJoined: meeting.participantJoined. */
export interface MeetingParticipantJoined {
  event: string;
  /** Microseconds since the epoch. */
  meeting: Meeting;
  /** Microseconds since the epoch. */
  participant: Participant;
  /** Microseconds since the epoch. */
  delivery: Delivery;
  /** JSON object of the fields of the body this schema does not model (nested as in the body), or null: nothing authentic is dropped. */
  extraJson: null | string;
}

/** io.dytebridge.dyte.MeetingParticipantLeft: meeting.participantLeft. */
export interface MeetingParticipantLeft {
  event: string;
  /** Microseconds since the epoch. */
  meeting: Meeting;
  /** Microseconds since the epoch. */
  participant: Participant;
  /** Microseconds since the epoch. */
  delivery: Delivery;
  /** JSON object of the fields of the body this schema does not model (nested as in the body), or null: nothing authentic is dropped. */
  extraJson: null | string;
}

/** io.dytebridge.dyte.MeetingStarted: meeting.started: the first participant joined. */
export interface MeetingStarted {
  event: string;
  /** Microseconds since the epoch. */
  meeting: Meeting;
  /** Microseconds since the epoch. */
  delivery: Delivery;
  /** JSON object of the fields of the body this schema does not model (nested as in the body), or null: nothing authentic is dropped. */
  extraJson: null | string;
}

/** io.dytebridge.dyte.MeetingSummary: meeting.summary: the summary is downloadable. Newer shape has meeting{}, an older one was flat (meetingId, sessionId). */
export interface MeetingSummary {
  event: string;
  /** Microseconds since the epoch. */
  meeting: null | Meeting;
  /** Older flat shape. */
  meetingId: null | string;
  /** Older flat shape. */
  sessionId: null | string;
  summaryDownloadUrl: string;
  /** Microseconds since the epoch. */
  summaryDownloadUrlExpiry: null | number;
  /** Microseconds since the epoch. */
  delivery: Delivery;
  /** JSON object of the fields of the body this schema does not model (nested as in the body), or null: nothing authentic is dropped. */
  extraJson: null | string;
}

/** io.dytebridge.dyte.MeetingSummaryText: The text of an archived meeting summary, on the transcript topic, keyed by session id. Bounded in size: a longer summary is cut at a character boundary (truncated true) and `location` points at the whole file. One per artifact, line 1: skip duplicates by (artifact.jobId, line). */
export interface MeetingSummaryText {
  /** The archived summary file. */
  artifact: ArtifactRef;
  /** Always 1: a summary is one record. */
  line: number;
  /** The summary (plain text or markdown), at most STREAM_SUMMARY_MAX_BYTES of UTF-8. */
  text: string;
  /** True when the file is longer than the text carried. */
  truncated: boolean;
  /** Size of the whole file. */
  bytes: number;
  /** Hex SHA-256 of the whole file. */
  sha256: string;
  /** Where the whole file is archived: file:///... or s3://bucket/key. */
  location: string;
}

/** io.dytebridge.dyte.MeetingTranscript: meeting.transcript: the transcript is downloadable. */
export interface MeetingTranscript {
  event: string;
  /** Microseconds since the epoch. */
  meeting: Meeting;
  transcriptDownloadUrl: string;
  /** Microseconds since the epoch. */
  transcriptDownloadUrlExpiry: null | number;
  /** Microseconds since the epoch. */
  delivery: Delivery;
  /** JSON object of the fields of the body this schema does not model (nested as in the body), or null: nothing authentic is dropped. */
  extraJson: null | string;
}

/** io.dytebridge.dyte.Organizer: The organization that owns a meeting (organizedBy). */
export interface Organizer {
  id: null | string;
  name: null | string;
}

/** io.dytebridge.dyte.ParkedRecord: A BullMQ job of the parked queue: a Kafka record that is authentic but cannot become a download job, kept with its reason for an operator. */
export interface ParkedRecord {
  /** The topic the record was read from. */
  topic: string;
  partition: number;
  /** The record's offset, a decimal string as Kafka clients give it. */
  offset: string;
  /** Where the record is and why it cannot become a job. */
  reason: string;
}

/** io.dytebridge.dyte.Participant: A participant of a meeting. peerId changes when the participant rejoins. */
export interface Participant {
  peerId: null | string;
  userDisplayName: null | string;
  customParticipantId: null | string;
  /** Deprecated by Dyte in favour of customParticipantId; may be absent. */
  clientSpecificId: null | string;
  /** Microseconds since the epoch. */
  joinedAt: null | number;
  /** Microseconds since the epoch. */
  leftAt: null | number;
}

/** io.dytebridge.dyte.RawEvent: An authentic webhook that no typed schema fits: an event type the fleet does not know yet, or a known type whose body breaks its schema. Kept whole (secrets removed) so nothing authentic is lost. See docs/adr/0002. */
export interface RawEvent {
  event: string;
  /** UNKNOWN_EVENT or SCHEMA_MISMATCH. */
  reason: string;
  /** For SCHEMA_MISMATCH: each field and the rule it broke. */
  problems: string[];
  /** The webhook body as received, parsed and re-serialized with secrets (streamKey) removed. */
  json: string;
  /** Microseconds since the epoch. */
  delivery: Delivery;
}

/** io.dytebridge.dyte.Recording: A recording; which fields are present depends on its status. */
export interface Recording {
  /** Absent in old v1 payloads. */
  id: null | string;
  recordingId: null | string;
  meetingId: null | string;
  organizationId: null | string;
  /** The session id. */
  roomUUID: null | string;
  /** INVOKED, RECORDING, UPLOADING, UPLOADED, ERRORED (PAUSED exists in the REST API). */
  status: string;
  outputFileName: null | string;
  /** Microseconds since the epoch. */
  startedTime: null | number;
  /** Microseconds since the epoch. */
  stoppedTime: null | number;
  /** A number in Dyte's docs, a string in RTK's: kept as sent. */
  fileSize: null | number | string;
  /** Seconds (RTK). */
  recordingDuration: null | number;
  /** On UPLOADED: presigned link to the recording. */
  downloadUrl: null | string;
  /** On UPLOADED, when audio is configured. */
  audioDownloadUrl: null | string;
  /** Microseconds since the epoch. */
  downloadUrlExpiry: null | number;
}

/** io.dytebridge.dyte.RecordingStatusUpdate: recording.statusUpdate. */
export interface RecordingStatusUpdate {
  event: string;
  /** Microseconds since the epoch. */
  recording: Recording;
  /** Microseconds since the epoch. */
  meeting: null | Meeting;
  /** Microseconds since the epoch. */
  delivery: Delivery;
  /** JSON object of the fields of the body this schema does not model (nested as in the body), or null: nothing authentic is dropped. */
  extraJson: null | string;
}

/** io.dytebridge.dyte.SessionArchivedCopy: Where an artifact of a session is archived (the first ArtifactArchived reported for it). */
export interface SessionArchivedCopy {
  /** file:///... or s3://bucket/key. */
  location: string;
  bytes: number;
  /** Hex SHA-256 of the stored bytes. */
  sha256: string;
  contentType: null | string;
  /** Microseconds since the epoch. */
  archivedAt: number;
}

/** io.dytebridge.dyte.SessionArtifact: One artifact of a session in the ledger: announced by a webhook, then archived or failed. */
export interface SessionArtifact {
  /** The artifact's download job id (kind + session or recording id). */
  jobId: string;
  /** chat, transcript, summary, recording or recording_audio. */
  kind: string;
  recordingId: null | string;
  /** pending (announced, no outcome yet), archived, or failed; a string, not an enum, so new values never break consumers. */
  state: string;
  /** When the first webhook announcing it reached the ingress; null when only its outcome was seen. Microseconds since the epoch. */
  announcedAt: null | number;
  /** The latest link expiry announced. Microseconds since the epoch. */
  expiresAt: null | number;
  /** Microseconds since the epoch. */
  archived: null | SessionArchivedCopy;
  /** The latest failure reported, kept after a later success. Microseconds since the epoch. */
  failure: null | SessionArtifactFailure;
}

/** io.dytebridge.dyte.SessionArtifactFailure: Why an artifact of a session could not be archived (the latest ArtifactFailed reported for it). */
export interface SessionArtifactFailure {
  /** EXPIRED, HTTP_<status>, TOO_LARGE, NOT_ALLOWED, ... as on the archive topic. */
  reason: string;
  /** The failure's message. */
  detail: string;
  /** Microseconds since the epoch. */
  failedAt: number;
}

/** io.dytebridge.dyte.SessionState: What the fleet knows of one meeting session, on the compacted sessions topic: the latest record of a key is the whole state of that session. */
export interface SessionState {
  /** The record's key: the session id, or _no-session:<meetingId> for artifacts whose events named no session. */
  ledgerKey: string;
  /** Null for the _no-session:<meetingId> placeholder. */
  sessionId: null | string;
  meetingId: string;
  organizationId: null | string;
  organizationName: null | string;
  title: null | string;
  /** From meeting.started; null until it is seen. Microseconds since the epoch. */
  startedAt: null | number;
  /** From meeting.ended; null until it is seen. Microseconds since the epoch. */
  endedAt: null | number;
  /** Every artifact of the session the fleet heard of, by job id. Microseconds since the epoch. */
  artifacts: SessionArtifact[];
  /** The latest time among the facts folded in (not when it was published): the same facts always give the same record. Microseconds since the epoch. */
  updatedAt: number;
}

/** io.dytebridge.dyte.StreamProgress: How far a download job has published its archived file's lines on Kafka: saved in the job after every acknowledged batch, so a restart continues after `line`. */
export interface StreamProgress {
  /** Every line up to this one (inclusive) is published or rejected. */
  line: number;
  /** Records published so far. */
  records: number;
  /** Rows rejected so far (each logged with its line and reason). */
  rejected: number;
}

/** io.dytebridge.dyte.TranscriptSegment: One line of an archived transcript (Dyte's CSV: Timestamp, Participant ID, Participant Name, Transcript; or JSON), on the transcript topic, keyed by session id. The same line of the same artifact always gives the same record: skip duplicates by (artifact.jobId, line), also in the record-id header. */
export interface TranscriptSegment {
  /** The archived transcript file the line comes from. */
  artifact: ArtifactRef;
  /** Where in the file: CSV, the line the row ends on (the header is line 1); JSON, the segment's position in its array, from 1. */
  line: number;
  /** csv or json: the file's format, read from its content. */
  format: string;
  /** The line's timestamp exactly as the file gives it (an offset into the meeting or a time). */
  timestamp: string;
  participantId: null | string;
  participantName: null | string;
  /** What was said. */
  text: string;
  /** Columns or fields the schema does not model, as a JSON object; null when none. */
  extraJson: null | string;
}
