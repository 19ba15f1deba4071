import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface StoredObject {
  body: Buffer;
  metadata: Record<string, string>;
}

/** A request the fake saw: method, path and query, and its If-None-Match header. */
export interface SeenS3Request {
  method: string;
  url: string;
  ifNoneMatch: string | undefined;
}

/**
 * A minimal in-memory S3 API (path style: PUT, HEAD, GET, multipart upload) that honours `If-None-Match: *` on PUT
 * and on CompleteMultipartUpload as AWS S3 does, unlike the local stack's S3Proxy. `raceOnWrite` plants an object
 * just before the next write to a key, as a concurrent writer would between the store's look and its upload.
 */
export class ConditionalS3 {
  readonly requests: SeenS3Request[] = [];
  private readonly server: Server;
  private readonly objects = new Map<string, StoredObject>();
  private readonly uploads = new Map<string, { metadata: Record<string, string>; parts: Map<number, Buffer> }>();
  private readonly races = new Map<string, StoredObject>();
  private nextUpload = 1;

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The object under `bucket/key`, if any. */
  object(path: string): StoredObject | undefined {
    return this.objects.get(path);
  }

  /** Just before the next PUT or multipart completion of `bucket/key`, another writer stores `body` there. */
  raceOnWrite(path: string, body: Buffer, metadata: Record<string, string>): void {
    this.races.set(path, { body, metadata });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://s3');
    const path = decodeURIComponent(url.pathname.slice(1));
    const ifNoneMatch = req.headers['if-none-match'] as string | undefined;
    this.requests.push({ method: req.method ?? '', url: `${url.pathname}${url.search}`, ifNoneMatch });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const metadata = Object.fromEntries(
      Object.entries(req.headers)
        .filter(([name]) => name.startsWith('x-amz-meta-'))
        .map(([name, value]) => [name.slice('x-amz-meta-'.length), String(value)]),
    );
    const xml = (status: number, text: string) => res.writeHead(status, { 'content-type': 'application/xml' }).end(`<?xml version="1.0" encoding="UTF-8"?>${text}`);
    /** Stores `object` unless If-None-Match: * finds one there; true when refused (answered 412). */
    const refusedWrite = (object: StoredObject): boolean => {
      const raced = this.races.get(path);
      if (raced) {
        this.races.delete(path);
        this.objects.set(path, raced);
      }
      if (ifNoneMatch === '*' && this.objects.has(path)) {
        xml(412, '<Error><Code>PreconditionFailed</Code><Message>At least one of the pre-conditions you specified did not hold</Message><Condition>If-None-Match</Condition></Error>');
        return true;
      }
      this.objects.set(path, object);
      return false;
    };
    const uploadId = url.searchParams.get('uploadId');
    const stored = this.objects.get(path);
    switch (req.method) {
      case 'HEAD':
      case 'GET':
        if (!stored) return void res.writeHead(404).end();
        res.writeHead(200, {
          'content-length': stored.body.length,
          etag: '"e"',
          ...Object.fromEntries(Object.entries(stored.metadata).map(([name, value]) => [`x-amz-meta-${name}`, value])),
        });
        return void res.end(req.method === 'GET' ? stored.body : undefined);
      case 'PUT':
        if (uploadId) {
          this.uploads.get(uploadId)?.parts.set(Number(url.searchParams.get('partNumber')), body);
          return void res.writeHead(200, { etag: `"part-${url.searchParams.get('partNumber')}"` }).end();
        }
        if (!refusedWrite({ body, metadata })) res.writeHead(200, { etag: '"put"' }).end();
        return;
      case 'POST':
        if (url.searchParams.has('uploads')) {
          const id = `upload-${this.nextUpload++}`;
          this.uploads.set(id, { metadata, parts: new Map() });
          return void xml(200, `<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>${path}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>`);
        }
        if (uploadId) {
          const upload = this.uploads.get(uploadId);
          if (!upload) return void xml(404, '<Error><Code>NoSuchUpload</Code></Error>');
          const whole = Buffer.concat([...upload.parts.entries()].sort(([a], [b]) => a - b).map(([, part]) => part));
          if (!refusedWrite({ body: whole, metadata: upload.metadata })) {
            xml(200, `<CompleteMultipartUploadResult><Key>${path}</Key><ETag>"m"</ETag></CompleteMultipartUploadResult>`);
          }
          return;
        }
        return void xml(400, '<Error><Code>InvalidRequest</Code></Error>');
      case 'DELETE':
        if (uploadId) this.uploads.delete(uploadId);
        return void res.writeHead(204).end();
      default:
        return void xml(405, '<Error><Code>MethodNotAllowed</Code></Error>');
    }
  }
}
