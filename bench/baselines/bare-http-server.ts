import { createServer } from 'node:http';
import { serveBaseline } from './serve-baseline.js';

// The ingress's ceiling: bare node:http that reads the whole body, as the ingress does, and answers 202.
// Run as its own process, pinned like the ingress; prints {"msg":"listening","port":N}.
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    res.writeHead(202, { 'content-type': 'application/json' }).end(`{"status":"accepted","bytes":${body.length}}`);
  });
});
serveBaseline(server);
