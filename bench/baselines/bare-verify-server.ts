import { createPublicKey, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { serveBaseline } from './serve-baseline.js';

// The ingress's limit: bare node:http that reads the whole body and verifies its RSA-SHA256 signature with the same
// parsed KeyObject the ingress uses (DYTE_WEBHOOK_PUBLIC_KEY, parsed once), then answers 202 (401 when it fails).
// Everything the ingress does beyond this (parse, schema, Avro, Kafka) is its own cost. Run as its own process,
// pinned like the ingress; prints {"msg":"listening","port":N}.
const key = createPublicKey(process.env.DYTE_WEBHOOK_PUBLIC_KEY ?? '');
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const header = req.headers['dyte-signature'];
    const signature = Buffer.from(typeof header === 'string' ? header : '', 'base64');
    const ok = signature.length > 0 && verify('sha256', body, key, signature);
    res.writeHead(ok ? 202 : 401, { 'content-type': 'application/json' }).end(ok ? `{"status":"accepted","bytes":${body.length}}` : '{"error":"signature"}');
  });
});
serveBaseline(server);
