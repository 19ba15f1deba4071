import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// Serves one file (FILE) at any path, with Content-Length, an ETag and Range, as an object store would: the
// artifact of the download scenario, fetched by the downloader and by curl alike. Prints {"msg":"listening","port":N}.
const file = process.env.FILE ?? '';
const size = statSync(file).size;
const etag = `"bench-${size}"`;
const server = createServer((req, res) => {
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  const start = range ? Number(range[1]) : 0;
  const headers: Record<string, string | number> = {
    'content-type': 'video/mp4',
    'content-length': size - start,
    etag,
    'accept-ranges': 'bytes',
  };
  if (start > 0) headers['content-range'] = `bytes ${start}-${size - 1}/${size}`;
  res.writeHead(start > 0 ? 206 : 200, headers);
  createReadStream(file, { start, highWaterMark: 1024 * 1024 }).pipe(res);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ msg: 'listening', port: (server.address() as AddressInfo).port })));
process.on('SIGTERM', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
