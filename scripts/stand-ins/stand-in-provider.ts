import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ArtifactServer } from './artifact-server.js';

/**
 * How answers spell their fields: `documented` as RealtimeKit's docs show them (snake_case, but the summary's
 * `summaryDownloadUrl` and the `sessionId` of transcript and summary in camelCase), or every field `snake` or `camel`.
 */
export type Casing = 'documented' | 'snake' | 'camel';

/** Which API a request went to. */
export type StandInApi = 'realtimekit' | 'dyte';

/** An artifact file the stand-in holds: its size (the bytes are the artifact server's deterministic ones), or its content. */
export interface StandInFile {
  size: number;
  contentType?: string;
  /** Serve these bytes (a real chat or transcript, say) instead of deterministic ones; `size` is then their length. */
  content?: Buffer;
}

/** A recording of a session. */
export interface StandInRecordingSpec {
  id?: string;
  size: number;
  /** Also an audio-only file of this size. */
  audioSize?: number;
  /** UPLOADED unless set; any other status has no link. */
  status?: string;
}

/** A session to add; every field has a default. */
export interface StandInSessionSpec {
  id?: string;
  meetingId?: string;
  title?: string;
  /** One hour ago unless set. */
  startedAt?: Date;
  /** `null` for a live session; half an hour ago unless set. Retention runs from here. */
  endedAt?: Date | null;
  chat?: StandInFile;
  transcript?: StandInFile;
  summary?: StandInFile;
  recordings?: StandInRecordingSpec[];
}

/** A recording as the stand-in holds it; `video`/`audio` name files on the artifact server. */
export interface StandInRecording {
  id: string;
  status: string;
  size: number;
  video?: string;
  audio?: string;
  invokedAt: Date;
}

/** A session as the stand-in holds it; `files` name the artifact server's files. */
export interface StandInSession {
  id: string;
  meetingId: string;
  title: string;
  startedAt: Date;
  endedAt: Date | null;
  files: { chat?: string; transcript?: string; summary?: string };
  recordings: StandInRecording[];
}

/** The stand-in's own rate limits (RealtimeKit's by default): beyond them it answers 429 with Retry-After. */
export interface StandInLimits {
  requests: number;
  windowMs: number;
  recordingsRequests: number;
  recordingsWindowMs: number;
}

/** How the stand-in behaves; every field has a default. */
export interface StandInOptions {
  accountId?: string;
  appId?: string;
  apiToken?: string;
  organizationId?: string;
  apiKey?: string;
  casing?: Casing;
  /** How long each link it hands out stays valid (1 hour unless set). */
  linkTtlMs?: number;
  /** How long after its end a session's artifacts are held (7 days unless set); then 404. */
  retentionMs?: number;
  limits?: Partial<StandInLimits>;
}

/** A request the stand-in answered. */
export interface SeenApiRequest {
  at: number;
  api: StandInApi | 'unknown';
  method: string;
  /** The path under the API's prefix, with its query. */
  path: string;
  status: number;
  /** The Retry-After of a 429, in seconds. */
  retryAfterSeconds?: number;
}

type Obj = Record<string, unknown>;
const DAY = 24 * 3600_000;

/**
 * A local server that behaves like RealtimeKit's REST API (`/client/v4/accounts/<account>/realtime/kit/<app>/...`,
 * Bearer token) and Dyte's v2 API (`/v2/...`, HTTP Basic organizationId:apiKey) at once, for tests and `make run`:
 * sessions with pagination and time filters, chat/transcript/summary/recording answers with presigned links to its
 * ArtifactServer that really expire, both field casings, 401/403 on wrong credentials, 429 with Retry-After beyond
 * its limits, 404 after retention. A test helper: never part of the fleet.
 */
export class StandInProvider {
  readonly accountId: string;
  readonly appId: string;
  readonly apiToken: string;
  readonly organizationId: string;
  readonly apiKey: string;
  /** Serves the artifacts' bytes behind expiring signed links. */
  readonly artifacts = new ArtifactServer();
  /** Every request answered, in order. */
  readonly requests: SeenApiRequest[] = [];
  casing: Casing;
  linkTtlMs: number;
  retentionMs: number;
  limits: StandInLimits;
  /** Delay before each answer (to make a client time out). */
  latencyMs = 0;
  /** While set, every authenticated request is answered with this status (an outage of the API). */
  outageStatus: number | undefined;

  private readonly server: Server;
  private readonly sessions = new Map<string, StandInSession>();
  private readonly windows = new Map<string, number[]>();

