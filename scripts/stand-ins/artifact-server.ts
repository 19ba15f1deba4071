import { createHash, createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How a served file behaves. */
export interface FileSpec {
  size: number;
  contentType?: string;
  /** Answer 503 to the first N requests. */
  failFirst?: number;
  /** Cut the connection after this many body bytes, for the first `resetTimes` requests. */
  resetAfterBytes?: number;
  resetTimes?: number;
  /** Announce the full Content-Length but end the body early (truncation), on every request. */
  truncateAt?: number;
  /** Throttle the body to about this many bytes per second. */
  bytesPerSecond?: number;
  /** Answer with this status and no body. */
  status?: number;
  /** Redirect (302) to this URL. */
  redirectTo?: string;
  /** Serve these bytes (then `size` is their length) instead of deterministic pseudo-random ones. */
  content?: Buffer;
}

/** A request the server saw for a file. */
export interface SeenRequest {
  range: string | undefined;
  status: number;
  /** Body bytes written for a 200 or 206, so far: what a download really took from the server. */
  bytes?: number;
  /** A 200 or 206 whose body was sent to its end (false while sending, or when cut). */
  complete?: boolean;
}

const BLOCK = 64 * 1024;

/** The deterministic bytes of a file: a pseudo-random 64 KiB block per file, varied per block index. */
function blockOf(name: string): Buffer {
  const block = Buffer.alloc(BLOCK);
  let seed = createHash('sha256').update(name).digest();
  for (let i = 0; i < BLOCK; i += 32) {
    seed = createHash('sha256').update(seed).digest();
    seed.copy(block, i);
  }
  return block;
}

function chunkAt(block: Buffer, start: number, length: number): Buffer {
  const chunk = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; ) {
    const position = start + i;
    const within = position % BLOCK;
    const n = Math.min(length - i, BLOCK - within);
    block.copy(chunk, i, within, within + n);
    const salt = Math.floor(position / BLOCK) & 0xff;
    if (salt !== 0) for (let j = i; j < i + n; j++) chunk[j] = (chunk[j] as number) ^ salt;
    i += n;
  }
  return chunk;
}

/**
 * The tests' own artifact server: files behind signed, expiring URLs (403 once expired, like a presigned S3
 * link), with Range and ETag support, and ways to misbehave: slow, flaky (503, connection resets), truncating,
 * missing (404), redirecting.
 */
export class ArtifactServer {
  private readonly server: Server;
  private readonly files = new Map<string, FileSpec & { block: Buffer }>();
  private readonly seen = new Map<string, SeenRequest[]>();
  private readonly secret = 'artifact-server-secret';
  /** While set, every file request is answered with this status (an outage of the artifact store). */
  outageStatus: number | undefined;

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** Listens on 127.0.0.1, on `port` (any free one by default). */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => this.server.once('error', reject).listen(port, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Serves `name` as `spec` says. */
  add(name: string, spec: FileSpec): void {
    this.files.set(name, { ...spec, ...(spec.content ? { size: spec.content.length } : {}), block: blockOf(name) });
  }

  /** Serves `content` as `name` (a real chat or transcript file, say). */
  addContent(name: string, content: Buffer, contentType?: string): void {
    this.add(name, { size: content.length, content, ...(contentType ? { contentType } : {}) });
  }

  /** `length` bytes of a file's content from `position`. */
  private bytesOf(file: FileSpec & { block: Buffer }, position: number, length: number): Buffer {
    return file.content ? file.content.subarray(position, position + length) : chunkAt(file.block, position, length);
  }

  /** A signed link to `name` that expires `expiresInMs` from now. */
  url(name: string, expiresInMs = 3_600_000): { url: string; expiresAt: Date } {
    const expires = Date.now() + expiresInMs;
    const signature = createHmac('sha256', this.secret).update(`${name}:${expires}`).digest('hex');
    return { url: `${this.origin}/files/${name}?X-Amz-Expires=${expires}&X-Amz-Signature=${signature}`, expiresAt: new Date(expires) };
  }

  /** The SHA-256 of a file's full content, computed the same way it is served. */
  sha256(name: string): string {
    const file = this.files.get(name);
    if (!file) throw new Error(`no file ${name}`);
    const hash = createHash('sha256');
    for (let position = 0; position < file.size; position += 1024 * 1024) {
      hash.update(this.bytesOf(file, position, Math.min(1024 * 1024, file.size - position)));
    }
    return hash.digest('hex');
  }

  /** The requests the server answered for `name`. */
  requests(name: string): SeenRequest[] {
    return this.seen.get(name) ?? [];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const name = decodeURIComponent(url.pathname.replace(/^\/files\//, ''));
    const file = this.files.get(name);
    const seen = this.seen.get(name) ?? [];
    this.seen.set(name, seen);
    const answer = (status: number, body = '') => {
      seen.push({ range: req.headers.range, status });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(body);
    };
    const expires = Number(url.searchParams.get('X-Amz-Expires'));
    const signature = createHmac('sha256', this.secret).update(`${name}:${expires}`).digest('hex');
    if (url.searchParams.get('X-Amz-Signature') !== signature) return answer(403, 'SignatureDoesNotMatch');
    if (Date.now() > expires) return answer(403, 'Request has expired');
    if (!file) return answer(404, 'NoSuchKey');
    if (this.outageStatus) return answer(this.outageStatus, 'ServiceUnavailable');
    if (file.status) return answer(file.status);
    if (file.redirectTo) {
      seen.push({ range: req.headers.range, status: 302 });
      res.writeHead(302, { location: file.redirectTo }).end();
      return;
    }
    if ((file.failFirst ?? 0) > seen.length) return answer(503, 'SlowDown');

    const etag = `"${name}-${file.size}"`;
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    if (range && (!ifRange || ifRange === etag)) start = Number(range[1]);
    if (start >= file.size && file.size > 0) return answer(416);
    const status = start > 0 ? 206 : 200;
    const served: SeenRequest = { range: req.headers.range, status, bytes: 0, complete: false };
    seen.push(served);
    const headers: Record<string, string | number> = {
      'content-type': file.contentType ?? 'application/octet-stream',
      'content-length': file.size - start,
      etag,
      'accept-ranges': 'bytes',
    };
    if (status === 206) headers['content-range'] = `bytes ${start}-${file.size - 1}/${file.size}`;
    res.writeHead(status, headers);

    const resetting = file.resetAfterBytes !== undefined && seen.filter((s) => s.status === 200 || s.status === 206).length <= (file.resetTimes ?? 1);
    const stopAt = resetting ? Math.min(file.size, start + (file.resetAfterBytes ?? 0)) : Math.min(file.size, file.truncateAt ?? file.size);
    const chunkSize = 64 * 1024;
    const started = Date.now();
    let sent = 0;
    for (let position = start; position < stopAt; position += chunkSize) {
      if (res.destroyed) return;
      const chunk = this.bytesOf(file, position, Math.min(chunkSize, stopAt - position));
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
      sent += chunk.length;
      served.bytes = sent;
      if (file.bytesPerSecond) {
        const ahead = (sent / file.bytesPerSecond) * 1000 - (Date.now() - started);
        if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
      }
    }
    if (stopAt < file.size) res.socket?.destroy();
    else res.end(() => (served.complete = !res.destroyed));
  }
}
