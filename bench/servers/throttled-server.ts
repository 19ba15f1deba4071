import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// An artifact store with one shared uplink of BYTES_PER_SECOND: every response draws from the same budget, so
// downloads in parallel share it. Links look like presigned ones: /files/<name>?size=<bytes>&expires=<epoch ms>,
// answered 403 once expired (a download under way is not cut). `hold=<token>` holds the answer until a POST to
// /release/<token> (the deadlines bench keeps the downloads busy with such links while it adds a burst).
// Prints {"msg":"listening","port":N}.
const bytesPerSecond = Number(process.env.BYTES_PER_SECOND ?? 16 * 1024 * 1024);
const CHUNK = 64 * 1024;
const block = randomBytes(CHUNK);

// A token bucket refilled every 10 ms; writers wait their turn in arrival order.
let tokens = 0;
const waiting: { bytes: number; go: () => void }[] = [];
setInterval(() => {
  tokens = Math.min(tokens + bytesPerSecond / 100, bytesPerSecond / 10);
  while (waiting.length > 0 && tokens >= (waiting[0]?.bytes ?? 0)) {
    const next = waiting.shift();
    if (!next) break;
    tokens -= next.bytes;
    next.go();
  }
}, 10).unref();
const take = (bytes: number) => new Promise<void>((go) => waiting.push({ bytes, go }));

async function send(res: ServerResponse, start: number, size: number): Promise<void> {
  for (let position = start; position < size && !res.destroyed; position += CHUNK) {
    const n = Math.min(CHUNK, size - position);
    await take(n);
    if (!res.write(block.subarray(0, n))) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

// Held answers by token; a release that comes first is remembered, so the answer is not held at all.
const held = new Map<string, (() => void)[]>();
const released = new Set<string>();

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const release = /^\/release\/([\w-]+)$/.exec(url.pathname);
  if (req.method === 'POST' && release?.[1]) {
    released.add(release[1]);
    for (const go of held.get(release[1]) ?? []) go();
    held.delete(release[1]);
    return void res.writeHead(204).end();
  }
  const hold = url.searchParams.get('hold');
  if (hold && !released.has(hold)) await new Promise<void>((resolve) => held.set(hold, [...(held.get(hold) ?? []), resolve]));
  const size = Number(url.searchParams.get('size'));
  const expires = Number(url.searchParams.get('expires'));
  if (!Number.isFinite(size) || !Number.isFinite(expires)) return void res.writeHead(400).end();
  if (Date.now() > expires) return void res.writeHead(403, { 'content-type': 'text/plain' }).end('Request has expired');
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  const headers: Record<string, string | number> = { 'content-type': 'video/mp4', 'content-length': size - start, etag: `"${url.pathname}"`, 'accept-ranges': 'bytes' };
  if (start > 0) headers['content-range'] = `bytes ${start}-${size - 1}/${size}`;
  res.writeHead(start > 0 ? 206 : 200, headers);
  void send(res, start, size);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port: (server.address() as AddressInfo).port })));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