  constructor(options: StandInOptions = {}) {
    this.accountId = options.accountId ?? randomBytes(16).toString('hex');
    this.appId = options.appId ?? randomUUID();
    this.apiToken = options.apiToken ?? randomBytes(20).toString('base64url');
    this.organizationId = options.organizationId ?? randomUUID();
    this.apiKey = options.apiKey ?? randomBytes(16).toString('hex');
    this.casing = options.casing ?? 'documented';
    this.linkTtlMs = options.linkTtlMs ?? 3600_000;
    this.retentionMs = options.retentionMs ?? 7 * DAY;
    this.limits = { requests: 250, windowMs: 10_000, recordingsRequests: 1000, recordingsWindowMs: 60_000, ...options.limits };
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Listens on 127.0.0.1 (any free ports unless given), the API and its artifact server. */
  async start(port = 0, artifactsPort = 0): Promise<this> {
    await this.artifacts.start(artifactsPort);
    await new Promise<void>((resolve, reject) => this.server.once('error', reject).listen(port, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.artifacts.close();
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** RTK_API_BASE for a client of this stand-in. */
  get realtimeKitBase(): string {
    return `${this.origin}/client/v4`;
  }

  /** DYTE_API_BASE for a client of this stand-in. */
  get dyteBase(): string {
    return `${this.origin}/v2`;
  }

  /** The variables that point a service (or loadConfig(providerSettings())) at this stand-in as `api`. */
  env(api: StandInApi): Record<string, string> {
    return api === 'realtimekit'
      ? { PROVIDER: 'realtimekit', RTK_API_BASE: this.realtimeKitBase, RTK_ACCOUNT_ID: this.accountId, RTK_APP_ID: this.appId, RTK_API_TOKEN: this.apiToken }
      : { PROVIDER: 'dyte', DYTE_API_BASE: this.dyteBase, DYTE_ORG_ID: this.organizationId, DYTE_API_KEY: this.apiKey };
  }

  /** Adds a session with its artifacts; returns it with every id and file name filled in. */
  addSession(spec: StandInSessionSpec = {}): StandInSession {
    const id = spec.id ?? randomUUID();
    const startedAt = spec.startedAt ?? new Date(Date.now() - 3600_000);
    const file = (name: string, artifact: StandInFile | undefined) => {
      if (!artifact) return undefined;
      const contentType = artifact.contentType ?? 'application/octet-stream';
      if (artifact.content) this.artifacts.addContent(`${id}/${name}`, artifact.content, contentType);
      else this.artifacts.add(`${id}/${name}`, { size: artifact.size, contentType });
      return `${id}/${name}`;
    };
    const session: StandInSession = {
      id,
      meetingId: spec.meetingId ?? randomUUID(),
      title: spec.title ?? `Stand-in meeting ${this.sessions.size + 1}`,
      startedAt,
      endedAt: spec.endedAt === undefined ? new Date(startedAt.getTime() + 1800_000) : spec.endedAt,
      files: { chat: file('chat.csv', spec.chat), transcript: file('transcript.csv', spec.transcript), summary: file('summary.txt', spec.summary) },
      recordings: (spec.recordings ?? []).map((r) => {
        const recordingId = r.id ?? randomUUID();
        const status = r.status ?? 'UPLOADED';
        const uploaded = status === 'UPLOADED';
        return {
          id: recordingId,
          status,
          size: r.size,
          video: uploaded ? file(`recording-${recordingId}.mp4`, { size: r.size, contentType: 'video/mp4' }) : undefined,
          audio: uploaded && r.audioSize !== undefined ? file(`recording-${recordingId}-audio.m4a`, { size: r.audioSize, contentType: 'audio/mp4' }) : undefined,
          invokedAt: startedAt,
        };
      }),
    };
    this.sessions.set(id, session);
    return session;
  }

  /**
   * Ends a live session (added with `endedAt: null`) at `at`: from then on it is listed as ENDED, which is when a
   * reconciler may look at its files. Throws for a session the stand-in does not hold.
   */
  endSession(id: string, at = new Date()): StandInSession {
    const session = this.sessions.get(id);
    if (!session) throw new Error(`the stand-in holds no session ${id}`);
    session.endedAt = at;
    return session;
  }

  /** The SHA-256 of an artifact file's bytes (a name from `StandInSession.files` or a recording). */
  sha256(file: string): string {
    return this.artifacts.sha256(file);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const rtk = /^\/client\/v4\/accounts\/([^/]+)\/realtime\/kit\/([^/]+)(\/.*)$/.exec(url.pathname);
    const dyte = /^\/v2(\/.*)$/.exec(url.pathname);
    const api: StandInApi | 'unknown' = rtk ? 'realtimekit' : dyte ? 'dyte' : 'unknown';
    const path = (rtk?.[3] ?? dyte?.[1] ?? url.pathname).replace(/\/+$/, '');
    const answer = (status: number, body: Obj, headers: Record<string, string> = {}) => {
      const retryAfter = headers['retry-after'];
      this.requests.push({
        at: Date.now(),
        api,
        method: req.method ?? 'GET',
        path: path + url.search,
        status,
        ...(retryAfter ? { retryAfterSeconds: Number(retryAfter) } : {}),
      });
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    const error = (status: number, message: string, headers: Record<string, string> = {}) =>
      answer(status, api === 'realtimekit' ? { success: false, errors: [{ code: status, message }] } : { success: false, error: { code: status, message } }, headers);

    if (api === 'unknown') return error(404, 'No route');
    const auth = req.headers.authorization ?? '';
    if (api === 'realtimekit') {
      const token = /^Bearer (.+)$/.exec(auth)?.[1];
      if (!token) return error(401, 'Authentication error: no API token');
      if (token !== this.apiToken) return error(403, 'Authentication error: invalid API token');
      if (rtk?.[1] !== this.accountId || decodeURIComponent(rtk[2] ?? '') !== this.appId) return error(403, 'The token may not read this account or app');
    } else {
      const basic = /^Basic (.+)$/.exec(auth)?.[1];
      const expected = Buffer.from(`${this.organizationId}:${this.apiKey}`).toString('base64');
      if (basic !== expected) return error(401, 'Unauthorized');
    }
    const throttled = this.throttle(api, path);
    if (throttled !== undefined) return error(429, 'Rate limit exceeded', { 'retry-after': String(throttled) });
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    if (res.destroyed) return;
    if (this.outageStatus) return error(this.outageStatus, 'Service unavailable');
    if (req.method !== 'GET') return error(405, 'Only GET is served by the stand-in');

    const style = api === 'dyte' ? 'space' : 'iso';
    const query = url.searchParams;
    const session = /^\/sessions\/([^/]+)(?:\/(chat|transcript|summary))?$/.exec(path);
    const recording = /^\/recordings\/([^/]+)$/.exec(path);
    try {
      if (path === '/sessions') return answer(200, this.cased(this.listSessions(query, api, style)));
      if (path === '/recordings') return answer(200, this.cased(this.listRecordings(query, style)));
      if (session) {
        const found = this.sessions.get(decodeURIComponent(session[1] ?? ''));
        if (!found) return error(404, 'Session not found');
        if (!session[2]) return answer(200, this.cased({ success: true, data: { session: this.sessionJson(found, api, style) } }));
        if (!this.held(found)) return error(404, `The ${session[2]} of this session is past its retention`);
        return this.link(found, session[2] as 'chat' | 'transcript' | 'summary', style, answer, error);
      }
      if (recording) {
        const id = decodeURIComponent(recording[1] ?? '');
        const owner = [...this.sessions.values()].find((s) => s.recordings.some((r) => r.id === id));
        const found = owner?.recordings.find((r) => r.id === id);
        if (!owner || !found || !this.held(owner)) return error(404, 'Recording not found');
        return answer(200, this.cased({ success: true, data: this.recordingJson(owner, found, style, false) }));
      }
      return error(404, 'No route');
    } catch (problem) {
      return error(400, (problem as Error).message);
    }
  }

  // Sliding windows per API and account; a refused request does not count.
  private throttle(api: StandInApi, path: string): number | undefined {
    const now = Date.now();
    const windows: [string, number, number][] = [[`${api}:all`, this.limits.requests, this.limits.windowMs]];
    if (path.startsWith('/recordings')) windows.push([`${api}:recordings`, this.limits.recordingsRequests, this.limits.recordingsWindowMs]);
    let retryAfterMs = 0;
    for (const [key, limit, windowMs] of windows) {
      const log = (this.windows.get(key) ?? []).filter((at) => at > now - windowMs);
      this.windows.set(key, log);
      if (log.length >= limit) retryAfterMs = Math.max(retryAfterMs, (log[log.length - limit] as number) + windowMs - now);
    }
    if (retryAfterMs > 0) return Math.max(1, Math.ceil(retryAfterMs / 1000));
    for (const [key] of windows) this.windows.get(key)?.push(now);
    return undefined;
  }

  private held(session: StandInSession): boolean {
    return Date.now() < (session.endedAt ?? session.startedAt).getTime() + this.retentionMs;
  }

  private listSessions(query: URLSearchParams, api: StandInApi, style: TimeStyle): Obj {
    const since = timeParam(query, 'start_time');
    const until = timeParam(query, 'end_time');
    const meeting = query.get('associated_id');
    const status = query.get('status');
    const all = [...this.sessions.values()]
      .filter((s) => (since === undefined || s.startedAt >= since) && (until === undefined || s.startedAt <= until))
      .filter((s) => !meeting || s.meetingId === meeting)
      .filter((s) => !status || (s.endedAt ? 'ENDED' : 'LIVE') === status)
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime() || a.id.localeCompare(b.id));
    const { items, paging } = paginate(all, query);
    return { success: true, data: { sessions: items.map((s) => this.sessionJson(s, api, style)) }, paging };
  }

  private listRecordings(query: URLSearchParams, style: TimeStyle): Obj {
    const since = timeParam(query, 'start_time');
    const until = timeParam(query, 'end_time');
    const meeting = query.get('meeting_id');
    const all = [...this.sessions.values()]
      .filter((s) => this.held(s) && (!meeting || s.meetingId === meeting))
      .flatMap((s) => s.recordings.map((r) => ({ s, r })))
      .filter(({ r }) => (since === undefined || r.invokedAt >= since) && (until === undefined || r.invokedAt <= until));
    const { items, paging } = paginate(all, query);
    return { success: true, data: items.map(({ s, r }) => this.recordingJson(s, r, style, true)), paging };
  }

  private sessionJson(session: StandInSession, api: StandInApi, style: TimeStyle): Obj {
    return {
      id: session.id,
      associated_id: session.meetingId,
      organization_id: api === 'realtimekit' ? this.appId : this.organizationId,
      meeting_display_name: session.title,
      type: 'meeting',
      status: session.endedAt ? 'ENDED' : 'LIVE',
      created_at: formatTime(session.startedAt, style),
      started_at: formatTime(session.startedAt, style),
      updated_at: formatTime(session.endedAt ?? session.startedAt, style),
      ...(session.endedAt ? { ended_at: formatTime(session.endedAt, style) } : {}),
    };
  }

  private recordingJson(session: StandInSession, recording: StandInRecording, style: TimeStyle, withMeeting: boolean): Obj {
    const video = recording.video ? this.artifacts.url(recording.video, this.linkTtlMs) : undefined;
    const audio = recording.audio ? this.artifacts.url(recording.audio, this.linkTtlMs) : undefined;
    return {
      id: recording.id,
      session_id: session.id,
      status: recording.status,
      download_url: video?.url ?? null,
      download_url_expiry: video ? formatTime(video.expiresAt, style) : null,
      audio_download_url: audio?.url ?? null,
      file_size: video ? recording.size : null,
      output_file_name: `${recording.id}.mp4`,
      invoked_time: formatTime(recording.invokedAt, style),
      started_time: formatTime(recording.invokedAt, style),
      stopped_time: session.endedAt ? formatTime(session.endedAt, style) : null,
      ...(withMeeting ? { meeting: { id: session.meetingId, title: session.title } } : {}),
    };
  }

  private link(
    session: StandInSession,
    kind: 'chat' | 'transcript' | 'summary',
    style: TimeStyle,
    answer: (status: number, body: Obj) => void,
    error: (status: number, message: string) => void,
  ): void {
    const file = session.files[kind];
    if (!file) return error(404, `This session has no ${kind}`);
    const { url, expiresAt } = this.artifacts.url(file, this.linkTtlMs);
    const expiry = formatTime(expiresAt, style);
    // As RealtimeKit documents them: chat and transcript links in snake_case, the summary's in camelCase.
    const data: Obj =
      kind === 'chat'
        ? { chat_download_url: url, chat_download_url_expiry: expiry }
        : kind === 'transcript'
          ? { sessionId: session.id, transcript_download_url: url, transcript_download_url_expiry: expiry }
          : { sessionId: session.id, summaryDownloadUrl: url, summaryDownloadUrlExpiry: expiry };
    answer(200, this.cased({ success: true, data }));
  }

  private cased(body: Obj): Obj {
    if (this.casing === 'documented') return body;
    const rename = this.casing === 'camel' ? toCamel : toSnake;
    return recase(body, rename) as Obj;
  }
}

type TimeStyle = 'iso' | 'space';

// RealtimeKit answers ISO 8601 with milliseconds; Dyte writes a space and microseconds (2022-12-13 07:08:39.051621Z).
function formatTime(date: Date, style: TimeStyle): string {
  const iso = date.toISOString();
  return style === 'iso' ? iso : iso.replace('T', ' ').replace('Z', '000Z');
}

function timeParam(query: URLSearchParams, name: string): Date | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) throw new Error(`${name} must be an ISO time`);
  return date;
}

function paginate<T>(all: T[], query: URLSearchParams): { items: T[]; paging: Obj } {
  const pageNo = Math.max(1, Number(query.get('page_no') ?? 1) || 1);
  const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 20) || 20));
  const start = (pageNo - 1) * perPage;
  const items = all.slice(start, start + perPage);
  return { items, paging: { total_count: all.length, start_offset: items.length > 0 ? start + 1 : 0, end_offset: start + items.length } };
}

const toCamel = (key: string) => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const toSnake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function recase(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => recase(item, rename));
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [rename(key), recase(inner, rename)]));
}
