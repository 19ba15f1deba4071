import { strict as assert } from 'node:assert';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createLogger } from '../../../shared/src/index.js';
import { DownloadError } from '../../../services/downloader/src/download/download-error.js';
import { fetchToFile, type FetchOptions } from '../../../services/downloader/src/download/fetch-to-file.js';

describe('downloader: hostile artifact servers', function () {
  this.timeout(60_000);
  let server: Server;
  let origin: string;
  let dir: string;
  const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024));

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hostile-'));
    server = createServer((req, res) => {
      const path = req.url ?? '';
      if (path === '/endless') {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 1);
        const pump = () => {
          while (res.write(chunk)) if (res.destroyed) return;
          if (!res.destroyed) res.once('drain', pump);
        };
        res.on('close', () => res.removeAllListeners('drain'));
        pump();
      } else if (path === '/lying-length') {
        res.writeHead(200, { 'content-length': 10_000 });
        res.write(Buffer.alloc(4000, 2));
        setTimeout(() => res.socket?.destroy(), 50);
      } else if (path === '/bomb') {
        res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': bomb.length, 'content-type': 'text/csv' });
        res.end(bomb);
      } else if (path.startsWith('/loop')) {
        res.writeHead(302, { location: `/loop${Number(path.slice(5) || 0) + 1}` }).end();
      } else if (path === '/drip') {
        res.writeHead(200, { 'content-length': 1000 });
        res.write('a');
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  const options = (overrides: Partial<FetchOptions> = {}): FetchOptions => ({
    policy: { allowedHosts: ['127.0.0.1', 'localhost'], allowHttp: true, allowedAddresses: ['127.0.0.1'] },
    maxBytes: 5 * 1024 * 1024,
    connectTimeoutMs: 2000,
    idleTimeoutMs: 2000,
    progressIntervalMs: 60_000,
    logger: createLogger({ level: 'error', name: 'test' }),
    ...overrides,
  });
  const refused = async (promise: Promise<unknown>, reason: string, text: RegExp) =>
    assert.rejects(promise, (error: unknown) => {
      assert.ok(error instanceof DownloadError, String(error));
      assert.equal(error.code, reason, error.message);
      assert.match(error.message, text);
      return true;
    });

  it('when a host name resolves to 127.0.0.1 and that address is not allowed, then it is refused before connecting', async () => {
    const { port } = new URL(origin);
    const policy = { allowedHosts: ['localhost'], allowHttp: true, allowedAddresses: [] };
    await refused(fetchToFile(`http://localhost:${port}/x`, join(dir, 'a.part'), options({ policy })), 'NOT_ALLOWED', /private or loopback/);
  });

  it('when the body never ends, then the download stops at DOWNLOAD_MAX_BYTES as TOO_LARGE', async () => {
    await refused(fetchToFile(`${origin}/endless`, join(dir, 'b.part'), options()), 'TOO_LARGE', /DOWNLOAD_MAX_BYTES/);
  });

  it('when Content-Length lies (fewer bytes arrive), then the download fails as retriable, never as a complete file', async () => {
    await assert.rejects(fetchToFile(`${origin}/lying-length`, join(dir, 'c.part'), options()), (error: unknown) => {
      assert.ok(error instanceof DownloadError && error.retriable, String(error));
      assert.match(error.code, /NETWORK|SIZE_MISMATCH/);
      return true;
    });
  });

  it('when the server sends a compression bomb, then the bytes are stored as served, never inflated', async () => {
    const path = join(dir, 'd.part');
    const fetched = await fetchToFile(`${origin}/bomb`, path, options());
    assert.equal(fetched.bytes, bomb.length);
    assert.equal((await stat(path)).size, bomb.length, `stored ${bomb.length} bytes, not 50 MB`);
    assert.deepEqual(await readFile(path), bomb);
  });

  it('when redirects never end, then the download is refused after five', async () => {
    await refused(fetchToFile(`${origin}/loop0`, join(dir, 'e.part'), options()), 'NOT_ALLOWED', /more than 5 redirects/);
  });

  it('when the server stops sending mid-body, then the idle timeout cuts it as a retriable TIMEOUT', async () => {
    await assert.rejects(fetchToFile(`${origin}/drip`, join(dir, 'g.part'), options({ idleTimeoutMs: 500 })), (error: unknown) => {
      assert.ok(error instanceof DownloadError && error.retriable, String(error));
      assert.match(error.code, /TIMEOUT|NETWORK/);
      return true;
    });
  });
});
