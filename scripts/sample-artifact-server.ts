// The local stand-in for Dyte's artifact store that `make run` starts, so a newcomer's sample events get a file
// archived: `dyte-bridge send meeting-chatSynced --local-artifacts` points the sample's link here.
// Serves chat.csv (Dyte's CSV), chat.json (RealtimeKit's JSON), transcript.csv, summary.txt, recording.mp4 and
// recording-audio.m4a on 127.0.0.1 only, with Content-Length, ETag and Range, like a presigned S3 GET. The chat,
// transcript and summary are the realistic ones of samples/artifacts/, so their records show on dyte.chat and
// dyte.transcript. Development only: never part of the fleet.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { sampleArtifact as sample } from './sample-artifacts.js';

const port = Number(process.env.SAMPLE_ARTIFACTS_PORT ?? 8090);

// Not a playable video: 2 MiB of deterministic bytes, enough to show a download with progress.
const media = (seed: string, size: number) => {
  const out = Buffer.alloc(size);
  let block = createHash('sha256').update(seed).digest();
  for (let i = 0; i < size; i += 32) {
    block = createHash('sha256').update(block).digest();
    block.copy(out, i);
  }
  return out;
};

const FILES: Record<string, { type: string; body: Buffer }> = {
  '/chat.csv': { type: 'text/csv', body: sample('chat.csv') },
  '/chat.json': { type: 'application/json', body: sample('chat-rtk.json') },
  '/transcript.csv': { type: 'text/csv', body: sample('transcript.csv') },
  '/summary.txt': { type: 'text/plain', body: sample('summary.md') },
  '/recording.mp4': { type: 'video/mp4', body: media('recording', 2 * 1024 * 1024) },
  '/recording-audio.m4a': { type: 'audio/mp4', body: media('audio', 512 * 1024) },
};

const server = createServer((req, res) => {
  const file = FILES[new URL(req.url ?? '/', 'http://x').pathname];
  if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('NoSuchKey');
    return;
  }
  const etag = `"${createHash('md5').update(file.body).digest('hex')}"`;
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = range && (!req.headers['if-range'] || req.headers['if-range'] === etag) ? Number(range[1]) : 0;
  if (start >= file.body.length && start > 0) {
    res.writeHead(416, { 'content-range': `bytes */${file.body.length}` }).end();
    return;
  }
  const body = file.body.subarray(start);
  const headers: Record<string, string | number> = { 'content-type': file.type, 'content-length': body.length, etag, 'accept-ranges': 'bytes' };
  if (start > 0) headers['content-range'] = `bytes ${start}-${file.body.length - 1}/${file.body.length}`;
  res.writeHead(start > 0 ? 206 : 200, headers).end(req.method === 'HEAD' ? undefined : body);
  console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', service: 'samples', msg: 'served', path: req.url, status: start > 0 ? 206 : 200, bytes: body.length }));
});
server.listen(port, '127.0.0.1', () => {
  console.log(JSON.stringify({ time: new Date().toISOString(), level: 'info', service: 'samples', msg: 'listening', url: `http://127.0.0.1:${port}`, files: Object.keys(FILES) }));
});
const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
